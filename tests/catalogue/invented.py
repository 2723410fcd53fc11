"""An invented sixth qualification in the interchange format, written by the tests (no such
qualification exists; the model has never seen its names). Used by the import tests at every level.

Rules: 12 credits; Group A (mandatory) units 1 and 2, 7 credits; Group B at least 5 credits from
units 3 and 4. So a learner who has units 1 and 3 still needs units 2 and 4.
"""
from __future__ import annotations

import copy
import json

ID = "nwa-l2"
TITLE = "Northwind Awards Level 2 Certificate in Guest Services"
UNITS = {  # ref: (number, title, level, credits, glh)
    "T/650/1001": ("1", "Welcome guests to the venue", 2, 4, 30),
    "T/650/1002": ("2", "Handle guest feedback", 2, 3, 24),
    "T/650/1003": ("3", "Prepare rooms for guest events", 2, 3, 22),
    "T/650/1004": ("4", "Promote local attractions to guests", 1, 2, 15),
}
CRITERION = ("T/650/1002", "2.1", "Log a guest's complaint in the venue's feedback record")


def _cite(line: int, section: str | None = None) -> dict:
    return {"source": ID, "line": line, "end_line": None, "section": section}


def _criterion(ref: str, text: str, line: int) -> dict:
    return {"ref": ref, "text": text, "kind": "ac", "line": line, "guidance": None}


def _outcome(number: str, text: str, line: int, criteria: list[tuple[str, str]], evidence=()) -> dict:
    return {"number": number, "text": text, "kind": "knowledge" if text.startswith("Know") else "competence",
            "criteria": [_criterion(r, t, line + 1 + i) for i, (r, t) in enumerate(criteria)], "line": line,
            "guidance": None, "range": None, "evidence": list(evidence),
            "evidence_line": line + 10 if evidence else None, "notes": []}


OUTCOMES = {
    "T/650/1001": [("1", "Know how to greet guests", [("1.1", "Describe how to greet a guest arriving at the venue"),
                                                     ("1.2", "Explain why a first impression matters to a guest")]),
                   ("2", "Be able to respond to guest requests",
                    [("2.1", "Respond to a guest's request within the venue's service standards")])],
    "T/650/1002": [("1", "Know why guest feedback matters", [("1.1", "State two ways a venue collects guest feedback")]),
                   ("2", "Be able to deal with guest feedback",
                    [(CRITERION[1], CRITERION[2]), ("2.2", "Thank a guest for their feedback")])],
    "T/650/1003": [("1", "Be able to prepare a room for an event", [("1.1", "Set out a room to an event plan")])],
    "T/650/1004": [("1", "Know the local attractions", [("1.1", "List three local attractions a guest may visit")])],
}


def document() -> dict:
    """A fresh copy of the whole document (tests break their own copies)."""
    units = []
    line = 100
    for ref, (number, title, level, credits, glh) in UNITS.items():
        outcomes = []
        for i, (n, text, criteria) in enumerate(OUTCOMES[ref]):
            outcomes.append(_outcome(n, text, line + 5 + 20 * i, criteria,
                                     evidence=["Observation", "Professional discussion"] if n == "2" else ()))
        units.append({"source": ID, "ref": ref, "number": number, "title": title, "level": level, "credits": credits,
                      "glh": glh, "line": line, "title_variants": [], "outcomes": outcomes, "knowledge": [],
                      "aim": f"This unit is about how to {title[0].lower() + title[1:]}.", "summary": None,
                      "assessment_requirements": None, "assessment_type": None, "notes": [], "nos": None,
                      "terminology": None, "simulation": None})
        line += 100
    groups = [
        {"id": "A", "label": "Group A mandatory units", "units": ["T/650/1001", "T/650/1002"], "mandatory": True,
         "min_credits": 7, "max_credits": None, "min_units": None, "max_units": None, "line": 40},
        {"id": "B", "label": "Group B optional units", "units": ["T/650/1003", "T/650/1004"], "mandatory": False,
         "min_credits": 5, "max_credits": None, "min_units": None, "max_units": None, "line": 45},
    ]
    qualification = {
        "awarding_body": "Northwind Awards", "title": TITLE, "number": "610/9999/1", "level": 2, "framework": None,
        "credits": 12, "glh": "91", "tqt": 120, "status": None, "dates": {"operational start": "1 September 2026"},
        "grading": "Pass", "age": "16 and above", "entry": "There are no entry requirements.",
        "rules": {"groups": groups, "min_credits": 12, "level_credits": None, "total_units": None,
                  "optional_units": None, "credit_name": "credits", "barred": [], "citation": _cite(38, "Structure"),
                  "text": "Learners must achieve 12 credits: all 7 credits of the mandatory Group A and at least "
                          "5 credits from Group B."},
        "aliases": ["Northwind certificate", "Northwind level 2", "guest services certificate"],
    }
    return {"format": "cs-assistant-catalogue", "version": 1, "id": ID, "short_name": TITLE,
            "file": "northwind_l2_guest_services.txt", "qualification": qualification, "units": units,
            "facts": [{"topic": "grading", "text": "The qualification is graded Pass or Fail.",
                       "citation": _cite(30), "units": []}],
            "evidence_types": [{"key": "observation", "name": "Observation", "description": None,
                                "citation": _cite(60, "Assessment")}],
            "glossary": [{"term": "Venue", "definition": "The place where guests are served.",
                          "citation": _cite(70, "Terms")}],
            "line_count": 600}


def text(doc: dict | None = None) -> bytes:
    return json.dumps(doc if doc is not None else document(), ensure_ascii=False).encode("utf-8")


def changed(doc: dict, **qualification) -> dict:
    out = copy.deepcopy(doc)
    out["qualification"].update(qualification)
    return out
