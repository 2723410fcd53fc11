"""Naming sources in replies: "SFJ Awards Level 2 Diploma, 4.9 Use of Simulated Activities, lines 446-465"."""
from __future__ import annotations

from typing import Iterable

from catalogue.model import Citation, UnitSpec

_MAX_SECTION = 48  # longer section headings are cut short: the attribution must stay one short line


def name(cat, source_id: str) -> str:
    return cat.source(source_id).short_name


def title(cat, source_id: str) -> str:
    """The qualification's full title, or the source's short name for the unit pool."""
    doc = cat.source(source_id)
    return doc.qualification.title if doc.qualification else doc.short_name


def lines(citations: Iterable[Citation]) -> str:
    spans = sorted({(c.line, c.end_line or c.line) for c in citations})
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    parts = [f"{a}" if a == b else f"{a}-{b}" for a, b in merged]
    single = len(merged) == 1 and merged[0][0] == merged[0][1]
    return f"{'line' if single else 'lines'} {', '.join(parts)}"


def cite(cat, citations: Iterable[Citation]) -> str:
    """One attribution for citations of one source (several sources: joined with '; ')."""
    by_source: dict[str, list[Citation]] = {}
    for c in citations:
        by_source.setdefault(c.source, []).append(c)
    out = []
    for source_id, cs in by_source.items():
        sections = {c.section for c in cs}
        section = next(iter(sections)) if len(sections) == 1 else None
        where = f"{_clip(section)}, " if section else ""
        out.append(f"{name(cat, source_id)}, {where}{lines(cs)}")
    return "; ".join(out)


def _clip(section: str) -> str:
    """A long section heading cut at a word, so the reader still learns where to look."""
    if len(section) <= _MAX_SECTION:
        return section
    return section[:_MAX_SECTION].rsplit(" ", 1)[0].rstrip(" ,;:-") + "…"


def unit_part(cat, spec: UnitSpec) -> str:
    """"SFJ Awards Level 2 Diploma, unit 206": the specification and the unit, as a reader finds them."""
    number = f"unit {spec.number}" if spec.number else f"unit {spec.ref}"
    return f"{name(cat, spec.source)}, {number}"


def unit_source(cat, spec: UnitSpec) -> str:
    return f"{unit_part(cat, spec)}, line {spec.line}"


def rules_source(cat, source_id: str) -> str:
    rules = cat.source(source_id).qualification.rules
    if rules.citation is None:
        return f"{name(cat, source_id)}, rules of combination"
    return f"{name(cat, source_id)}, rules of combination, {lines([rules.citation])}"


def fact_sections(cat, header: str, items: list[tuple[str, Citation]], tail: list[str] = ()) -> list[tuple[str, str]]:
    """A header and cited statements as "- " lines, packed into replies that fit a chat message, each
    reply citing only the lines it quotes. `tail` lines (uncited remarks) go at the end."""
    from bot.domain.replies import MAX_REPLY_CHARS

    blocks: list[tuple[list[str], list[Citation]]] = [([header], [])]
    for text, citation in items:
        line = f"- {text}"
        rows, cites = blocks[-1]
        if cites and sum(len(r) + 1 for r in rows) + len(line) > MAX_REPLY_CHARS:
            blocks.append(([], []))
            rows, cites = blocks[-1]
        rows.append(line)
        cites.append(citation)
    blocks[-1][0].extend(tail)
    sources = {c.source for _, cs in blocks for c in cs}
    fallback = name(cat, next(iter(sources))) if len(sources) == 1 else None
    return [("\n".join(rows), cite(cat, cites) if cites else fallback) for rows, cites in blocks]
