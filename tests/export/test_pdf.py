"""The PDF record, read back with pypdf: every field an internal quality assurer looks for, the whole
history, the words a person would write, and the tags, language and title a screen reader needs."""
from __future__ import annotations

import io
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from bot.domain.export import text as export_text
from bot.domain.export.pdf import to_pdf
from bot.domain.export.record import AUTHENTICITY_STATEMENT, SignOffEntry, UnitEntry
from tests.export.sample import AMENDED_REASON, FIRST_REASON, LONG, WHY_AMENDED, at, sample_record


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


FOOTER = re.compile(r"^Discussion record \d+ · .* Page \d+ of \d+$", re.M)


def flat(text: str) -> str:
    """Page footers dropped and wrapped lines joined: a phrase is found across line and page breaks."""
    return re.sub(r"\s+", " ", FOOTER.sub("", text))


def between(text: str, start: str, end: str) -> str:
    return text[text.index(start):text.index(end, text.index(start))]


@pytest.fixture(scope="module")
def rendered() -> tuple[bytes, str]:
    data = to_pdf(sample_record())
    return data, flat(pdf_text(data))


def evidence(text: str) -> str:
    return text[text.index("Evidence by criterion"):]


def test_is_a_pdf_with_page_numbers(rendered):
    data, _ = rendered
    text = pdf_text(data)
    assert data.startswith(b"%PDF-")
    pages = len(PdfReader(io.BytesIO(data)).pages)
    assert pages >= 2  # the long answer flows onto further pages
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text


# ------------------------------------------------------------------ accessibility


def structure(data: bytes) -> list[str]:
    """The structure tree's element types, depth first (pypdf reads the tags)."""
    root = PdfReader(io.BytesIO(data)).trailer["/Root"]
    found: list[str] = []

    def walk(node) -> None:
        node = node.get_object()
        if isinstance(node, ArrayObject):
            for child in node:
                walk(child)
        elif isinstance(node, DictionaryObject) and "/S" in node:
            found.append(str(node["/S"]))
            if "/K" in node:
                walk(node["/K"])

    walk(root["/StructTreeRoot"]["/K"])
    return found


def test_tagged_with_title_language_and_pdf_ua_claim(rendered):
    data, _ = rendered
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712  (a pypdf BooleanObject)
    assert root["/Lang"] == "en-GB"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712  viewers show the title, not the file name
    assert reader.metadata.title == ("Professional discussion record 42: Priya Learner, "
                                     "HABC Level 3 Diploma in Customer Service (QCF) (601/4027/6)")
    assert reader.metadata.author == "Sam Assessor"
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfuaid:part(>|=\")1", xmp), "the file claims PDF/UA-1"


def test_structure_tree_has_headings_lists_and_tables(rendered):
    data, _ = rendered
    tags = structure(data)
    assert tags[0] == "/Document"
    assert tags.count("/H1") == 1 and tags.count("/H2") == 4  # criteria planned, evidence, sign-off, amendments
    assert tags.count("/H3") == 5 + 1  # one per criterion, and Authenticity
    # tables: the summary, two criteria's version histories, the amendments; each with header cells
    assert tags.count("/Table") == 4 and tags.count("/THead") == 4 and tags.count("/TH") == 3 + 4 + 4 + 6
    assert tags.count("/TD") > 20
    assert tags.count("/L") >= 5 and tags.count("/Lbl") == tags.count("/LBody") > 40  # labelled fields


def test_passes_a_pdf_ua_checker(rendered, tmp_path):
    """pdfua checks a machine-checkable subset of PDF/UA-1 (Typst checks its own set as it writes the file)."""
    from pdfua import Severity, validate

    data, _ = rendered
    path = tmp_path / "record.pdf"
    path.write_bytes(data)
    report = validate(str(path))
    problems = [(f.rule_id, f.message) for f in report.findings if f.severity >= Severity.WARNING]
    assert problems == []
    assert len(report.outcomes) - len(report.skipped) >= 10  # it really ran its rules


