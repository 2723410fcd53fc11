"""Task assessor point 2 (issue 19.3): start messages read as an assessor types them, against the real
catalogue and database: unit by number, reference, title or number and title; the learner by full name
(typos, "my learner", possessives) or first name when only one of the assessor's learners has it; and
"what will it cover?" in the same message gets the plan, with the outcomes PD cannot evidence."""
from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from bot.flows import assessor as chat
from bot.records import enrolment, people
from bot.records.db import session_factory, transaction
from bot.records.models import Discussion

STAFF: dict[str, str] = {}


@pytest.fixture
def centre(db, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db)

    def setup(s):
        admin = people.create_person(s, "Ada Admin", "admin")
        mine = people.create_person(s, "Asha Assessor", "assessor", actor=admin)
        other = people.create_person(s, "Otto Assessor", "assessor", actor=admin)
        for name, source, assessor in (("Ana Costa", "cg-pool", mine), ("Ana Smith", "cg-pool", other),
                                       ("Priya Shah", "habc-l3", mine), ("Jo Bloggs", "svq4", mine),
                                       ("Jo Brown", "svq4", mine)):
            learner = people.create_person(s, name, "learner", actor=admin)
            enrolment.enrol(s, learner, source, assessor, actor=admin)
        STAFF["mine"] = hashlib.sha256(people.issue_token(s, mine, actor=admin).encode()).hexdigest()

    transaction(setup, db)
    return db


def start(db, text):
    messages, discussion_id = chat.start("rest-asha", text, {}, staff=STAFF["mine"])
    reply = "\n".join(m.get("text") or "" for m in messages)
    if discussion_id is None:
        return reply, None
    with session_factory(db)() as s:
        d = s.get(Discussion, discussion_id)
        learner = people.get_person(s, d.learner_id).display_name
        return reply, (learner, d.source_id, list(d.unit_refs))


@pytest.mark.parametrize("text, learner, units", [
    ("Start a professional discussion with my learner Ana Costa on unit 217 Develop customer relationships",
     "Ana Costa", ["Y/506/2149"]),
    ("I want to run a PD with Ana on unit 219 Support customers through real-time online customer service",
     "Ana Costa", ["A/506/2161"]),  # the other Ana is not this assessor's learner
    ("pd with ana costa on support customers through real-time online customer service", "Ana Costa", ["A/506/2161"]),
    ("start a PD with Ana Costta on A/506/2161", "Ana Costa", ["A/506/2161"]),
    ("start Ana Costa's PD on 217 and 219", "Ana Costa", ["Y/506/2149", "A/506/2161"]),
    ("new pd for my learner priya on unit 3", "Priya Shah", ["J/506/2910"]),
    ("pd with Ana on comunicate verbaly with customers", "Ana Costa", ["D/506/2119"]),
])
def test_start_messages(centre, text, learner, units):
    reply, started = start(centre, text)
    assert started is not None, reply
    assert started[0] == learner and started[2] == units


def test_first_name_shared_by_two_of_my_learners_is_asked(centre):
    reply, started = start(centre, "start a pd with Jo on unit 1")
    assert started is None
    assert "More than one of your learners matches *Jo*: Jo Bloggs, Jo Brown" in reply


def test_learners_of_other_assessors_are_refused_by_the_access_policy_and_never_listed(centre, db):
    reply, started = start(centre, "start a pd with Ana Smith on unit 216")  # Otto's learner, named in full
    assert started is None and reply == ("Ana Smith is not assigned to you; an admin can assign them to you "
                                         "(see README: Identity and roles).")

    def two_bens(s):
        admin = people.find_people(s, "Ada Admin", role="admin")[0]
        otto = people.find_people(s, "Otto Assessor", role="assessor")[0]
        for name in ("Ben Hill", "Ben Hall"):
            enrolment.enrol(s, people.create_person(s, name, "learner", actor=admin), "cg-pool", otto, actor=admin)
    transaction(two_bens, db)
    reply, started = start(centre, "start a pd with Ben on unit 216")
    assert started is None and reply == ("No learner assigned to you matches *Ben*; an admin can assign them to "
                                         "you (see README: Identity and roles).")


def test_a_unit_outside_the_learners_qualification_is_refused_by_name(centre):
    reply, started = start(centre, "start a pd with Jo Bloggs on unit 226 Contribute to the organisation of an event")
    assert started is None
    assert reply == ("Unit 226 is not part of the Pearson SVQ 4 in Customer Service (SCQF Level 8) that Jo Bloggs "
                     "is enrolled on.")


@pytest.mark.parametrize("text", ["start a PD with Ana Costa on unit 226, what will it cover?",
                                  "PD with Ana on 226 Contribute to the organisation of an event - what's the plan?",
                                  "start a pd with my learner Ana Costa on unit 226. What will we cover?"])
def test_what_will_it_cover_gets_the_plan(centre, text):
    reply, started = start(centre, text)
    assert started == ("Ana Costa", "cg-pool", ["L/506/1869"]), reply
    plan = reply.split("\n")
    assert plan[0].startswith("Professional discussion with *Ana Costa*: unit 226 Contribute to the organisation "
                              "of an event")
    # the outcomes whose evidence list leaves professional discussion out are named, with what it lists
    assert any(line.startswith("- Outcome ") and "not professional discussion" in line for line in plan), reply



@pytest.mark.parametrize("text, starts", [
    ("PD with Zara Quinn on Meet and welcome visitors in a business environment", True),
    ("PD with Daisy Ward on unit 222 Provide post-transaction customer service", True),
    ("start Kira Patel's PD on unit 1", True),
    ("I want to run a PD with Dev on unit 219", True),
    ("can I do a pd on unit 206?", False),
    ("what is a professional discussion?", False),
    ("is PD with the learner allowed on unit 206?", False),
    ("professional discussion for outcome 3 of 206?", False),
])
def test_a_start_is_known_whatever_the_nlu_made_of_it(text, starts):
    # the learner action hands such a message to action_start_discussion (actions/learner.py)
    assert chat.looks_like_start(text) is starts


def test_export_links_say_the_record_status_in_words(centre):
    reply, started = start(centre, "start a pd with Ana Costa on unit 216")
    assert started is not None, reply
    [message] = chat.export("rest-asha", "https://assistant.example.org/", staff=STAFF["mine"])
    lines = message["text"].splitlines()
    assert lines[0].endswith("(in progress) can be downloaded, with your API token, as:")
    assert lines[1].startswith("- PDF: https://assistant.example.org/api/discussions/") and lines[1].endswith("?format=pdf")
