"""A qualification's rule of combination in words: the whole structure, every number stated.

Used by the qualification facts (credits, "rules of combination", "what's mandatory") and by the unit
and progress answers for a group's limits, so a group's rule is phrased one way everywhere.
"""
from __future__ import annotations

import re

from catalogue.model import Group
from catalogue.parsers import SOURCES_DIR

from . import cite
from .format import plural


def rule_parts(group: Group, credit_name: str = "credits") -> list[str]:
    """A group's limits in words: ["at least 16 credits"], ["at most 7 credits"], ["at least 1 unit"]."""
    parts = []
    if group.min_credits:
        parts.append(f"at least {group.min_credits} {credit_name}")
    if group.max_credits is not None:
        parts.append(f"at most {group.max_credits} {credit_name}")
    if group.min_units:
        parts.append(f"at least {plural(group.min_units, 'unit')}")
    if group.max_units is not None:
        parts.append(f"at most {plural(group.max_units, 'unit')}")
    return parts


def group_text(group: Group, credit_name: str = "credits") -> str:
    if group.mandatory:
        return f"Group {group.id} (mandatory)"
    parts = rule_parts(group, credit_name)
    return f"Group {group.id} (optional{': ' + ', '.join(parts) if parts else ''})"


def _credits(cat, sid: str, refs: list[str]) -> int:
    return sum(cat.spec(r, sid).credits or 0 for r in refs)


def group_notes(cat, sid: str, g: Group) -> list[tuple[int, str]]:
    """(line, text) of what the specification says under a group's heading before its unit table, other
    than the rule itself ("(All optional credits can be achieved from this group)", HABC)."""
    lines = source_lines(cat, sid)
    notes = []
    for number in range(g.line + 1, min(g.line + _NOTE_LINES, len(lines)) + 1):
        line = lines[number - 1].strip()
        if "\t" in line or line.startswith(("-", "Unit")):
            break  # the unit table starts
        if line and not line.startswith("Learners "):  # "Learners must achieve ...": the rule, said already
            notes.append((number, line.replace("**", "")))
    return notes


_NOTE_LINES = 8


def source_lines(cat, sid: str) -> list[str]:
    key = f"answers.lines.{sid}"
    if key not in cat.cache:
        cat.cache[key] = (SOURCES_DIR / cat.source(sid).file).read_text(encoding="utf-8").splitlines()
    return cat.cache[key]


def fewest_units(cat, sid: str, g: Group, cn: str) -> str | None:
    """How many units a group's credit minimum takes at the fewest, worked out from its units' credits
    ("every unit in it is worth 3 credits, so at least 2 units"); None where it sets no credit minimum."""
    if g.mandatory or not g.min_credits:
        return None
    worth = sorted((cat.spec(r, sid).credits for r in g.units), reverse=True)
    total, needed = 0, 0
    for credits in worth:
        if total >= g.min_credits:
            break
        total, needed = total + credits, needed + 1
    if total < g.min_credits:
        return None
    if len(set(worth)) == 1:
        return f"every unit in it is worth {plural(worth[0], cn.removesuffix('s'))}, so at least {plural(needed, 'unit')}"
    return f"at least {plural(needed, 'unit')} (its largest units)"


def _group_line(cat, sid: str, g: Group, cn: str) -> str:
    worth = _credits(cat, sid, g.units)
    if g.mandatory:
        units = "; ".join(f"{cat.spec(r, sid).title} ({r}, {cat.spec(r, sid).credits})" for r in g.units)
        return f"- {group_text(g, cn)}: all {plural(len(g.units), 'unit')}, {worth} {cn}: {units}"
    fewest = fewest_units(cat, sid, g, cn)
    return (f"- {group_text(g, cn)}: {plural(len(g.units), 'unit')} to choose from, worth {worth} {cn} in all"
            + (f"; {fewest}" if fewest else ""))


_UNIT_RULE = re.compile(r"The candidate must complete[^\t\n]*")


def structure(cat, sid: str) -> tuple[str, str]:
    """The complete rule of combination as one cited section."""
    q = cat.source(sid).qualification
    r = q.rules
    cn = r.credit_name
    mandatory = [g for g in r.groups if g.mandatory]
    m_units = [u for g in mandatory for u in g.units]
    all_units = {u for g in r.groups for u in g.units}
    rows = [f"*Rules of combination of the {q.title}*" + (f" ({q.number})" if q.number else "") + ":",
            f"- Total: at least {r.min_credits} {cn}; {plural(len(all_units), 'unit')} in its groups"]
    if mandatory:
        rows.append(f"- Mandatory: {plural(len(m_units), 'unit')}, {_credits(cat, sid, m_units)} {cn}")
    if r.level_credits:
        level, credits = r.level_credits
        rows.append(f"- At least {credits} {cn} from units at level {level} or above")
    if r.total_units:
        rows.append(f"- Exactly {plural(r.total_units, 'unit')}: {len(m_units)} mandatory and "
                    f"{r.optional_units} optional")
        # which groups the optional units come from is said in prose inside the table (SVQ): quoted whole
        rows += [f"- As stated: \"{rule.strip()}\"" for rule in _UNIT_RULE.findall(r.text)]
    rows += [_group_line(cat, sid, g, cn) for g in r.groups]
    hours = [f"GLH {q.glh}" if q.glh else "GLH not stated", f"TQT {q.tqt}" if q.tqt else "TQT not stated"]
    rows.append(f"- {'; '.join(hours)}")
    return "\n".join(rows), cite.rules_source(cat, sid)
