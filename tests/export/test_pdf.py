"""The PDF record, read back with pypdf: every field an internal quality assurer looks for."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from bot.domain.export import text as export_text
from bot.domain.export.pdf import to_pdf
from bot.domain.export.record import AUTHENTICITY_STATEMENT, UnitEntry
from tests.export.sample import LONG, sample_record


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


FOOTER = re.compile(r"^Discussion record \d+ · .* Page \d+ of \d+$", re.M)


def flat(text: str) -> str:
    """Page footers dropped and wrapped lines joined: a phrase is found across line and page breaks."""
    return re.sub(r"\s+", " ", FOOTER.sub("", text))


@pytest.fixture(scope="module")
def rendered() -> tuple[bytes, str]:
    data = to_pdf(sample_record())
    return data, flat(pdf_text(data))


def test_is_a_pdf_with_page_numbers(rendered):
    data, _ = rendered
    text = pdf_text(data)
    assert data.startswith(b"%PDF-")
    pages = len(PdfReader(io.BytesIO(data)).pages)
    assert pages >= 2  # the long answer flows onto further pages
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text


def test_details(rendered):
    _, text = rendered
    for expected in ("Professional discussion record", "Learner Priya Learner", "Assessor Sam Assessor",
                     "HABC Level 3 Diploma in Customer Service (QCF), qualification number 601/4027/6",
                     "Awarding body HABC", "J/506/2910 (unit 3): Understand customers and customer retention",
                     "Date 12 March 2025", "recorded via web", "signed, signed 12 Mar 2025, 10:20 UTC",
                     "Discussion 42"):
        assert expected in text, expected


def test_criteria_planned_summary(rendered):
    _, text = rendered
    assert "Criteria planned (5)" in text
    assert "Met 2 · Not yet met 1 · Skipped 1 · No decision 1" in text
    summary = text[text.index("Criteria planned"):text.index("Evidence by criterion")]
    refs = re.findall(r"\b([13]\.[1-3])\b", summary)
    assert refs == ["1.1", "1.2", "3.1", "3.2", "3.3"]


def test_each_criterion_block(rendered):
    _, text = rendered
    evidence = text[text.index("Evidence by criterion"):]
    block_11 = evidence[evidence.index("1.1 Explain the concept"):evidence.index("1.2 Explain different")]
    assert "Question What does “customer experience” mean where you work?" in block_11
    assert "Answer I’d say the “customer experience” is everything they feel about us" in block_11
    assert "Recorded 12 Mar 2025, 10:03 UTC by Sam Assessor, version 2" in block_11
    assert "Earlier (v1) It is how customers feel 12 Mar 2025, 10:02 UTC by Sam Assessor" in block_11
    assert "Decision Met Reason Clear explanation with an example from the learner’s own role." in block_11
    assert "Decided 12 Mar 2025, 10:04 UTC by Sam Assessor" in block_11
    block_12 = evidence[evidence.index("1.2 Explain different"):evidence.index("3.1 Describe")]
    assert "Decision Not yet met Reason Named groups but did not explain the methods; revisit." in block_12
    block_31 = evidence[evidence.index("3.1 Describe"):evidence.index("3.2 Explain the factors")]
    assert "does not include professional discussion" in block_31  # pd_listed False
    assert "does not include" not in block_11
    assert flat(LONG) in block_31  # a long answer is printed whole, across pages
    block_32 = evidence[evidence.index("3.2 Explain the factors"):evidence.index("3.3 Explain the features")]
    assert "(no answer recorded)" in block_32 and "Decision Skipped Reason Covered by observation on 3 March." in block_32
    block_33 = evidence[evidence.index("3.3 Explain the features"):evidence.index("Sign-off")]
    assert "Decision No decision" in block_33 and "Reason" not in block_33


def test_signoffs_authenticity_and_amendments(rendered):
    _, text = rendered
    tail = text[text.index("Sign-off"):]
    assert "Assessor declaration “I confirm the decisions above are mine.” Signed Sam Assessor, 12 Mar 2025, 10:15 UTC" in tail
    assert "Learner confirmation “These answers are my own work.” Signed Priya Learner, 12 Mar 2025, 10:20 UTC" in tail
    assert flat(AUTHENTICITY_STATEMENT) in tail
    amendments = tail[tail.index("Amendments after sign-off (1)"):]
    for expected in ("1.2", "reason", "Typo in the recorded", "Sam Assessor"):
        assert expected in amendments


def test_unsigned_record_says_so():
    record = sample_record()
    record.signoffs, record.amendments, record.status, record.signed_at = [], [], "finished", None
    text = flat(pdf_text(to_pdf(record)))
    assert "Assessor declaration Not yet signed by the assessor." in text
    assert "Learner confirmation Not yet signed by the learner." in text
    assert "Amendments after sign-off (0) None." in text


def test_unicode_is_drawn_or_named_never_dropped(rendered):
    _, text = rendered
    assert "Клиент всегда прав; ελληνικά" in text  # Cyrillic and Greek in DejaVu Sans
    assert "[cjk unified ideograph-4e2d]" in text  # no installed font has CJK: named, not lost
    assert "😀" in text  # DejaVu Sans has this emoji


@pytest.mark.parametrize("answer", [
    "\x00\x07 control characters \x1b[31m and a tab\there",
    "🧑🏽‍💻 zero-width joiner sequences and skin tones 👍🏿",
    "\ud800 a lone surrogate",
    "e\u0301 combining accent, \u202e right-to-left override",
    "x" * 5000,  # one unbreakable word
    "",
])
def test_any_text_renders(answer):
    record = sample_record()
    record.criteria[0].answer = answer
    assert to_pdf(record).startswith(b"%PDF-")


def test_without_unicode_font_falls_back_to_latin1(monkeypatch):
    monkeypatch.setattr("bot.domain.export.pdf.unicode_fonts", lambda: None)
    text = flat(pdf_text(to_pdf(sample_record())))
    assert "I'd say the \"customer experience\" is everything they feel about us [grinning face] - start to finish..." in text
    assert "[cyrillic capital letter ka]" in text


def test_printable_substitutions():
    assert export_text.printable("a\u200bb\ufe0f", None) == "ab"
    assert export_text.printable("“quoted” – café", None) == "\"quoted\" - café"
    assert export_text.printable("ﬁne", None) == "fine"  # ligature decomposed
    assert export_text.printable("\u0100", None) == "A"  # Ā outside Latin-1: accent dropped


def test_sample_is_kept_in_docs():
    docs = Path(__file__).resolve().parents[2] / "docs" / "samples"
    assert (docs / "discussion-record.pdf").read_bytes().startswith(b"%PDF-")
    assert (docs / "discussion-record.png").read_bytes().startswith(b"\x89PNG")


def test_amended_criterion_points_to_the_amendment(rendered):
    _, text = rendered
    text = text[text.index("Evidence by criterion"):]
    block_12 = text[text.index("1.2 Explain different methods"):text.index("3.1 Describe")]
    assert "Amended reason amended after sign-off, 12 Mar 2025, 10:30 UTC by Sam Assessor: Typo in the recorded reason" \
        in block_12
    block_11 = text[text.index("1.1 Explain the concept"):text.index("1.2 Explain different methods")]
    assert "Amended" not in block_11


def test_units_named_per_criterion_only_when_several():
    record = sample_record()
    assert "Unit J/506/2910" not in flat(pdf_text(to_pdf(record)))  # one unit: named in the details only
    record.units.append(UnitEntry("K/506/2169", "Resolve customers' problems", "4"))
    record.criteria[1].unit_ref = "K/506/2169"  # the amendment names unit J/506/2910, so it no longer applies
    record.amendments[0].unit_ref = "J/506/2910"
    text = flat(pdf_text(to_pdf(record)))
    assert "Unit J/506/2910: Understand customers and customer retention" in text
    assert "Unit K/506/2169: Resolve customers' problems" in text
    assert "K/506/2169 1.2" in text  # the summary table gives the unit with the reference
    assert "Amended reason amended" not in text
