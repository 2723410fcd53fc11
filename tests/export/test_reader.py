"""A discussion recorded through the records services, read back for export (SQLite and PostgreSQL)."""
from __future__ import annotations

import csv
import io
import json

from bot.domain.export import to_csv, to_json, to_pdf
from bot.flows.export import record_of
from tests.export.make_sample import ANSWERS, record_discussion
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
    assert first.citation == "HABC Level 3 Diploma, line 350" and first.pd_listed is None  # HABC lists no evidence
    revised = r.criteria[1]
    assert revised.answer == ANSWERS["1.2"][1] + "\n\nAlso by the products they hold." and revised.answer_version == 2
    assert [(a.version, a.text) for a in revised.earlier_answers] == [(1, ANSWERS["1.2"][1])]
    assert (revised.decision, revised.reason) == ("not_yet_met", "Named groups but did not explain segmentation methods.")
    assert r.criteria[4].reason == "Explained clearly, with examples of reports team leaders use."  # as amended
    assert [(s.role, s.name) for s in r.signoffs] == [("assessor", "Sam Patel"), ("learner", "Priya Shah")]
    assert r.signed_at == r.signoffs[0].signed_at
    [a] = r.amendments
    assert (a.unit_ref, a.criterion_ref, a.field, a.by) == ("J/506/2910", "1.5", "reason", "Sam Patel")
    assert a.old == "Explained clearly with examples from their own contact centre."
    assert a.applies_to(r.criteria[4]) and not a.applies_to(r.criteria[0])


def test_every_format_from_a_discussion(session):  # noqa: F811
    d = record_discussion(session)
    r = record_of(d)
    assert to_pdf(r).startswith(b"%PDF-")
    rows = list(csv.DictReader(io.StringIO(to_csv(r).decode("utf-8-sig"), newline="")))
    assert [row["criterion_ref"] for row in rows] == ["1.1", "1.2", "1.3", "1.4", "1.5"]
    assert rows[4]["amendments"].endswith("(Reason made specific after IQA sampling.)") and rows[3]["amendments"] == ""
    data = json.loads(to_json(r))
    assert data["id"] == d.id and len(data["criteria"]) == 5 and data["amendments"][0]["unit_ref"] == "J/506/2910"
