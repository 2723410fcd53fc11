"""CSV and JSON exports checked value by value: every version with who, when and why."""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone

import pytest

from bot.domain.export.tabular import CSV_COLUMNS, to_csv, to_json
from tests.export.sample import AMENDED_REASON, CURLY, FIRST_REASON, LONG, NON_LATIN, WHY_AMENDED, sample_record


def csv_rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def of(rows, ref, entry=None):
    return [r for r in rows if r["criterion_ref"] == ref and (entry is None or r["entry"] == entry)]


def test_csv_one_row_per_version_and_signature():
    rows = csv_rows(to_csv(sample_record()))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert [(r["criterion_ref"], r["entry"], r["version"]) for r in rows] == [
        ("1.1", "Answer", "1"), ("1.1", "Answer", "2"), ("1.1", "Decision", "1"),
        ("1.2", "Answer", "1"), ("1.2", "Decision", "1"), ("1.2", "Decision", "2"),
        ("3.1", "Answer", "1"), ("3.1", "Decision", "1"),
        ("3.2", "Decision", "1"),
        ("3.3", "Nothing recorded yet", ""),  # every planned criterion has a row
        ("", "Assessor signature", ""), ("", "Learner signature", ""),
    ]
    first = rows[0]
    assert first["discussion_id"] == "42"
    assert first["learner"] == "Priya Learner" and first["assessor"] == "Sam Assessor"
    assert first["qualification"] == "HABC Level 3 Diploma in Customer Service (QCF)"
    assert first["qualification_number"] == "601/4027/6" and first["awarding_body"] == "HABC"
    assert first["record_status"] == "Signed off"
    assert (first["unit_ref"], first["unit_number"], first["unit_title"]) == (
        "J/506/2910", "3", "Understand customers and customer retention")
    assert first["criterion_text"] == "Explain the concept of the “customer experience”"
    assert first["source"] == "HABC Level 3 Diploma, unit 3, learning outcome 1, assessment criterion 1.1 (line 352)"
    assert of(rows, "1.2")[0]["source"].endswith("assessment criterion 1.2 (line 353)")  # each criterion its own
    assert first["pd_listed"] == "yes"
    assert (first["answer"], first["current"], first["recorded_at"], first["recorded_by"], first["change"]) == (
        "It is how customers feel", "no", "2025-03-12 10:02:00 GMT", "Sam Assessor", "First recorded")
    second = rows[1]
    assert (second["answer"], second["current"], second["change"]) == (
        CURLY, "yes", "Changed during the discussion (before sign-off)")
    assert rows[2]["decision"] == "Met" and rows[2]["reason"] == "Clear explanation with an example from the learner’s own role."
    assert of(rows, "1.2", "Answer")[0]["answer"] == NON_LATIN
    assert of(rows, "3.1", "Answer")[0]["answer"] == LONG and of(rows, "3.1")[0]["pd_listed"] == "no"
    assert of(rows, "3.2", "Decision")[0]["decision"] == "Skipped"
    assert of(rows, "3.3")[0]["pd_listed"] == "" and of(rows, "3.3")[0]["decision"] == ""


def test_csv_keeps_the_amended_not_yet_met_with_its_reason():
    rows = of(csv_rows(to_csv(sample_record())), "1.2", "Decision")
    original, amended = rows
    assert (original["decision"], original["reason"], original["current"], original["recorded_at"],
            original["recorded_by"], original["change"]) == (
        "Not yet met", FIRST_REASON, "no", "2025-03-12 10:07:00 GMT", "Sam Assessor", "First recorded")
    assert (amended["decision"], amended["reason"], amended["current"], amended["recorded_at"],
            amended["change"], amended["amendment_reason"]) == (
        "Met", AMENDED_REASON, "yes", "2025-03-12 10:30:00 GMT", "Amended after sign-off", WHY_AMENDED)


def test_csv_signatures_given_to_an_earlier_version():
    record = sample_record()
    record.signoffs[1].given_to_earlier_version, record.signoffs[1].record_changed_at = False, None
    assessor, learner = [r for r in csv_rows(to_csv(record)) if r["entry"].endswith("signature")]
    assert (assessor["recorded_by"], assessor["recorded_at"], assessor["declaration"]) == (
        "Sam Assessor", "2025-03-12 10:15:00 GMT", "I confirm the decisions above are mine.")
    assert assessor["signed_for"] == ("An earlier version of this record (changed after this signature, first at "
                                      "2025-03-12 10:30:00 GMT)")
    assert learner["signed_for"] == "This version of the record"


def test_csv_words_not_raw_values_or_internal_ids():
    raw = to_csv(sample_record()).decode("utf-8-sig")
    for word in ("not_yet_met", "habc-l3", "UTC", "+00:00", ",signed,", "skipped"):
        assert word not in raw, word


def test_csv_times_in_summer_are_bst():
    record = sample_record()
    record.criteria[0].answer_versions[0].recorded_at = datetime(2025, 7, 12, 10, 3, tzinfo=timezone.utc)
    assert csv_rows(to_csv(record))[0]["recorded_at"] == "2025-07-12 11:03:00 BST"


def test_csv_neutralises_spreadsheet_formulas():
    record = sample_record()
    record.criteria[0].answer_versions[0].text = "=HYPERLINK(\"http://x\")"
    record.criteria[1].answer_versions[0].text = "@SUM(A1)"
    record.criteria[2].answer_versions[0].text = "a = b is fine mid-text"
    rows = csv_rows(to_csv(record))
    assert rows[0]["answer"] == "'=HYPERLINK(\"http://x\")"
    assert of(rows, "1.2", "Answer")[0]["answer"] == "'@SUM(A1)"
    assert of(rows, "3.1", "Answer")[0]["answer"] == "a = b is fine mid-text"
    data = json.loads(to_json(record))
    assert data["criteria"][0]["answer_versions"][0]["text"] == "=HYPERLINK(\"http://x\")"  # JSON stays exact


