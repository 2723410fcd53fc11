"""A discussion recorded through the records services, read back for export (SQLite and PostgreSQL)."""
from __future__ import annotations

import csv
import io
import json

from bot.domain.export import to_csv, to_json, to_pdf
from bot.flows.export import record_of
from tests.export.make_sample import ANSWERS, MET_AFTER_ALL, NOT_YET, record_discussion
from tests.records.conftest import _pg_schema, _sqlite_template, db, db_url, session  # noqa: F401


def test_record_read_from_the_database(session):  # noqa: F811
    d = record_discussion(session)
    r = record_of(d)
    assert (r.id, r.learner, r.assessor, r.status, r.channel) == (d.id, "Priya Shah", "Sam Patel", "signed", "web")
    assert (r.qualification, r.qualification_number, r.awarding_body) == (
        "HABC Level 3 Diploma in Customer Service (QCF)", "601/4027/6", "HABC")
    assert [(u.ref, u.number, u.title) for u in r.units] == [
        ("J/506/2910", "3", "Understand customers and customer retention")]
    assert [c.criterion_ref for c in r.criteria] == ["1.1", "1.2", "1.3", "1.4", "1.5"]
    first = r.criteria[0]
    assert first.criterion_text == "Explain the concept of the “customer experience”"
    assert (first.question, first.answer) == ANSWERS["1.1"]
    assert (first.decision, first.decided_by, first.answered_by) == ("met", "Sam Patel", "Sam Patel")
    assert first.outcome_ref == "1" and first.outcome_text == "Understand Customer Relationship Management (CRM)"
    assert first.pd_listed is None and first.kind == "ac"  # HABC lists no evidence
    # HABC prints a whole outcome's criteria on one line: each criterion still names its own place
    assert [c.citation for c in r.criteria] == [
        f"HABC Level 3 Diploma, unit 3, learning outcome 1, assessment criterion 1.{n} (line 350)" for n in range(1, 6)]
    assert r.specification == "HABC Level 3 Diploma" and r.location is None
    revised = r.criteria[1]
    assert revised.answer == ANSWERS["1.2"][1] + "\n\nAlso by the products they hold." and revised.answer_version == 2
    assert [(a.version, a.text, a.recorded_by, a.amendment_reason) for a in revised.answer_versions] == [
        (1, ANSWERS["1.2"][1], "Sam Patel", None), (2, revised.answer, "Sam Patel", None)]
    # the decision amended after sign-off: the original "not yet met" and its reason are kept, and the
    # new version says which amendment made it and why
    assert (revised.decision, revised.reason) == ("met", MET_AFTER_ALL)
    assert [(x.version, x.outcome, x.reason, x.decided_by, x.amendment_reason) for x in revised.decision_versions] == [
        (1, "not_yet_met", NOT_YET, "Sam Patel", None), (2, "met", MET_AFTER_ALL, "Sam Patel", MET_AFTER_ALL)]
    assert revised.decision_versions[0].decided_at < revised.decision_versions[1].decided_at
    reasoned = r.criteria[4]
    assert reasoned.reason == "Explained clearly, with examples of reports team leaders use."  # as amended
    assert [x.amendment_reason for x in reasoned.decision_versions] == [None, "Reason made specific after IQA sampling."]
    assert [len(c.decision_versions) for c in r.criteria] == [1, 2, 1, 1, 2]
    assert [(s.role, s.name) for s in r.signoffs] == [("assessor", "Sam Patel"), ("learner", "Priya Shah")]
    assert r.signed_at == r.signoffs[0].signed_at
    # both signed before the amendments: given to an earlier version, changed first by the 1.5 amendment
    # (its Amendment row and the version it made are written in one transaction)
    changed = min(r.amendments[0].at, reasoned.decision_versions[1].decided_at)
    assert [(s.given_to_earlier_version, s.record_changed_at) for s in r.signoffs] == [(True, changed), (True, changed)]
    first_amendment, second = r.amendments
    assert (first_amendment.unit_ref, first_amendment.criterion_ref, first_amendment.field, first_amendment.by) == (
        "J/506/2910", "1.5", "reason", "Sam Patel")
    assert first_amendment.old == "Explained clearly with examples from their own contact centre."
    assert (second.criterion_ref, second.field, second.old, second.new) == ("1.2", "decision", "not_yet_met", "met")
    assert first_amendment.applies_to(r.criteria[4]) and not first_amendment.applies_to(r.criteria[0])


def test_signatures_before_and_after_a_change(session):  # noqa: F811
    """Without an amendment nothing is marked; a learner who signs after the last amendment signs this version."""
    from bot.records import discussion as discussions
    from bot.records import enrolment, people

    admin = people.create_person(session, "Admin", "admin")
    sam = people.create_person(session, "Sam Patel", "assessor", actor=admin)
    kim = people.create_person(session, "Kim Nowak", "learner", actor=admin)
    enrolment.enrol(session, kim, "habc-l3", sam, actor=admin)
    d = discussions.start(session, sam, kim, "habc-l3", ["J/506/2910"], ["1"], channel="rest")
    discussions.record_answer(session, d, "1.1", "One answer.", sam)
    discussions.decide(session, d, "1.1", "not_yet_met", "Too short.", sam)
    discussions.sign(session, d, sam, "assessor")
    assert [s.given_to_earlier_version for s in record_of(d).signoffs] == [False]
    discussions.amend(session, d, "1.1", "answer", "One longer answer.", "Typed from the recording.", sam)
    discussions.sign(session, d, kim, "learner")
    r = record_of(d)
    assert [(s.role, s.given_to_earlier_version) for s in r.signoffs] == [("assessor", True), ("learner", False)]
    c = r.criteria[0]
    assert [(a.text, a.amendment_reason) for a in c.answer_versions] == [
        ("One answer.", None), ("One longer answer.", "Typed from the recording.")]
    assert [(x.outcome, x.reason) for x in c.decision_versions] == [("not_yet_met", "Too short.")]
    assert r.channel == "rest" and "habc-l3" not in to_pdf(r).decode("latin-1")


def test_every_format_from_a_discussion(session):  # noqa: F811
    d = record_discussion(session)
    r = record_of(d)
    assert to_pdf(r).startswith(b"%PDF-")
    rows = list(csv.DictReader(io.StringIO(to_csv(r).decode("utf-8-sig"), newline="")))
    decisions = [(row["criterion_ref"], row["decision"], row["reason"], row["change"]) for row in rows
                 if row["entry"] == "Decision" and row["criterion_ref"] == "1.2"]
    assert decisions == [("1.2", "Not yet met", NOT_YET, "First recorded"),
                         ("1.2", "Met", MET_AFTER_ALL, "Amended after sign-off")]
    assert [row["signed_for"].split(" (")[0] for row in rows if row["entry"].endswith("signature")] == [
        "An earlier version of this record"] * 2
    data = json.loads(to_json(r))
    assert data["id"] == d.id and len(data["criteria"]) == 5 and data["amendments"][0]["unit_ref"] == "J/506/2910"
    assert [(v["decision"], v["decision_code"]) for v in data["criteria"][1]["decision_versions"]] == [
        ("Not yet met", "not_yet_met"), ("Met", "met")]