def test_all_text_is_tagged_and_footers_are_artifacts(rendered):
    """Every piece of text on every page sits in tagged content, except the running footer (an artifact)."""
    import pikepdf

    data, _ = rendered
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            inside, counts = [], {"tagged": 0, "artifact": 0, "untagged": 0}
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op in ("BDC", "BMC"):
                    inside.append(str(operands[0]))
                elif op == "EMC":
                    inside.pop()
                elif op in ("Tj", "TJ"):
                    counts["artifact" if "/Artifact" in inside else "tagged" if inside else "untagged"] += 1
            assert counts["untagged"] == 0 and counts["artifact"] >= 1 and counts["tagged"] > 10, counts


def test_typst_checks_pdf_ua_as_it_writes(monkeypatch):
    """With the font check bypassed, a character DejaVu Sans lacks makes Typst refuse the file under
    PDF/UA-1: the standard is enforced, not only claimed (printable() is what keeps exports working)."""
    import typst

    monkeypatch.setattr("bot.domain.export.pdf.printable", lambda text, covered: text)
    record = sample_record()
    record.criteria[0].answer = "中"
    with pytest.raises(typst.TypstError, match="PDF/UA"):
        to_pdf(record)


def test_untagged_pdf_fails_that_checker(tmp_path):
    """The checker can fail: a PDF without tags (what fpdf2 made before) is refused."""
    from pdfua import Severity, validate
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    path = tmp_path / "untagged.pdf"
    with path.open("wb") as f:
        writer.write(f)
    assert any(f.severity == Severity.ERROR for f in validate(str(path)).findings)


# ------------------------------------------------------------------ content


def test_details_in_words_an_iqa_expects(rendered):
    _, text = rendered
    details = text[:text.index("Criteria planned")]
    for expected in ("Professional discussion record", "Learner Priya Learner", "Assessor Sam Assessor",
                     "Qualification HABC Level 3 Diploma in Customer Service (QCF), qualification number 601/4027/6",
                     "Awarding body HABC", "Specification HABC Level 3 Diploma",
                     "Unit Unit 3: Understand customers and customer retention (J/506/2910)",
                     "Date 12 March 2025 (last updated 12 Mar 2025, 10:30 GMT)",
                     "Method Professional discussion, recorded in the web chat",
                     "Status Signed off by the assessor on 12 Mar 2025, 10:15 GMT; amended after sign-off "
                     "(1 amendment, the latest on 12 Mar 2025, 10:30 GMT)",
                     "Record number 42"):
        assert expected in details, expected


def test_no_raw_values_internal_ids_or_utc(rendered):
    _, text = rendered
    for raw in ("not_yet_met", "habc-l3", "via", "rest", "UTC", "signed, signed", "not stated", "None", "null"):
        assert not re.search(rf"\b{re.escape(raw)}\b", text, re.I), raw


def test_channel_and_awarding_body_wording():
    record = sample_record()
    record.channel, record.awarding_body, record.location = "rest", None, "Leeds contact centre, room 2"
    text = flat(pdf_text(to_pdf(record)))
    assert "Method Professional discussion Location Leeds contact centre, room 2" in text  # REST: no channel named
    assert "Awarding body Not named in the specification" in text
    for channel, words in (("slack", "in Slack"), ("teams", "in Microsoft Teams")):
        record.channel = channel
        assert f"Method Professional discussion, recorded {words}" in flat(pdf_text(to_pdf(record)))


def test_status_of_an_unsigned_record():
    record = sample_record()
    record.signoffs, record.amendments, record.signed_at = [], [], None
    for status, words in (("open", "In progress"), ("paused", "Paused"), ("finished", "Finished, not yet signed off")):
        record.status = status
        assert f"Status {words} Record number" in flat(pdf_text(to_pdf(record)))


