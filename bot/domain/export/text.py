"""Text helpers shared by the export formats: UK local times, and making any learner text printable in the PDF's font."""
from __future__ import annotations

import re
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


# Emoji with a plain symbol of the same meaning that DejaVu Sans draws (a tick stays a tick).
_SYMBOLS = {"\u2705": "\u2714", "\u2714": "\u2714", "\u2611": "\u2714", "\u274c": "\u2718", "\u274e": "\u2718",
            "\u2716": "\u2718", "\u2b50": "\u2605", "\U0001f31f": "\u2605", "\u2757": "!", "\u2753": "?"}
# Parts of an emoji sequence that only change how the emoji before them looks: skin tones, the keycap
# frame ("1️⃣" is "1"), the emoji/text style selectors and the zero-width joiner.
_MODIFIERS = set(range(0x1F3FB, 0x1F400)) | {0x20E3, 0x200D} | set(range(0xFE00, 0xFE10))
_FLAG_LETTERS = range(0x1F1E6, 0x1F200)  # regional indicators: a pair is a country's flag


def _is_emoji(code: int) -> bool:
    return 0x1F000 <= code <= 0x1FAFF or 0x2600 <= code <= 0x27BF or 0x2300 <= code <= 0x23FF or \
        0x2B00 <= code <= 0x2BFF


def _describe(char: str) -> str:
    """A character the font cannot draw, shown by name so the record still says what was typed:
    "[emoji: chart with upwards trend]", "[cjk unified ideograph-4e2d]"."""
    name = unicodedata.name(char, "")
    if not name:
        return f"[U+{ord(char):04X}]"
    return f"[emoji: {name.lower()}]" if _is_emoji(ord(char)) else f"[{name.lower()}]"


def _flags(text: str, covered: frozenset[int]) -> str:
    """Each pair of regional indicators the font lacks as "[flag: GB]"."""
    def flag(m: re.Match) -> str:
        pair = m.group(0)
        if all(ord(c) in covered for c in pair):
            return pair
        return "[flag: " + "".join(chr(ord(c) - 0x1F1E6 + ord("A")) for c in pair) + "]"
    return re.sub("[\U0001F1E6-\U0001F1FF]{2}", flag, text)


def printable(text: Optional[str], covered: frozenset[int]) -> str:
    """`text` made safe to draw: control characters dropped, and each character the fonts lack
    (not in `covered`) replaced by a close substitute (a symbol of the same meaning for a tick, cross or
    star emoji, compatibility decomposition, ASCII punctuation) or its name ("[emoji: thumbs up sign]",
    "[flag: GB]"; skin tones and other emoji modifiers dropped), so a PDF/UA file never has a glyph missing and the record still says what was typed."""
    if not text:
        return ""
    out: list[str] = []
    for char in _flags(text.replace("\r\n", "\n").replace("\t", "    "), covered):
        code = ord(char)
        if code in _MODIFIERS:
            continue  # skin tone, keycap frame, emoji/text style, zero-width joiner: nothing of their own to say
        if char == "\n" or (code >= 32 and code in covered and unicodedata.category(char) not in ("Cc", "Cf", "Cs")):
            out.append(char)
        elif unicodedata.category(char) in ("Cc", "Cf", "Mn"):
            continue  # control, format character, lone combining mark
        elif char in _SYMBOLS and all(ord(c) in covered for c in _SYMBOLS[char]):
            out.append(_SYMBOLS[char])
        elif char in _ASCII and all(ord(c) in covered for c in _ASCII[char]):
            out.append(_ASCII[char])
        else:
            decomposed = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
            if decomposed and decomposed != char and all(ord(c) in covered for c in decomposed):
                out.append(decomposed)
            else:
                out.append(_describe(char))
    return "".join(out)