def test_csv_keeps_newlines_and_commas_in_one_cell():
    record = sample_record()
    record.criteria[0].answer_versions[0].text = 'line one, with "quotes"\nline two'
    assert csv_rows(to_csv(record))[0]["answer"] == 'line one, with "quotes"\nline two'


def test_json_has_everything_exactly():
    data = json.loads(to_json(sample_record()))
    assert data["format"] == "discussion-record/3" and data["time_zone"] == "Europe/London"
    assert data["id"] == 42 and (data["status"], data["status_code"]) == ("Signed off", "signed")
    assert data["learner"] == "Priya Learner" and data["assessor"] == "Sam Assessor"
    assert data["qualification"] == "HABC Level 3 Diploma in Customer Service (QCF)"
    assert data["qualification_number"] == "601/4027/6" and data["awarding_body"] == "HABC"
    assert data["specification"] == "HABC Level 3 Diploma"
    assert data["units"] == [{"ref": "J/506/2910", "title": "Understand customers and customer retention", "number": "3"}]
    assert data["started_at"] == "2025-03-12T10:00:00+00:00" and data["signed_at"] == "2025-03-12T10:15:00+00:00"
    c = data["criteria"][0]
    assert c["criterion_ref"] == "1.1" and c["answer"] == CURLY and (c["decision"], c["decision_code"]) == ("Met", "met")
    assert (c["kind"], c["kind_code"]) == ("assessment criterion", "ac") and c["answer_version"] == 2
    assert c["citation"] == "HABC Level 3 Diploma, unit 3, learning outcome 1, assessment criterion 1.1 (line 352)"
    assert c["answer_versions"] == [
        {"text": "It is how customers feel", "recorded_at": "2025-03-12T10:02:00+00:00", "recorded_by": "Sam Assessor",
         "version": 1, "question": None, "amendment_reason": None},
        {"text": CURLY, "recorded_at": "2025-03-12T10:03:00+00:00", "recorded_by": "Sam Assessor",
         "version": 2, "question": None, "amendment_reason": None}]
    assert [x["decision_code"] for x in data["criteria"]] == ["met", "met", "met", "skipped", None]
    assert [x["decision"] for x in data["criteria"]] == ["Met", "Met", "Met", "Skipped", "No decision"]
    assert [s["role_code"] for s in data["signoffs"]] == ["assessor", "learner"]
    assert data["signoffs"][1] == {"role": "Learner", "role_code": "learner", "name": "Priya Learner",
                                   "declaration": "These answers are my own work.",
                                   "signed_at": "2025-03-12T10:20:00+00:00", "given_to_earlier_version": True,
                                   "record_changed_at": "2025-03-12T10:30:00+00:00", "no_longer_holds": False,
                                   "signed_for": "An earlier version of this record (changed after this signature, "
                                                 "first at 2025-03-12 10:30:00 GMT)"}
    assert data["amendments"][0]["reason"] == WHY_AMENDED
    assert data["authenticity"].startswith("This record was made during a professional discussion")


def test_json_keeps_the_amended_not_yet_met_with_its_reason():
    versions = json.loads(to_json(sample_record()))["criteria"][1]["decision_versions"]
    assert versions == [
        {"decision": "Not yet met", "decision_code": "not_yet_met", "reason": FIRST_REASON,
         "decided_at": "2025-03-12T10:07:00+00:00", "decided_by": "Sam Assessor", "version": 1, "amendment_reason": None},
        {"decision": "Met", "decision_code": "met", "reason": AMENDED_REASON, "decided_at": "2025-03-12T10:30:00+00:00",
         "decided_by": "Sam Assessor", "version": 2, "amendment_reason": WHY_AMENDED}]


def test_json_times_carry_the_uk_offset():
    record = sample_record()
    record.signed_at = datetime(2025, 7, 12, 13, 5, tzinfo=timezone.utc)
    assert json.loads(to_json(record))["signed_at"] == "2025-07-12T14:05:00+01:00"  # the same instant, as the UK reads it


def test_json_is_utf8_not_escaped():
    raw = to_json(sample_record())
    assert "Клиент".encode() in raw and b"\\u" not in raw


@pytest.mark.parametrize("channel, said", [("web", "Web chat"), ("slack", "Slack"), ("teams", "Microsoft Teams"),
                                           ("rest", "Another program, through the assistant's API"), (None, None)])
def test_json_names_the_channel_in_words_with_its_code(channel, said):
    record = sample_record()
    record.channel = channel
    data = json.loads(to_json(record))
    assert (data["channel"], data["channel_code"]) == (said, channel)


def test_json_keeps_stored_codes_only_under_code_keys():
    data = json.loads(to_json(sample_record()))
    codes = {"met", "not_yet_met", "skipped", "signed", "web", "assessor", "learner", "decision", "ac"}
    assert {key for key, value in _leaves(data) if value in codes} == {
        "status_code", "channel_code", "decision_code", "kind_code", "role_code", "field_code", "old_code", "new_code"}
    a = data["amendments"][0]
    assert (a["field"], a["old"], a["new"]) == ("Decision", "Not yet met", "Met")


def _leaves(value, key=None):
    """(key, value) of every value that is not a dict or a list, at any depth."""
    if isinstance(value, dict):
        return [leaf for k, v in value.items() for leaf in _leaves(v, k)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in _leaves(v, key)]
    return [(key, value)]