def test_criteria_planned_summary(rendered):
    _, text = rendered
    assert "Criteria planned (5)" in text
    assert "Met 3 · Not yet met 0 · Skipped 1 · No decision 1" in text  # 1.2 counts as met, as amended
    summary = between(text, "Criteria planned", "Evidence by criterion")
    assert re.findall(r"\b([13]\.[1-3])\b", summary) == ["1.1", "1.2", "3.1", "3.2", "3.3"]
    assert "1.2 Explain different methods of segmenting and characterising customers Met (amended after sign-off)" \
        in summary


def test_each_criterion_cites_its_own_place(rendered):
    _, text = rendered
    sources = re.findall(r"Source (HABC Level 3 Diploma, unit 3, learning outcome \d, assessment criterion "
                         r"(\d\.\d) \(line (\d+)\))", evidence(text))
    assert [(ref, line) for _, ref, line in sources] == [
        ("1.1", "352"), ("1.2", "353"), ("3.1", "371"), ("3.2", "372"), ("3.3", "373")]
    assert len({s for s, _, _ in sources}) == 5


def test_each_criterion_block(rendered):
    _, text = rendered
    ev = evidence(text)
    block_11 = between(ev, "1.1 Explain the concept", "1.2 Explain different")
    assert "Outcome Learning outcome 1: Understand Customer Relationship Management (CRM)" in block_11
    assert "Question What does “customer experience” mean where you work?" in block_11
    assert "Answer I’d say the “customer experience” is everything they feel about us" in block_11
    assert "Recorded 12 Mar 2025, 10:03 GMT by Sam Assessor, version 2" in block_11
    assert "Decision Met Reason Clear explanation with an example from the learner’s own role." in block_11
    assert "Decided 12 Mar 2025, 10:04 GMT by Sam Assessor" in block_11
    block_31 = between(ev, "3.1 Describe", "3.2 Explain the factors")
    assert "does not include professional discussion" in block_31  # pd_listed False
    assert "does not include" not in block_11
    assert flat(LONG) in block_31  # a long answer is printed whole, across pages
    block_32 = between(ev, "3.2 Explain the factors", "3.3 Explain the features")
    assert "No answer recorded." in block_32 and "Decision Skipped Reason Covered by observation on 3 March." in block_32
    block_33 = between(ev, "3.3 Explain the features", "Sign-off")
    assert "Decision No decision" in block_33 and "Reason" not in block_33
    assert "Every version" not in block_31 + block_32 + block_33  # nothing was ever changed there


def test_every_version_with_who_when_and_why(rendered):
    _, text = rendered
    ev = evidence(text)
    block_11 = between(ev, "1.1 Explain the concept", "1.2 Explain different")
    history = block_11[block_11.index("Every version recorded for 1.1, oldest first"):]
    assert ("Answer, version 1 It is how customers feel 12 Mar 2025, 10:02 GMT Sam Assessor Replaced 12 Mar 2025, "
            "10:03 GMT by Sam Assessor, during the discussion (before sign-off)") in history
    assert "Answer, version 2 I’d say" in history and "10:03 GMT Sam Assessor Current" in history
    block_12 = between(ev, "1.2 Explain different", "3.1 Describe")
    # the amended decision: what it is now, and the original "Not yet met" with its reason
    assert f"Decision Met Reason {AMENDED_REASON} Decided 12 Mar 2025, 10:30 GMT by Sam Assessor, version 2" in block_12
    assert f"Amended After sign-off: {WHY_AMENDED}" in block_12
    assert (f"Decision, version 1 Not yet met. Reason: {FIRST_REASON} 12 Mar 2025, 10:07 GMT Sam Assessor "
            f"Replaced 12 Mar 2025, 10:30 GMT by Sam Assessor, by an amendment after sign-off: {WHY_AMENDED}") in block_12
    assert f"Decision, version 2 Met. Reason: {AMENDED_REASON} 12 Mar 2025, 10:30 GMT Sam Assessor Current" in block_12


