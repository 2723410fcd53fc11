"""The discussion record as JSON (everything, nested) and CSV (one row per planned criterion).

JSON keeps every value exactly as stored, with ISO 8601 UTC times. The CSV is for spreadsheets:
UTF-8 with a byte-order mark (so Excel reads accents and curly quotes), and a cell that a spreadsheet
would run as a formula (starting with = + - @) gets a leading apostrophe; the JSON has the exact text.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from datetime import datetime

from bot.domain.export.record import DiscussionRecord, decision_label
from bot.domain.export.text import iso

CSV_COLUMNS = (
    "discussion_id", "learner", "assessor", "qualification", "qualification_number", "source_id", "date",
    "status", "unit_ref", "unit_title", "criterion_ref", "criterion_text", "pd_listed", "question", "answer",
    "answered_at", "answered_by", "answer_version", "earlier_versions", "decision", "reason", "decided_at",
    "decided_by", "assessor_signed", "assessor_signed_at", "learner_signed", "learner_signed_at", "amendments",
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _plain(value):
    """dataclasses.asdict output made JSON-ready: datetimes in ISO 8601 UTC."""
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def record_dict(r: DiscussionRecord) -> dict:
    data = _plain(asdict(r))
    for c in data["criteria"]:
        c["decision_label"] = decision_label(c["decision"])
    data["format"] = "discussion-record/1"
    return data


def to_json(r: DiscussionRecord) -> bytes:
    return json.dumps(record_dict(r), ensure_ascii=False, indent=2).encode("utf-8")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return iso(value) or ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_rows(r: DiscussionRecord) -> list[dict[str, str]]:
    signed = {s.role: s for s in r.signoffs}  # the latest sign-off of each role
    rows = []
    for c in r.criteria:
        amendments = [a for a in r.amendments if a.criterion_ref is None or a.applies_to(c)]
        row = {
            "discussion_id": r.id, "learner": r.learner, "assessor": r.assessor, "qualification": r.qualification,
            "qualification_number": r.qualification_number, "source_id": r.source_id, "date": r.started_at,
            "status": r.status, "unit_ref": c.unit_ref, "unit_title": r.unit_title(c.unit_ref),
            "criterion_ref": c.criterion_ref, "criterion_text": c.criterion_text, "pd_listed": c.pd_listed,
            "question": c.question, "answer": c.answer, "answered_at": c.answered_at, "answered_by": c.answered_by,
            "answer_version": c.answer_version,
            "earlier_versions": " | ".join(f"v{v.version} {iso(v.recorded_at)} {v.recorded_by}: {v.text}"
                                           for v in c.earlier_answers),
            "decision": decision_label(c.decision) if c.decision else None, "reason": c.reason,
            "decided_at": c.decided_at, "decided_by": c.decided_by,
            "assessor_signed": signed["assessor"].name if "assessor" in signed else None,
            "assessor_signed_at": signed["assessor"].signed_at if "assessor" in signed else None,
            "learner_signed": signed["learner"].name if "learner" in signed else None,
            "learner_signed_at": signed["learner"].signed_at if "learner" in signed else None,
            "amendments": " | ".join(f"{iso(a.at)} {a.by}: {a.field} '{a.old or ''}' -> '{a.new or ''}' ({a.reason})"
                                     for a in amendments),
        }
        rows.append({k: _cell(v) for k, v in row.items()})
    return rows


def to_csv(r: DiscussionRecord) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(csv_rows(r))
    return out.getvalue().encode("utf-8-sig")
