"""Loose criterion references: "AC 1.2", "1.2", "pc 5", "PC5", "K&U 8", "ku8" all compare by key."""
from __future__ import annotations

import re

_PREFIX = re.compile(r"^(?:ac|a\.c\.|criterion|crit|question|q)\s*", re.IGNORECASE)
_KU = re.compile(r"^(?:k\s*&\s*u|k\s*and\s*u|ku|k/u|knowledge)\s*\.?\s*(\d+)$", re.IGNORECASE)
_PC = re.compile(r"^(?:p\.?\s*c\.?|performance\s+criterion)\s*\.?\s*(\d+)$", re.IGNORECASE)


def criterion_key(ref: str) -> str:
    text = re.sub(r"\s+", " ", str(ref)).strip().rstrip(".:)").strip()
    m = _KU.match(text)
    if m:
        return f"ku{int(m.group(1))}"
    m = _PC.match(text)
    if m:
        return f"pc{int(m.group(1))}"
    text = _PREFIX.sub("", text)
    m = re.fullmatch(r"(\d+)\s*\.\s*(\d+)", text)
    if m:
        return f"{int(m.group(1))}.{int(m.group(2))}"
    return text.casefold().replace(" ", "")