def test_signoffs_authenticity_and_amendments(rendered):
    _, text = rendered
    tail = text[text.index("Sign-off Assessor declaration"):]
    earlier = ("Given to An earlier version of this record: it was changed after this signature "
               "(first on 12 Mar 2025, 10:30 GMT). See the amendments below.")
    assert f"Assessor declaration “I confirm the decisions above are mine.” Signed Sam Assessor, 12 Mar 2025, " \
           f"10:15 GMT {earlier}" in tail
    assert f"Learner confirmation “These answers are my own work.” Signed Priya Learner, 12 Mar 2025, " \
           f"10:20 GMT {earlier}" in tail
    assert flat(AUTHENTICITY_STATEMENT) in tail
    amendments = tail[tail.index("Amendments after sign-off (1)"):]
    assert f"1.2 Decision Not yet met Met {WHY_AMENDED} Sam Assessor 12 Mar 2025, 10:30 GMT" in amendments


def test_a_signature_after_the_last_change_is_not_marked():
    record = sample_record()
    record.signoffs.append(SignOffEntry("learner", "Priya Learner", "I confirm the amended record.", at(40)))
    text = flat(pdf_text(to_pdf(record)))
    assert text.count("Given to An earlier version") == 2
    assert "Learner confirmation “I confirm the amended record.” Signed Priya Learner, 12 Mar 2025, 10:40 GMT " \
           "Authenticity" in text


def test_an_iqa_signature_is_named():
    record = sample_record()
    record.signoffs.append(SignOffEntry("iqa", "Jo Quality", "Sampled.", at(45)))
    assert "IQA declaration “Sampled.” Signed Jo Quality, 12 Mar 2025, 10:45 GMT" in \
        flat(pdf_text(to_pdf(record)))


def test_unsigned_record_says_so():
    record = sample_record()
    record.signoffs, record.amendments, record.status, record.signed_at = [], [], "finished", None
    text = flat(pdf_text(to_pdf(record)))
    assert "Assessor declaration Not yet signed by the assessor." in text
    assert "Learner confirmation Not yet signed by the learner." in text
    assert "Amendments after sign-off (0) None." in text


def test_times_are_uk_local_with_the_zone_named():
    summer = datetime(2025, 7, 12, 10, 3, tzinfo=timezone.utc)
    assert export_text.stamp(summer) == "12 Jul 2025, 11:03 BST"
    assert export_text.stamp(datetime(2025, 1, 12, 10, 3)) == "12 Jan 2025, 10:03 GMT"  # naive = UTC, as SQLite
    assert export_text.stamp(datetime(2025, 3, 30, 0, 59, tzinfo=timezone.utc)) == "30 Mar 2025, 00:59 GMT"
    assert export_text.stamp(datetime(2025, 3, 30, 1, 0, tzinfo=timezone.utc)) == "30 Mar 2025, 02:00 BST"
    assert export_text.day(datetime(2025, 6, 30, 23, 30, tzinfo=timezone.utc)) == "1 July 2025"  # already July in the UK
    record = sample_record()
    record.criteria[0].decided_at = summer
    record.signoffs[0].signed_at = summer.replace(hour=13, minute=5)
    text = flat(pdf_text(to_pdf(record)))
    assert "Decided 12 Jul 2025, 11:03 BST by Sam Assessor" in text
    assert "Signed Sam Assessor, 12 Jul 2025, 14:05 BST" in text


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
    "#set page(width: 1pt) $x^2$ *not bold* <label> @ref [link] // not a comment \\ ",  # Typst markup stays text
    "مرحبا بالعالم and עברית mixed with English",
    "",
])
def test_any_text_renders(answer):
    record = sample_record()
    record.criteria[0].answer = answer
    data = to_pdf(record)
    assert data.startswith(b"%PDF-")
    if answer.startswith("#set"):
        assert "#set page(width: 1pt) $x^2$ *not bold* <label> @ref [link] // not a comment" in flat(pdf_text(data))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_any_text_at_all_renders(answer):
    """Whatever a learner types (any code point, the byte-order mark included), the export is a PDF/UA
    file, never an error."""
    record = sample_record()
    record.criteria[0].answer = record.criteria[0].criterion_text = answer
    assert to_pdf(record).startswith(b"%PDF-")


