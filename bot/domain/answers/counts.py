"""Counts said as numbers (issue 13, pattern 3): "how many assessment criteria are in <unit>?" gets "17
assessment criteria", not a list to add up. SVQ units have performance criteria (PCs) and knowledge
statements (K&U) instead of assessment criteria, and elements instead of learning outcomes."""
from __future__ import annotations

import re

from catalogue.model import UnitSpec

from .format import plural

HOW_MANY = re.compile(r"\bhow\s+many\b|\bnumber\s+of\b|\bhow\s+much\s+(?:criteria|k\s*&\s*u)", re.I)
_KINDS = [
    ("ku", re.compile(r"\bk\s*&\s*us?\b|\bk\s+and\s+u\b|\bkus?\b|\bknowledge\b", re.I)),
    ("pc", re.compile(r"\bperformance\s+criteri(?:a|on)s?\b|\bpcs?\b", re.I)),
    ("criteria", re.compile(r"\bcriteri(?:a|on)s?\b|\bacs?\b", re.I)),
    ("outcome", re.compile(r"\boutcomes?\b|\blos\b|\blo\b", re.I)),
    ("element", re.compile(r"\belements?\b", re.I)),
]


def asked(text: str) -> list[str]:
    """The things a question asks the number of, in a fixed order; [] when it asks no count."""
    if not HOW_MANY.search(text):
        return []
    found = [kind for kind, pattern in _KINDS if pattern.search(text)]
    if "pc" in found and "criteria" in found:
        found.remove("criteria")  # "performance criteria" is one thing
    return found


def _run(refs: list[str]) -> str:
    return f"{refs[0]}-{refs[-1]}" if len(refs) > 1 else (refs[0] if refs else "")


def unit_counts(spec: UnitSpec, text: str) -> str | None:
    """'Champion Customer Service (CFACSA17) has 9 knowledge statements (K&U1-K&U9).', or None."""
    kinds = asked(text)
    if not kinds:
        return None
    svq = any(c.kind == "pc" for o in spec.outcomes for c in o.criteria) or bool(spec.knowledge)
    pcs = [c.ref for o in spec.outcomes for c in o.criteria]
    parts = []
    for kind in kinds:
        if kind == "ku" and svq:
            parts.append(f"*{plural(len(spec.knowledge), 'knowledge statement')}* ({_run([k.ref for k in spec.knowledge])})")
        elif kind in ("pc", "criteria") and svq:
            parts.append(f"*{plural(len(pcs), 'performance criterion', 'performance criteria')}* ({_run(pcs)})")
            if kind == "criteria" and "ku" not in kinds and spec.knowledge:
                parts.append(f"{plural(len(spec.knowledge), 'knowledge statement')} "
                             f"({_run([k.ref for k in spec.knowledge])})")
        elif kind in ("criteria", "pc"):
            per = ", ".join(f"{len(o.criteria)} in outcome {o.number}" for o in spec.outcomes)
            parts.append(f"*{plural(len(pcs), 'assessment criterion', 'assessment criteria')}* ({per})")
        elif kind in ("outcome", "element"):
            word = "element" if svq else "learning outcome"
            parts.append(f"*{plural(len(spec.outcomes), word)}*")
        elif kind == "ku":
            parts.append("no separate knowledge statements (its knowledge is in its assessment criteria)")
    parts = list(dict.fromkeys(parts))
    if not parts:
        return None
    return f"{spec.title} ({spec.ref}) has " + " and ".join(parts) + "."
