"""Task assessor point 3 (issue 19.6, 18): the record of a discussion on each of the five specifications,
recorded over REST through the records services and exported: the words an IQA expects, the awarding
body named (for the C&G unit pool, as its own text names it), no raw values or internal source ids."""
from __future__ import annotations

import csv
import io

import pytest

from bot.domain.export import to_csv, to_pdf
from bot.domain.planning import unit_specs
from bot.flows.export import record_of
from bot.records import catalogue as catalogues
from bot.records import discussion as discussions
from bot.records import enrolment, people
from tests.export.test_pdf import flat, pdf_text
from tests.records.conftest import _pg_schema, _sqlite_template, db, db_url, session  # noqa: F401

BODIES = {"sfj-l2": "SFJ Awards", "habc-l3": "HABC", "ncfe-l1": "NCFE", "svq4": "Pearson",
          "cg-pool": "City & Guilds (named in the text of the City & Guilds unit pool, line 4094)"}


@pytest.mark.parametrize("source", sorted(BODIES))
def test_record_in_words_an_iqa_expects(session, source):  # noqa: F811
    admin = people.create_person(session, "Centre Administrator", "admin")
    sam = people.create_person(session, "Sam Patel", "assessor", actor=admin)
    ana = people.create_person(session, "Ana Costa", "learner", actor=admin)
    enrolment.enrol(session, ana, source, sam, actor=admin)
    spec = next(s for s in unit_specs(catalogues.current(), source) if s.outcomes)
    d = discussions.start(session, sam, ana, source, [spec.ref], channel="rest")
    first, second = discussions.plan(session, d)[:2]
    discussions.record_answer(session, d, first.criterion_ref, "She logs every complaint.", sam)
    discussions.decide(session, d, first.criterion_ref, "met", None, sam)
    discussions.decide(session, d, second.criterion_ref, "not_yet_met", "No example given.", sam)
    r = record_of(d)
    assert r.awarding_body == BODIES[source]
    text = flat(pdf_text(to_pdf(r)))
    assert f"Awarding body {BODIES[source]}" in text
    assert "Not yet met" in text and "No example given." in text
    rows = list(csv.DictReader(io.StringIO(to_csv(r).decode("utf-8-sig"))))
    assert {row["awarding_body"] for row in rows} == {BODIES[source]}
    assert "Not yet met" in {row["decision"] for row in rows}
    for shown in (text, " ".join(v for row in rows for v in row.values())):
        for raw in ("not_yet_met", source, "via rest", "recorded rest", "Not named in the specification", "UTC"):
            assert raw not in shown, (raw, source)