def test_every_character_the_font_has_renders():
    covered = export_text.coverage(export_text.font_folder())
    record = sample_record()
    record.criteria[0].answer = "".join(chr(c) for c in sorted(covered))
    assert to_pdf(record).startswith(b"%PDF-")


def test_without_unicode_font_falls_back_to_latin1(monkeypatch):
    monkeypatch.setattr("bot.domain.export.pdf.font_folder", lambda: None)
    text = flat(pdf_text(to_pdf(sample_record())))
    assert "I'd say the \"customer experience\" is everything they feel about us [emoji: grinning face] - start to finish..." in text
    assert "[cyrillic capital letter ka]" in text


def test_printable_substitutions():
    latin1 = export_text.coverage(None)
    assert export_text.printable("a\u200bb\ufe0f", latin1) == "ab"
    assert export_text.printable("“quoted” – café", latin1) == "\"quoted\" - café"
    assert export_text.printable("ﬁne", latin1) == "fine"  # ligature decomposed
    assert export_text.printable("\u0100", latin1) == "A"  # Ā outside Latin-1: accent dropped


@pytest.mark.parametrize("typed, shown", [
    ("busy periods 📈.", "busy periods [emoji: chart with upwards trend]."),  # said to be an emoji, and which
    ("✅ done, ❌ not yet, ⭐ best", "✔ done, ✘ not yet, ★ best"),  # a tick stays a tick
    ("👍🏿 fine", "[emoji: thumbs up sign] fine"),  # the skin tone only changes how it looks
    ("🇬🇧 stores", "[flag: GB] stores"),
    ("1\ufe0f\u20e3 first", "1 first"),  # a keycap is its digit
    ("中", "[cjk unified ideograph-4e2d]"),  # not an emoji: its name alone
])
def test_emoji_the_font_lacks_are_shown_sensibly(typed, shown):
    covered = export_text.coverage(export_text.font_folder())
    assert export_text.printable(typed, covered) == shown


def test_emoji_in_the_pdf():
    record = sample_record()
    record.criteria[0].answer = "Team leaders plan staffing for busy periods 📈 ✅"
    assert "Team leaders plan staffing for busy periods [emoji: chart with upwards trend] ✔" in flat(
        pdf_text(to_pdf(record)))


def test_sample_is_kept_in_docs():
    docs = Path(__file__).resolve().parents[2] / "docs" / "samples"
    assert (docs / "discussion-record.pdf").read_bytes().startswith(b"%PDF-")
    pages = len(PdfReader(docs / "discussion-record.pdf").pages)
    assert [(docs / f"discussion-record-{n}.png").read_bytes()[:4] for n in range(1, pages + 1)] == \
        [b"\x89PNG"] * pages  # every page rendered


def test_units_named_per_criterion_only_when_several():
    record = sample_record()
    assert "Unit J/506/2910" not in flat(pdf_text(to_pdf(record)))  # one unit: named in the details only
    record.units.append(UnitEntry("K/506/2169", "Resolve customers' problems", "4"))
    record.criteria[1].unit_ref = "K/506/2169"  # the amendment names unit J/506/2910, so it no longer applies
    text = flat(pdf_text(to_pdf(record)))
    assert "Units Unit 3: Understand customers and customer retention (J/506/2910) " \
           "Unit 4: Resolve customers' problems (K/506/2169)" in text
    assert "Unit Unit 4: Resolve customers' problems (K/506/2169)" in evidence(text)
    assert "Unit 4 1.2 Explain different methods" in text  # the summary gives the unit with the reference
