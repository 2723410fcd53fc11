"""Shared reply formatting: lists, unit labels, source names, button payloads and paging.

Long answers are cut into pages of at most MAX_REPLY_CHARS. The answers layer keeps no state, so the
"Show more" button carries the original intent, message text and the next page number in its payload;
the action passes that payload back to `respond` as the message text (see `parse_payload`).
"""
from __future__ import annotations

import json
import re
from typing import Iterable

from bot.domain.replies import MAX_REPLY_CHARS, Button, Reply
from catalogue.model import Citation, UnitSpec

SHOW_MORE = "Show more"
_PAYLOAD = re.compile(r"^/(\w+)(\{.*\})?\s*$", re.S)


def payload(intent: str, **entities: object) -> str:
    """A slash-intent payload, e.g. /report_units{"unit": "D/506/2119"}."""
    return f"/{intent}{json.dumps(entities, ensure_ascii=False)}" if entities else f"/{intent}"


def parse_payload(text: str) -> tuple[str, dict[str, list[str]]] | None:
    """(intent, entities) of a slash-intent payload, or None for ordinary text."""
    m = _PAYLOAD.match(text.strip())
    if not m:
        return None
    try:
        raw = json.loads(m.group(2)) if m.group(2) else {}
    except json.JSONDecodeError:
        return None
    if not isinstance(raw, dict):
        return None
    entities = {k: [str(x) for x in v] if isinstance(v, list) else [str(v)] for k, v in raw.items()}
    return m.group(1), entities


def bullets(items: Iterable[str]) -> str:
    return "\n".join(f"- {i}" for i in items)


def join_words(items: list[str], last: str = "and") -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def upper_first(text: str) -> str:
    """'recognition of prior learning (RPL)' -> 'Recognition of prior learning (RPL)' (str.capitalize lowers the rest)."""
    return text[:1].upper() + text[1:]


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def unit_label(spec: UnitSpec, with_number: bool = True) -> str:
    """'Communicate verbally with customers (D/506/2119)', with the source's own unit number if any."""
    number = f"Unit {spec.number} " if with_number and spec.number else ""
    return f"{number}{spec.title} ({spec.ref})"


def source_name(cat, source_id: str) -> str:
    src = cat.source(source_id)
    return src.short_name if src is not None else source_id


def cite(cat, citation: Citation) -> str:
    return citation.label(_sources_dict(cat))


def _sources_dict(cat) -> dict:
    sources = cat.sources
    return sources if isinstance(sources, dict) else {s.id: s for s in sources}


def split_text(text: str, limit: int = MAX_REPLY_CHARS) -> list[str]:
    """Cut text into chunks of at most `limit` characters, at line breaks, else sentences, else words."""
    chunks: list[str] = []
    current = ""
    for piece in _pieces(text, limit):
        candidate = f"{current}\n{piece}" if current else piece
        if len(candidate) <= limit:
            current = candidate
        else:
            chunks.append(current)
            current = piece
    if current:
        chunks.append(current)
    return chunks or [""]


def _pieces(text: str, limit: int) -> Iterable[str]:
    for line in text.split("\n"):
        if len(line) <= limit:
            yield line
            continue
        part = ""
        for word in re.split(r"(?<=[.;:]) |(?<=\S) (?=\S)", line):
            if len(part) + len(word) + 1 > limit and part:
                yield part
                part = word
            else:
                part = f"{part} {word}" if part else word
        if part:
            yield part


Section = tuple[str, "str | None"]  # (text, source) of one reply
PAGE_REPLIES = 3  # replies sent at once; more wait behind "Show more"


def paged(
    sections: list[Section] | str,
    source: str | None = None,
    intent: str = "",
    message: str = "",
    page: int = 1,
    buttons: list[Button] | None = None,
    entities: dict[str, list[str]] | None = None,
) -> list[Reply]:
    """One page of a possibly long answer.

    `sections` are (text, source) pairs (or one text with `source`); each is cut into replies of at most
    MAX_REPLY_CHARS keeping its source, and PAGE_REPLIES replies make a page. A 'Show more' button on
    the page's last reply asks for the next page of the same answer (intent, message and entities are
    carried in its payload). `buttons` go on the final page only, once everything has been read.
    """
    if isinstance(sections, str):
        sections = [(sections, source)]
    replies = [Reply(chunk, source=src) for text, src in sections for chunk in split_text(text)]
    pages = [replies[i:i + PAGE_REPLIES] for i in range(0, len(replies), PAGE_REPLIES)] or [[Reply("")]]
    page = min(max(page, 1), len(pages))
    shown = pages[page - 1]
    if page < len(pages):
        extra = {k: v for k, v in (entities or {}).items() if k not in ("text", "page") and v}
        shown[-1].buttons.append(Button(SHOW_MORE, payload(intent, text=message, page=str(page + 1), **extra)))
    elif buttons:
        shown[-1].buttons.extend(buttons)
    return shown


def fit(replies: list[Reply]) -> list[Reply]:
    """Replies cut to the chat limit: a long one becomes several with the same source, buttons on the last."""
    out: list[Reply] = []
    for reply in replies:
        chunks = split_text(reply.text)
        out += [Reply(chunk, source=reply.source) for chunk in chunks[:-1]]
        out.append(Reply(chunks[-1], buttons=reply.buttons, source=reply.source))
    return out
