"""python -m bot admin, called as main(argv) on a fresh database (SQLite and PostgreSQL): what it
prints, its exit status, and what it changed in the records and the audit log."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli.admin import main
from bot.records import audit, people
from bot.records.db import session_factory
from bot.records.models import Person

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def run(db_url, capsys):
    def run(*argv: str) -> tuple[int, str, str]:
        code = main(["--database", db_url, *argv])
        out, err = capsys.readouterr()
        return code, out.strip(), err.strip()
    return run


def read(db_url, work):
    with session_factory(db_url)() as s:
        return work(s)


def by_name(db_url, name: str) -> Person:
    return read(db_url, lambda s: next(p for p in people.list_people(s) if p.display_name == name))


def test_a_first_set_up(run, db_url):
    assert run("list") == (0, "Nobody yet.", "")
    assert run("create", "Dana Okafor", "--role", "admin") == (0, "Created Dana Okafor (id 1, admin).", "")
    assert run("create", "Asha Khan", "--role", "assessor")[1] == "Created Asha Khan (id 2, assessor)."
    assert run("create", "Sam  Patel")[1] == "Created Sam Patel (id 3, learner)."
    code, token, note = run("issue-token", "Asha")
    assert code == 0 and len(token) > 30 and "shown only this once" in note  # the token alone on stdout
    assert read(db_url, lambda s: people.person_for_token(s, token)).display_name == "Asha Khan"
    assert run("link", "Sam Patel", "slack", "T0CENTRE:U0SAM")[1] == \
        "Linked slack account T0CENTRE:U0SAM to Sam Patel (id 3, learner)."
    code, listing, _ = run("list")
    assert listing.splitlines()[2].split() == ["3", "Sam", "Patel", "learner", "slack", "T0CENTRE:U0SAM"]
    assert run("list", "--role", "assessor")[1].split() == ["2", "Asha", "Khan", "assessor"]
    assert run("find", "sam")[1].split()[:3] == ["3", "Sam", "Patel"]
    assert "account: slack T0CENTRE:U0SAM" in run("show", "3")[1]
    # every change is audited, as the admin the command acted for
    actions = read(db_url, lambda s: [(e.action, e.actor_id) for e in audit.entries(s)])
    assert actions == [("person.create", 1), ("person.create", 1), ("person.create", 1), ("token.issue", 1),
                       ("identity.link", 1)]


def test_roles_rename_and_moving_an_account(run, db_url):
    run("create", "Dana Okafor", "--role", "admin")
    # someone who chatted on Slack before being set up became a learner named by their account id
    read(db_url, lambda s: (people.get_or_create_person_for_identity(s, "slack", "T1:U-ASHA"), s.commit()))
    assert run("rename", "T1:U-ASHA", "Asha Khan")[1] == "Renamed T1:U-ASHA (id 2) to Asha Khan."
    assert run("give-role", "asha khan", "assessor")[1] == "Asha Khan (id 2) is now an assessor (was learner)."
    assert run("give-role", "Asha", "assessor")[1] == "Asha Khan (id 2) is already an assessor."
    run("create", "Asha Khan (second account)", "--role", "assessor")
    code, _, err = run("link", "Asha Khan (second account)", "slack", "T1:U-ASHA")
    assert code == 2 and "already linked to Asha Khan (id 2)" in err and "--move" in err
    assert run("link", "Asha Khan (second account)", "slack", "T1:U-ASHA", "--move")[1].endswith(
        "moved from Asha Khan (id 2).")
    assert run("take-role", "2", "assessor")[1] == "Asha Khan (id 2) is no longer an assessor: now a learner."
    assert by_name(db_url, "Asha Khan").role == "learner"
    detail = read(db_url, lambda s: [e.detail for e in audit.entries(s, "person", 2, "person.role")])
    assert detail == [{"old": "learner", "new": "assessor"}, {"old": "assessor", "new": "learner"}]


@pytest.mark.parametrize("argv, words", [
    (("give-role", "Nobody Here", "assessor"), "Nobody is called 'Nobody Here'"),
    (("give-role", "99", "assessor"), "There is no person with id 99"),
    (("give-role", "Sam", "assessor"), "'Sam' could be several people: 3 Sam Patel (learner); 4 Sam Okafor (learner)"),
    (("give-role", "Sam Patle", "assessor"), "Did you mean 3 Sam Patel (learner)"),  # a near miss is not taken
    (("take-role", "Dana", "admin"), "Dana Okafor is the only admin"),
    (("take-role", "Sam Patel", "assessor"), "is a learner, not an assessor"),
    (("link", "Sam Patel", "slack", "U0SAM"), "<team id>:<user id>"),
    (("create", "sam patel"), "There is already a person called Sam Patel (id 3, learner)"),
    (("create", "   "), "A person needs a name"),
    (("rename", "Sam Patel", ""), "A person needs a name"),
    (("--as", "Sam Patel", "give-role", "Sam Okafor", "assessor"), "Sam Patel is a learner; --as needs an admin"),
])
def test_bad_input_is_a_sentence_and_status_2(run, db_url, argv, words):
    for name, role in (("Dana Okafor", "admin"), ("Asha Khan", "assessor"), ("Sam Patel", "learner"),
                       ("Sam Okafor", "learner")):
        assert run("create", name, "--role", role)[0] == 0
    before = read(db_url, lambda s: len(audit.entries(s)))
    code, out, err = run(*argv)
    assert (code, out) == (2, "") and err.startswith("error: ") and words in err, err
    assert "Traceback" not in err
    assert read(db_url, lambda s: len(audit.entries(s))) == before  # nothing changed


def test_no_admin_yet_and_several_admins(run):
    code, _, err = run("create", "Asha Khan", "--role", "assessor")
    assert code == 2 and 'Create the first one: python -m bot admin create "Your Name" --role admin' in err
    run("create", "Dana Okafor", "--role", "admin")
    run("create", "Lee Chen", "--role", "assessor")
    run("give-role", "Lee Chen", "admin")
    code, _, err = run("create", "Asha Khan", "--role", "assessor")
    assert code == 2 and "There are 2 admins (1 Dana Okafor; 2 Lee Chen); say which one you are with --as" in err
    assert run("--as", "Lee", "create", "Asha Khan", "--role", "assessor")[0] == 0


def test_as_a_process(tmp_path):
    """`python -m bot admin` itself: usage errors from argparse, an unreachable database, help."""
    def cli(*argv: str, url: str = f"sqlite:///{tmp_path / 'a.db'}"):
        return subprocess.run([sys.executable, "-m", "bot", "admin", "--database", url, *argv], cwd=ROOT,
                              capture_output=True, text=True, timeout=120)

    done = cli("give-role", "x", "wizard")
    assert done.returncode == 2 and "invalid choice: 'wizard'" in done.stderr and "Traceback" not in done.stderr
    done = cli("list", url="postgresql+psycopg://nobody:secret@127.0.0.1:1/none")
    assert done.returncode == 3 and "cannot be reached" in done.stderr and "secret" not in done.stderr
    assert "Traceback" not in done.stderr
    done = subprocess.run([sys.executable, "-m", "bot", "admin", "--help"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0 and "issue-token" in done.stdout and "give-role" in done.stdout
    done = subprocess.run([sys.executable, "-m", "bot"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 2 and "python -m bot admin" in done.stderr


def test_tokens_issued_listed_and_revoked(run, db_url):
    run("create", "Dana Okafor", "--role", "admin")
    run("create", "Asha Khan", "--role", "assessor")
    code, first, note = run("issue-token", "Asha", "--days", "7")
    assert code == 0 and note.startswith("API token 1 for Asha Khan (id 2, assessor), valid until ")
    second = run("issue-token", "Asha")[1]
    listing = run("tokens", "Asha")[1].splitlines()
    assert len(listing) == 2 and all("valid until" in line and "command line" in line for line in listing)
    assert run("revoke-token", "Asha", "--id", "1")[1] == "Revoked token 1 of Asha Khan (id 2)."
    token_of = lambda t: read(db_url, lambda s: people.person_for_token(s, t))  # noqa: E731
    assert token_of(first) is None and token_of(second).display_name == "Asha Khan"
    assert "revoked" in run("tokens", "Asha")[1].splitlines()[0]
    code, _, err = run("revoke-token", "Dana", "--id", "2")  # not Dana's token
    assert code == 2 and "Dana Okafor has no token 2" in err and token_of(second) is not None
    assert run("revoke-token", "Asha")[1] == "Revoked 1 token of Asha Khan (id 2)."
    assert token_of(second) is None
    assert run("revoke-token", "Asha")[1] == "Asha Khan (id 2) has no valid token to revoke."
    code, _, err = run("issue-token", "Asha", "--days", "0")
    assert code == 2 and "between 1 and 3650 days" in err


def test_assign_and_unassign(run, db_url):
    from bot.records import access

    run("create", "Dana Okafor", "--role", "admin")
    run("create", "Asha Khan", "--role", "assessor")
    run("create", "Sam Patel")
    assert run("assign", "Sam", "--to", "Asha")[1] == "Sam Patel (id 3) is assigned to Asha Khan (id 2)."
    assert read(db_url, lambda s: access.is_assigned(s, 2, 3))
    assert "learners: Sam Patel (id 3)" in run("show", "Asha")[1]
    assert "assessors: Asha Khan (id 2)" in run("show", "Sam")[1]
    code, _, err = run("assign", "Asha", "--to", "Sam")
    assert code == 2 and "not as an assessor" in err
    assert run("unassign", "Sam", "--from", "Asha")[1] == "Sam Patel (id 3) is no longer assigned to Asha Khan (id 2)."
    assert not read(db_url, lambda s: access.is_assigned(s, 2, 3))
    assert run("unassign", "Sam", "--from", "Asha")[1] == "Sam Patel was not assigned to Asha Khan: nothing changed."
    assert run("enrol", "Sam", "sfj-l2", "--assessor", "Asha")[1] == \
        "Sam Patel (id 3) is enrolled on sfj-l2 with Asha Khan (id 2) as assessor."
    assert read(db_url, lambda s: access.is_assigned(s, 2, 3))  # naming the assessor assigns
    code, _, err = run("enrol", "Sam", "nope")
    assert code == 2 and "Unknown qualification 'nope'. Known: sfj-l2" in err
