"""Text helpers shared by the export formats: UK local times, and making any learner text printable in the PDF's font."""
from __future__ import annotations

import unicodedata
from datetime import datetime, timezone
from zoneinfo import ZoneInfo
from functools import lru_cache
from pathlib import Path
from typing import Optional

UK = ZoneInfo("Europe/London")
TIME_ZONE = "Europe/London"
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"), Path("/usr/share/fonts/TTF"))
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}

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


def local(at: Optional[datetime]) -> Optional[datetime]:
    """The time in the UK (GMT in winter, BST in summer)."""
    at = utc(at)
    return at.astimezone(UK) if at else None


def iso(at: Optional[datetime]) -> Optional[str]:
    """ISO 8601 with the UK offset of that moment: the same instant as stored, read as a UK centre reads it."""
    at = local(at)
    return at.isoformat(timespec="seconds") if at else None


def sheet_time(at: Optional[datetime]) -> str:
    """"2025-07-12 11:03:00 BST": UK local time with its zone, sortable as text in a spreadsheet."""
    at = local(at)
    return f"{at:%Y-%m-%d %H:%M:%S} {at.tzname()}" if at else ""


def day(at: Optional[datetime]) -> str:
    at = local(at)
    return f"{at.day} {at:%B %Y}" if at else ""


def stamp(at: Optional[datetime]) -> str:
    """"12 Mar 2025, 10:03 GMT" / "12 Jul 2025, 11:03 BST"."""
    at = local(at)
    return f"{at.day} {at:%b %Y, %H:%M} {at.tzname()}" if at else ""


def font_folder() -> Optional[Path]:
    """The folder with DejaVu Sans (regular and bold, the two styles learner text is set in), else None."""
    for folder in FONT_DIRS:
        if all((folder / name).is_file() for name in FONT_FILES.values()):
            return folder
    return None


@lru_cache(maxsize=4)
def _cmap(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True) as font:
        return frozenset(font.getBestCmap())


def coverage(folder: Optional[Path]) -> frozenset[int]:
    """The characters every style in `folder` can draw; Latin-1 without a font folder (the built-in fonts' range)."""
    if folder is None:
        return frozenset(range(256))
    return frozenset.intersection(*(_cmap(folder / name) for name in FONT_FILES.values()))


def _describe(char: str) -> str:
    """A character the font cannot draw, shown by name so the record still says what was typed."""
    name = unicodedata.name(char, "")
    return f"[{name.lower()}]" if name else f"[U+{ord(char):04X}]"


def printable(text: Optional[str], covered: frozenset[int]) -> str:
    """`text` made safe to draw: control characters dropped, and each character the fonts lack
    (not in `covered`) replaced by a close substitute (compatibility decomposition, ASCII punctuation)
    or its name, so a PDF/UA file never has a glyph missing and the record still says what was typed."""
    if not text:
        return ""
    out: list[str] = []
    for char in text.replace("\r\n", "\n").replace("\t", "    "):
        code = ord(char)
        if char == "\n" or (code >= 32 and code in covered and unicodedata.category(char) not in ("Cc", "Cf", "Cs")):
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
