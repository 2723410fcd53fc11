"""An API over a fresh database (SQLite and PostgreSQL, via the records tests' `db_url`) and a small world:

    admin (bootstrapped from API_ADMIN_TOKEN)
    assessor "Sam Assessor"  -> assigned to learner "Priya Learner" (habc-l3)
    assessor "Other Assessor" -> assigned to learner "Other Learner" (habc-l3)
    IQA "Ira Quality" (reads across assessors, changes nothing)
    d_open:   Sam with Priya on J/506/2910, 1.1 answered and met
    d_signed: Sam with Priya on K/506/2169, 1.1 answered and met, signed by Sam
    d_other:  Other Assessor with Other Learner on J/506/2910
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from fastapi.testclient import TestClient

from bot.api.app import create_app
from bot.records import discussion as discussions
from bot.records import enrolment, people
from bot.records.db import session_factory
# the records tests' SQLite/PostgreSQL fixture and the session-wide templates it draws on
from tests.records.conftest import _pg_schema, _sqlite_template, db_url  # noqa: F401

ADMIN_TOKEN = "test-admin-token"
SOURCE = "habc-l3"
UNIT_OPEN = "J/506/2910"  # HABC unit 3, Understand customers and customer retention
UNIT_SIGNED = "K/506/2169"  # HABC unit 4, Resolve customers' problems
UNIT_NEW = "D/506/1942"  # HABC unit 5, Principles of business
ROLES = ("anonymous", "learner", "other_learner", "assessor", "other_assessor", "iqa", "admin")


@dataclass
class World:
    client: TestClient
    url: str
    ids: dict[str, int] = field(default_factory=dict)  # role -> person id
    tokens: dict[str, str] = field(default_factory=dict)  # role -> bearer token
    d_open: int = 0
    d_signed: int = 0
    d_other: int = 0

    def headers(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"} if role in self.tokens else {}

    def call(self, role: str, method: str, path: str, **kwargs):
        response = self.client.request(method, path, headers={**self.headers(role), **kwargs.pop("headers", {})},
                                       **kwargs)
        assert response.status_code < 500, (method, path, role, response.status_code, response.text)
        return response

    @contextmanager
    def session(self):
        """A unit of work on the test's database, committed on leaving as a request's is."""
        with session_factory(self.url)() as s:
            yield s
            s.commit()


def build_world(client: TestClient, url: str) -> World:
    w = World(client, url)
    w.tokens["admin"] = ADMIN_TOKEN
    w.ids["admin"] = client.get("/api/me", headers=w.headers("admin")).json()["id"]
    with w.session() as s:
        admin = w.ids["admin"]
        names = {"assessor": ("Sam Assessor", "assessor"), "other_assessor": ("Other Assessor", "assessor"),
                 "learner": ("Priya Learner", "learner"), "other_learner": ("Other Learner", "learner"),
                 "iqa": ("Ira Quality", "iqa")}
        for role, (name, kind) in names.items():
            w.ids[role] = people.create_person(s, name, kind, actor=admin).id
            w.tokens[role] = people.issue_token(s, w.ids[role], actor=admin)
        enrolment.enrol(s, w.ids["learner"], SOURCE, w.ids["assessor"], actor=admin)
        enrolment.enrol(s, w.ids["other_learner"], SOURCE, w.ids["other_assessor"], actor=admin)
        sam, priya = w.ids["assessor"], w.ids["learner"]
        d = discussions.start(s, sam, priya, SOURCE, [UNIT_OPEN], channel="web")
        discussions.record_answer(s, d, "1.1", "It’s how the customer feels at every step.", sam,
                                  question="What is the “customer experience”?")
        discussions.decide(s, d, "1.1", "met", "Clear, with an example.", sam)
        w.d_open = d.id
        d = discussions.start(s, sam, priya, SOURCE, [UNIT_SIGNED])
        discussions.record_answer(s, d, "1.1", "We log every problem and review them weekly.", sam)
        discussions.decide(s, d, "1.1", "met", "Described monitoring well.", sam)
        discussions.sign(s, d, sam, "assessor")
        w.d_signed = d.id
        d = discussions.start(s, w.ids["other_assessor"], w.ids["other_learner"], SOURCE, [UNIT_OPEN])
        w.d_other = d.id
    return w


@pytest.fixture
def client(db_url):  # noqa: F811
    app = create_app(database_url=db_url, admin_token=ADMIN_TOKEN)
    with TestClient(app) as c:
        yield c


@pytest.fixture
def world(client, db_url) -> World:  # noqa: F811
    return build_world(client, db_url)
