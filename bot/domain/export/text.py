"""Text helpers shared by the export formats: dates, and making any learner text printable in a PDF font."""
from __future__ import annotations

import unicodedata
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Optional

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"), Path("/usr/share/fonts/TTF"))
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}

# Latin-1 substitutes for the punctuation people type most, used when no Unicode font is installed.
_ASCII = {
    "\u2018": "'", "\u2019": "'", "\u201a": ",", "\u201b": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"',
    "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-", "\u2026": "...", "\u2022": "*", "\u00a0": " ",
    "\u2009": " ", "\u200b": "", "\u2192": "->", "\u2190": "<-", "\u20ac": "EUR", "\ufeff": "",
}


def utc(at: Optional[datetime]) -> Optional[datetime]:
    """Stored times are UTC; SQLite hands them back naive."""
    if at is None:
        return None
    return at.replace(tzinfo=timezone.utc) if at.tzinfo is None else at.astimezone(timezone.utc)


def iso(at: Optional[datetime]) -> Optional[str]:
    at = utc(at)
    return at.isoformat(timespec="seconds") if at else None


def day(at: Optional[datetime]) -> str:
    at = utc(at)
    return f"{at.day} {at:%B %Y}" if at else ""


def stamp(at: Optional[datetime]) -> str:
    at = utc(at)
    return f"{at.day} {at:%b %Y, %H:%M} UTC" if at else ""


def unicode_fonts() -> Optional[dict[str, Path]]:
    """The DejaVu Sans family if the system has it (regular, bold, oblique), else None."""
    for folder in FONT_DIRS:
        paths = {style: folder / name for style, name in FONT_FILES.items()}
        if all(p.is_file() for p in paths.values()):
            return paths
    return None


@lru_cache(maxsize=4)
def _cmap(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True) as font:
        return frozenset(font.getBestCmap())


def _describe(char: str) -> str:
    """A character the font cannot draw, shown by name so the record still says what was typed."""
    name = unicodedata.name(char, "")
    return f"[{name.lower()}]" if name else f"[U+{ord(char):04X}]"


def printable(text: Optional[str], font: Optional[Path]) -> str:
    """`text` made safe to draw: control characters dropped, and each character the font lacks
    replaced by a close substitute (compatibility decomposition, ASCII punctuation) or its name."""
    if not text:
        return ""
    covered = _cmap(font) if font else frozenset(range(256))
    out: list[str] = []
    for char in text.replace("\r\n", "\n").replace("\t", "    "):
        code = ord(char)
        if char == "\n" or (code >= 32 and code in covered and unicodedata.category(char) not in ("Cc", "Cs")):
            out.append(char)
        elif unicodedata.category(char) in ("Cc", "Cf", "Mn") or 0xFE00 <= code <= 0xFE0F:
            continue  # control, zero-width joiner, variation selector, lone combining mark
        elif char in _ASCII and all(ord(c) in covered for c in _ASCII[char]):
            out.append(_ASCII[char])
        else:
            decomposed = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
            if decomposed and decomposed != char and all(ord(c) in covered for c in decomposed):
                out.append(decomposed)
            else:
                out.append(_describe(char))
    return "".join(out)
