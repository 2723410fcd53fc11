"""The discussion record as a tagged, accessible PDF (PDF/UA-1) an internal quality assurer can file.

Layout: details of the discussion; a summary of every planned criterion and its decision; then one
block per criterion (its place in the specification, question, answer, decision and reason, each
dated and attributed, and every earlier version with who replaced it, when and why); sign-offs
(marking a signature given before a later change as given to an earlier version), the authenticity
statement and the amendments made after sign-off.

This module chooses every word (`view`); record.typ lays them out and Typst writes the PDF: tagged
(headings, term lists, tables with header cells, footers as artifacts), with the document's title
and language (en-GB), checked against PDF/UA-1 as it is written. Times are UK local time with the
zone named. Text is set in DejaVu Sans when the system has it; a character the font cannot draw is
named ("[cjk unified ideograph-4e2d]"), never dropped silently and never a failed export.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Callable, Optional

import typst

from bot.domain.export.record import (
    FIELD_LABELS,
    ROLE_LABELS,
    STATUS_LABELS,
    AmendmentEntry,
    CriterionEntry,
    DiscussionRecord,
    SignOffEntry,
    decision_label,
    label,
)
from bot.domain.export.text import coverage, day, font_folder, printable, stamp

TEMPLATE = Path(__file__).with_name("record.typ")
STANDARDS = ["ua-1"]
CHANNELS = {"web": "in the web chat", "slack": "in Slack", "teams": "in Microsoft Teams"}
SIGNATURES = {"assessor": "Assessor declaration", "learner": "Learner confirmation",
              "iqa": "IQA declaration"}

Field = list  # [label, text, tone]: tone "", "muted", "note", "warning" or a decision (met, not_yet_met, skipped)


def _unit_line(r: DiscussionRecord, ref: str) -> str:
    unit = next((u for u in r.units if u.ref == ref), None)
    if unit is None:
        return ref
    name = f"Unit {unit.number}: {unit.title}" if unit.number else unit.title
    return f"{name} ({unit.ref})" if name else unit.ref


def _status(r: DiscussionRecord) -> str:
    if r.status != "signed":
        return label(STATUS_LABELS, r.status)
    text = "Signed off by the assessor" + (f" on {stamp(r.signed_at)}" if r.signed_at else "")
    if r.amendments:
        count = len(r.amendments)
        text += (f"; amended after sign-off ({count} amendment{'s' if count > 1 else ''}, "
                 f"the latest on {stamp(r.amendments[-1].at)})")
    return text


def _details(r: DiscussionRecord) -> list[Field]:
    qualification = r.qualification + (f", qualification number {r.qualification_number}"
                                       if r.qualification_number else "")
    method = "Professional discussion" + (f", recorded {CHANNELS[r.channel]}" if r.channel in CHANNELS else "")
    rows = [
        ["Learner", r.learner],
        ["Assessor", r.assessor],
        ["Qualification", qualification],
        ["Awarding body", r.awarding_body or "Not named in the specification"],
        ["Specification", r.specification] if r.specification else None,
        ["Unit" if len(r.units) == 1 else "Units", "\n".join(_unit_line(r, u.ref) for u in r.units)],
        ["Date", day(r.started_at) + (f" (last updated {stamp(r.updated_at)})" if r.updated_at else "")],
        ["Method", method],
        ["Location", r.location] if r.location else None,
        ["Status", _status(r)],
        ["Record number", str(r.id)],
    ]
    return [row for row in rows if row is not None]


def _amended(c: CriterionEntry) -> bool:
    latest = [v.amendment_reason for v in (c.answer_versions[-1:] + c.decision_versions[-1:])]
    return any(reason is not None for reason in latest)


def _ref(r: DiscussionRecord, c: CriterionEntry) -> str:
    unit = next((u for u in r.units if u.ref == c.unit_ref), None)
    prefix = (f"Unit {unit.number} " if unit and unit.number else f"{c.unit_ref} ") if len(r.units) > 1 else ""
    return prefix + c.criterion_ref


def _summary(r: DiscussionRecord) -> dict:
    counts = {k: sum(1 for c in r.criteria if c.decision == k) for k in ("met", "not_yet_met", "skipped")}
    undecided = sum(1 for c in r.criteria if not c.decision)
    rows = [[_ref(r, c), c.criterion_text,
             decision_label(c.decision) + (" (amended after sign-off)" if _amended(c) else "")] for c in r.criteria]
    return {
        "heading": f"Criteria planned ({len(r.criteria)})",
        "counts": f"Met {counts['met']} · Not yet met {counts['not_yet_met']} · Skipped {counts['skipped']} · "
                  f"No decision {undecided}",
        "table": {"columns": ["Criterion", "Assessment criterion (as in the specification)", "Decision"],
                  "widths": [24 if len(r.units) > 1 else 18, 108, 34], "rows": rows},
    }


def _replaced(next_version, at, by: str) -> str:
    """Why and when a version stopped being the current one: what replaced it says so."""
    if next_version is None:
        return "Current"
    if next_version.amendment_reason is not None:
        return f"Replaced {stamp(at)} by {by}, by an amendment after sign-off: {next_version.amendment_reason}"
    return f"Replaced {stamp(at)} by {by}, during the discussion (before sign-off)"


def _history(r: DiscussionRecord, c: CriterionEntry) -> Optional[dict]:
    """Every version of the answer and of the decision, when either was ever changed."""
    if len(c.answer_versions) < 2 and len(c.decision_versions) < 2:
        return None
    rows = []
    answers, decisions = c.answer_versions, c.decision_versions
    for i, a in enumerate(answers):
        later = answers[i + 1] if i + 1 < len(answers) else None
        rows.append([f"Answer, version {a.version}", a.text, f"{stamp(a.recorded_at)}\n{a.recorded_by}",
                     _replaced(later, later.recorded_at if later else None, later.recorded_by if later else "")])
    for i, x in enumerate(decisions):
        later = decisions[i + 1] if i + 1 < len(decisions) else None
        what = decision_label(x.outcome) + (f". Reason: {x.reason}" if x.reason else ". No reason given.")
        rows.append([f"Decision, version {x.version}", what, f"{stamp(x.decided_at)}\n{x.decided_by}",
                     _replaced(later, later.decided_at if later else None, later.decided_by if later else "")])
    return {"caption": f"Every version recorded for {_ref(r, c)}, oldest first",
            "table": {"columns": ["Version", "What was recorded", "When, by whom", "Status"],
                      "widths": [20, 60, 28, 52], "rows": rows}}


def _outcome(c: CriterionEntry) -> str:
    if not c.outcome_ref:
        return c.outcome_text or ""
    kind = "Element" if c.outcome_ref.upper().startswith("E") else "Learning outcome"
    return f"{kind} {c.outcome_ref}: {c.outcome_text}"


def _criterion(r: DiscussionRecord, c: CriterionEntry) -> dict:
    rows: list[Optional[Field]] = [
        ["Unit", _unit_line(r, c.unit_ref), "muted"] if len(r.units) > 1 else None,
        ["Source", c.citation, "muted"] if c.citation else None,
        ["Outcome", _outcome(c), "muted"] if c.outcome_text else None,
        ["Note", "The specification's evidence list for this outcome does not include professional discussion; "
         "other evidence may be needed.", "note"] if c.pd_listed is False else None,
        ["Question", c.question or "No question recorded.", "" if c.question else "muted"],
    ]
    if c.answer is not None:
        version = f", version {c.answer_version}" if c.answer_version and c.answer_version > 1 else ""
        rows += [["Answer", c.answer], ["Recorded", f"{stamp(c.answered_at)} by {c.answered_by}{version}", "muted"]]
        current = c.answer_versions[-1] if c.answer_versions else None
        if current is not None and current.amendment_reason is not None:
            rows.append(["Amended", f"After sign-off: {current.amendment_reason}", "note"])
    else:
        rows.append(["Answer", "No answer recorded.", "muted"])
    rows.append(["Decision", decision_label(c.decision), c.decision or "muted"])
    if c.decision:
        version = f", version {c.decision_versions[-1].version}" if len(c.decision_versions) > 1 else ""
        rows += [["Reason", c.reason or "No reason given."],
                 ["Decided", f"{stamp(c.decided_at)} by {c.decided_by}{version}", "muted"]]
        current = c.decision_versions[-1] if c.decision_versions else None
        if current is not None and current.amendment_reason is not None:
            rows.append(["Amended", f"After sign-off: {current.amendment_reason}", "note"])
    return {"heading": f"{_ref(r, c)}  {c.criterion_text}", "fields": [row for row in rows if row is not None],
            "history": _history(r, c)}


def _signature(s: SignOffEntry) -> list[Field]:
    rows = [[SIGNATURES.get(s.role, label(ROLE_LABELS, s.role)), f"\u201c{s.declaration}\u201d"],
            ["Signed", f"{s.name}, {stamp(s.signed_at)}", "muted"]]
    if s.given_to_earlier_version:
        rows.append(["Given to", "An earlier version of this record: it was changed after this signature"
                     + (f" (first on {stamp(s.record_changed_at)})" if s.record_changed_at else "")
                     + ". See the amendments below.", "warning"])
    if s.no_longer_holds:
        rows.append(["No longer holds", "An amendment after this signature undid it; it is given again on the "
                     "amended record.", "warning"])
    return rows


def _signoffs(r: DiscussionRecord) -> list[list[Field]]:
    """One group of fields per signature (kept together on a page)."""
    groups: list[list[Field]] = []
    for role in ("assessor", "learner", "iqa"):
        signed = [s for s in r.signoffs if s.role == role]
        if not signed and role != "iqa":  # an IQA's signature is optional
            groups.append([[SIGNATURES[role], f"Not yet signed by the {role}.", "note"]])
        groups += [_signature(s) for s in signed]
    return groups


def _change(a: AmendmentEntry, value: Optional[str]) -> str:
    return decision_label(value) if a.field == "decision" and value else (value or "")


def _amendments(r: DiscussionRecord) -> dict:
    multi_unit = len(r.units) > 1
    rows = [[((f"{a.unit_ref} " if multi_unit and a.unit_ref else "") + (a.criterion_ref or "Whole record")),
             label(FIELD_LABELS, a.field), _change(a, a.old), _change(a, a.new), a.reason, f"{a.by}\n{stamp(a.at)}"]
            for a in r.amendments]
    return {"heading": f"Amendments after sign-off ({len(r.amendments)})", "empty": "None.",
            "table": {"columns": ["Criterion", "Changed", "Was", "Now", "Reason for the change", "By, when"],
                      "widths": [19, 19, 32, 32, 36, 26], "rows": rows} if rows else None}


def view(r: DiscussionRecord) -> dict:
    """Everything the PDF says, as plain strings in the order a reader meets them."""
    qualification = r.qualification + (f" ({r.qualification_number})" if r.qualification_number else "")
    return {
        "title": f"Professional discussion record {r.id}: {r.learner}, {qualification}",
        "author": r.assessor,
        "description": "Criteria, answers, assessment decisions and sign-off of a professional discussion",
        "lang": "en", "region": "GB",
        "heading": "Professional discussion record",
        "subtitle": qualification,
        "footer": f"Discussion record {r.id} · {r.learner} · {r.qualification}",
        "details": _details(r),
        "summary": _summary(r),
        "evidence_heading": "Evidence by criterion",
        "criteria": [_criterion(r, c) for c in r.criteria],
        "signoffs": {"heading": "Sign-off", "groups": _signoffs(r)},
        "authenticity": {"heading": "Authenticity", "text": r.authenticity},
        "amendments": _amendments(r),
    }


def _each_string(value, change: Callable[[str], str]):
    if isinstance(value, str):
        return change(value)
    if isinstance(value, list):
        return [_each_string(v, change) for v in value]
    if isinstance(value, dict):
        return {k: _each_string(v, change) for k, v in value.items()}
    return value


def to_pdf(r: DiscussionRecord) -> bytes:
    """The PDF record of one discussion (PDF/UA-1, tagged, en-GB)."""
    folder = font_folder()
    covered = coverage(folder)
    data = _each_string(view(r), lambda text: printable(text, covered))
    data["fonts"] = ["DejaVu Sans"] if folder else ["Libertinus Serif"]  # Typst's own font covers Latin-1
    return typst.compile(TEMPLATE, root=TEMPLATE.parent, sys_inputs={"record": json.dumps(data)},
                         font_paths=[str(folder)] if folder else [], ignore_system_fonts=True,
                         pdf_standards=STANDARDS)
