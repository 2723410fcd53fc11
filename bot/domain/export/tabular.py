"""The discussion record as JSON (everything, nested) and CSV (one row per recorded version).

JSON has every field a person reads in the words an IQA expects ("Not yet met", "Signed off",
"Web chat"), the stored value beside it as `<field>_code` for programs, and ISO 8601 times at the UK offset of the moment (Europe/London). The CSV is for
spreadsheets: one row for every version of every answer and decision and for every signature, each
with who, when and why, in UK local time with the zone named ("2025-07-12 11:03:00 BST"); a criterion
with nothing recorded still has its row. UTF-8 with a byte-order mark (so Excel reads accents and
curly quotes), and a cell that a spreadsheet would run as a formula (starting with = + - @) gets a
leading apostrophe; the JSON has the exact text.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from datetime import datetime
from typing import Optional

from bot.domain.export.record import (
    CHANNEL_LABELS,
    FIELD_LABELS,
    KIND_LABELS,
    ROLE_LABELS,
    STATUS_LABELS,
    CriterionEntry,
    DiscussionRecord,
    SignOffEntry,
    decision_label,
    label,
)
from bot.domain.export.text import TIME_ZONE, iso, sheet_time

FORMAT = "discussion-record/3"
CSV_COLUMNS = (
    "discussion_id", "learner", "assessor", "qualification", "qualification_number", "awarding_body",
    "record_status", "unit_ref", "unit_number", "unit_title", "criterion_ref", "criterion_text", "source",
    "pd_listed", "entry", "version", "current", "question", "answer", "decision", "reason", "recorded_at",
    "recorded_by", "change", "amendment_reason", "declaration", "signed_for",
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _plain(value):
    """dataclasses.asdict output made JSON-ready: datetimes in ISO 8601 at the UK offset."""
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _labelled(data: dict, key: str, labels: Optional[dict[str, str]] = None, source: Optional[str] = None) -> dict:
    """`data` with `key` in the words a reader expects and its stored value beside it as `key_code` (for
    programs), where the stored value (`source`, default `key`) was; other keys keep their order."""
    code = data[source or key]
    said = decision_label(code) if labels is None else (label(labels, code) if code is not None else None)
    out = {}
    for k, v in data.items():
        if k == (source or key):
            out[key], out[f"{key}_code"] = said, code
        else:
            out[k] = v
    return out


def record_dict(r: DiscussionRecord) -> dict:
    """Every field a person reads holds the words an IQA expects ("Not yet met", "Signed off", "Slack");
    the stored value is beside it as `<field>_code` (not_yet_met, signed, slack), for programs."""
    data = _labelled(_labelled(_plain(asdict(r)), "status", STATUS_LABELS), "channel", CHANNEL_LABELS)
    criteria = []
    for c in data["criteria"]:
        c = _labelled(_labelled(c, "decision"), "kind", KIND_LABELS)
        c["decision_versions"] = [_labelled(v, "decision", source="outcome") for v in c["decision_versions"]]
        criteria.append(c)
    data["criteria"] = criteria
    data["signoffs"] = [_labelled(s, "role", ROLE_LABELS) | {"signed_for": signed_for(entry)}
                        for s, entry in zip(data["signoffs"], r.signoffs)]
    amendments = []
    for a in data["amendments"]:
        if a["field"] == "decision":  # the values were decisions too
            a = _labelled(_labelled(a, "old"), "new")
        amendments.append(_labelled(a, "field", FIELD_LABELS))
    data["amendments"] = amendments
    data["time_zone"] = TIME_ZONE
    data["format"] = FORMAT
    return data


def to_json(r: DiscussionRecord) -> bytes:
    return json.dumps(record_dict(r), ensure_ascii=False, indent=2).encode("utf-8")


def signed_for(s: SignOffEntry) -> str:
    """Which version of the record a signature was given to, in words."""
    words = ("This version of the record" if not s.given_to_earlier_version else
             f"An earlier version of this record (changed after this signature, first at {sheet_time(s.record_changed_at)})")
    return words + ("; no longer holds: undone by an amendment" if s.no_longer_holds else "")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return sheet_time(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _change(position: int, amendment_reason: Optional[str]) -> str:
    if amendment_reason is not None:
        return "Amended after sign-off"
    return "First recorded" if position == 0 else "Changed during the discussion (before sign-off)"


def _criterion_rows(r: DiscussionRecord, c: CriterionEntry) -> list[dict]:
    unit = next((u for u in r.units if u.ref == c.unit_ref), None)
    base = {"unit_ref": c.unit_ref, "unit_number": unit.number if unit else None,
            "unit_title": unit.title if unit else None, "criterion_ref": c.criterion_ref,
            "criterion_text": c.criterion_text, "source": c.citation, "pd_listed": c.pd_listed}
    rows = []
    for i, a in enumerate(c.answer_versions):
        rows.append(base | {"entry": "Answer", "version": a.version, "current": i == len(c.answer_versions) - 1,
                            "question": a.question, "answer": a.text, "recorded_at": a.recorded_at,
                            "recorded_by": a.recorded_by, "change": _change(i, a.amendment_reason),
                            "amendment_reason": a.amendment_reason})
    for i, x in enumerate(c.decision_versions):
        rows.append(base | {"entry": "Decision", "version": x.version, "current": i == len(c.decision_versions) - 1,
                            "decision": decision_label(x.outcome), "reason": x.reason, "recorded_at": x.decided_at,
                            "recorded_by": x.decided_by, "change": _change(i, x.amendment_reason),
                            "amendment_reason": x.amendment_reason})
    return rows or [base | {"entry": "Nothing recorded yet"}]


def csv_rows(r: DiscussionRecord) -> list[dict[str, str]]:
    record = {"discussion_id": r.id, "learner": r.learner, "assessor": r.assessor, "qualification": r.qualification,
              "qualification_number": r.qualification_number, "awarding_body": r.awarding_body,
              "record_status": label(STATUS_LABELS, r.status)}
    rows = [record | row for c in r.criteria for row in _criterion_rows(r, c)]
    for s in r.signoffs:
        rows.append(record | {"entry": f"{label(ROLE_LABELS, s.role)} signature", "recorded_at": s.signed_at,
                              "recorded_by": s.name, "declaration": s.declaration, "signed_for": signed_for(s)})
    return [{k: _cell(row.get(k)) for k in CSV_COLUMNS} for row in rows]


def to_csv(r: DiscussionRecord) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(csv_rows(r))
    return out.getvalue().encode("utf-8-sig")
