"""CSV and JSON exports checked value by value."""
from __future__ import annotations

import csv
import io
import json

from bot.domain.export.tabular import CSV_COLUMNS, to_csv, to_json
from tests.export.sample import CURLY, LONG, NON_LATIN, sample_record


def csv_rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_one_row_per_planned_criterion():
    rows = csv_rows(to_csv(sample_record()))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert [r["criterion_ref"] for r in rows] == ["1.1", "1.2", "3.1", "3.2", "3.3"]
    first = rows[0]
    assert first["discussion_id"] == "42"
    assert first["learner"] == "Priya Learner" and first["assessor"] == "Sam Assessor"
    assert first["qualification"] == "HABC Level 3 Diploma in Customer Service (QCF)"
    assert first["qualification_number"] == "601/4027/6" and first["source_id"] == "habc-l3"
    assert first["date"] == "2025-03-12T10:00:00+00:00" and first["status"] == "signed"
    assert first["unit_ref"] == "J/506/2910" and first["unit_title"] == "Understand customers and customer retention"
    assert first["criterion_text"] == "Explain the concept of the “customer experience”"
    assert first["pd_listed"] == "yes"
    assert first["question"] == "What does “customer experience” mean where you work?"
    assert first["answer"] == CURLY
    assert first["answered_at"] == "2025-03-12T10:03:00+00:00" and first["answered_by"] == "Sam Assessor"
    assert first["answer_version"] == "2"
    assert first["earlier_versions"] == "v1 2025-03-12T10:02:00+00:00 Sam Assessor: It is how customers feel"
    assert first["decision"] == "Met"
    assert first["reason"] == "Clear explanation with an example from the learner’s own role."
    assert first["decided_at"] == "2025-03-12T10:04:00+00:00" and first["decided_by"] == "Sam Assessor"
    assert first["assessor_signed"] == "Sam Assessor" and first["assessor_signed_at"] == "2025-03-12T10:15:00+00:00"
    assert first["learner_signed"] == "Priya Learner" and first["learner_signed_at"] == "2025-03-12T10:20:00+00:00"
    assert first["amendments"] == ""
    assert rows[1]["answer"] == NON_LATIN and rows[1]["decision"] == "Not yet met"
    assert rows[1]["amendments"] == ("2025-03-12T10:30:00+00:00 Sam Assessor: reason 'Named groups but did not explain' "
                                     "-> 'Named groups but did not explain the methods; revisit.' (Typo in the recorded reason)")
    assert rows[2]["pd_listed"] == "no" and rows[2]["answer"] == LONG
    assert rows[3]["answer"] == "" and rows[3]["decision"] == "Skipped"
    assert rows[4]["decision"] == "" and rows[4]["reason"] == "" and rows[4]["pd_listed"] == ""


def test_csv_neutralises_spreadsheet_formulas():
    record = sample_record()
    record.criteria[0].answer = "=HYPERLINK(\"http://x\")"
    record.criteria[1].answer = "@SUM(A1)"
    record.criteria[2].answer = "a = b is fine mid-text"
    rows = csv_rows(to_csv(record))
    assert rows[0]["answer"] == "'=HYPERLINK(\"http://x\")"
    assert rows[1]["answer"] == "'@SUM(A1)"
    assert rows[2]["answer"] == "a = b is fine mid-text"
    assert json.loads(to_json(record))["criteria"][0]["answer"] == "=HYPERLINK(\"http://x\")"  # JSON stays exact


def test_csv_keeps_newlines_and_commas_in_one_cell():
    record = sample_record()
    record.criteria[0].answer = 'line one, with "quotes"\nline two'
    assert csv_rows(to_csv(record))[0]["answer"] == 'line one, with "quotes"\nline two'


def test_json_has_everything_exactly():
    data = json.loads(to_json(sample_record()))
    assert data["format"] == "discussion-record/1"
    assert data["id"] == 42 and data["status"] == "signed"
    assert data["learner"] == "Priya Learner" and data["assessor"] == "Sam Assessor"
    assert data["qualification"] == "HABC Level 3 Diploma in Customer Service (QCF)"
    assert data["qualification_number"] == "601/4027/6" and data["awarding_body"] == "HABC"
    assert data["units"] == [{"ref": "J/506/2910", "title": "Understand customers and customer retention", "number": "3"}]
    assert data["started_at"] == "2025-03-12T10:00:00+00:00" and data["signed_at"] == "2025-03-12T10:20:00+00:00"
    c = data["criteria"][0]
    assert c["criterion_ref"] == "1.1" and c["answer"] == CURLY and c["decision"] == "met"
    assert c["decision_label"] == "Met" and c["answer_version"] == 2
    assert c["earlier_answers"] == [{"text": "It is how customers feel", "recorded_at": "2025-03-12T10:02:00+00:00",
                                     "recorded_by": "Sam Assessor", "version": 1, "question": None}]
    assert [x["decision"] for x in data["criteria"]] == ["met", "not_yet_met", "met", "skipped", None]
    assert [s["role"] for s in data["signoffs"]] == ["assessor", "learner"]
    assert data["signoffs"][1] == {"role": "learner", "name": "Priya Learner",
                                   "declaration": "These answers are my own work.",
                                   "signed_at": "2025-03-12T10:20:00+00:00"}
    assert data["amendments"][0]["reason"] == "Typo in the recorded reason"
    assert data["authenticity"].startswith("This record was made during a professional discussion")


def test_json_is_utf8_not_escaped():
    raw = to_json(sample_record())
    assert "Клиент".encode() in raw and b"\\u" not in raw
