"""The discussion record as a PDF an internal quality assurer can file.

Layout: details of the discussion; a summary of every planned criterion and its decision; then one
block per criterion (criterion text, question, answer, decision and reason, each dated and attributed);
sign-offs, the authenticity statement and any amendments. Text is drawn in DejaVu Sans when the
system has it (any script the font covers); characters no font can draw are named, never dropped
silently and never a crash.
"""
from __future__ import annotations

from typing import Optional

from fpdf import FPDF
from fpdf.fonts import FontFace

from bot.domain.export.record import DiscussionRecord, CriterionEntry, decision_label
from bot.domain.export.text import day, printable, stamp, unicode_fonts

INK = (33, 37, 41)
MUTED = (108, 117, 125)
RULE = (206, 212, 218)
SHADE = (241, 243, 245)
DECISION_COLOURS = {"met": (25, 118, 60), "not_yet_met": (176, 42, 55), "skipped": (108, 117, 125)}


def _can_shape() -> bool:
    try:
        import uharfbuzz  # noqa: F401  optional: fpdf2's text shaping needs it
    except ImportError:
        return False
    return True


class _RecordPDF(FPDF):
    def __init__(self, record: DiscussionRecord):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.record = record
        fonts = unicode_fonts()
        if fonts:
            for style, path in fonts.items():
                self.add_font("Body", style, str(path))
            self.family, self.font_file = "Body", fonts[""]
        else:
            self.family, self.font_file = "Helvetica", None
        if fonts and _can_shape():
            self.set_text_shaping(True)  # right-to-left scripts in visual order, joined Arabic letters
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=18)
        self.set_title(self.t(f"Professional discussion record {record.id}"))
        self.set_author(self.t(record.assessor))
        self.set_creator("cs-assessment-assistant")
        self.alias_nb_pages()

    def t(self, text: Optional[str]) -> str:
        return printable(text, self.font_file)

    def font(self, size: float = 9.5, style: str = "", colour=INK) -> None:
        self.set_font(self.family, style, size)
        self.set_text_color(*colour)

    def footer(self) -> None:
        self.set_y(-12)
        self.font(7.5, colour=MUTED)
        r = self.record
        self.cell(0, 4, self.t(f"Discussion record {r.id} · {r.learner} · {r.qualification}"), align="L")
        self.set_x(self.l_margin)
        self.cell(0, 4, f"Page {self.page_no()} of {{nb}}", align="R")

    # --- building blocks -------------------------------------------------------------------------
    def heading(self, text: str, size: float = 12, space: float = 4) -> None:
        if self.will_page_break(size + 12):
            self.add_page()
        self.ln(space)
        self.font(size, "B")
        self.multi_cell(0, size * 0.5, self.t(text), new_x="LMARGIN", new_y="NEXT", align="L")
        self.set_draw_color(*RULE)
        self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
        self.ln(2.5)

    def para(self, text: str, size: float = 9.5, style: str = "", colour=INK, h: float = 4.6) -> None:
        self.font(size, style, colour)
        self.multi_cell(0, h, self.t(text), new_x="LMARGIN", new_y="NEXT", align="L")

    def field(self, label: str, text: str, colour=INK, style: str = "", label_w: float = 30) -> None:
        """A label in the margin column and wrapped text beside it; long text flows over pages."""
        if self.will_page_break(9):
            self.add_page()
        top, page = self.get_y(), self.page
        self.font(8.5, "B", MUTED)
        self.cell(label_w, 4.6, self.t(label))
        self.font(9.5, style, colour)
        self.multi_cell(0, 4.6, self.t(text), new_x="LMARGIN", new_y="NEXT", align="L")
        if self.page == page and self.get_y() < top + 4.6:
            self.set_y(top + 4.6)
        self.ln(1)

    def table_of(self, headings: tuple[str, ...], rows: list[tuple[str, ...]], widths: tuple[int, ...]) -> None:
        self.font(8.5)
        head = FontFace(emphasis="BOLD", fill_color=SHADE, color=INK)
        with self.table(col_widths=widths, text_align="LEFT", line_height=4.4, headings_style=head,
                        borders_layout="HORIZONTAL_LINES", padding=(1.2, 1.5), repeat_headings=1,
                        first_row_as_headings=True) as table:
            for row in (headings, *rows):
                cells = table.row()
                for value in row:
                    cells.cell(self.t(value))


def _details(pdf: _RecordPDF, r: DiscussionRecord) -> None:
    pdf.font(17, "B")
    pdf.cell(0, 9, "Professional discussion record", new_x="LMARGIN", new_y="NEXT")
    pdf.para(f"{r.qualification}" + (f" ({r.qualification_number})" if r.qualification_number else ""),
             size=10.5, colour=MUTED, h=5)
    pdf.ln(3)
    units = "\n".join(f"{u.ref}{f' (unit {u.number})' if u.number else ''}: {u.title}" for u in r.units)
    qualification = r.qualification + (f", qualification number {r.qualification_number}" if r.qualification_number else "")
    rows = [
        ("Learner", r.learner),
        ("Assessor", r.assessor),
        ("Qualification", qualification),
        ("Awarding body", r.awarding_body or "not stated"),
        ("Unit(s)", units),
        ("Date", day(r.started_at) + (f" (last updated {stamp(r.updated_at)})" if r.updated_at else "")),
        ("Method", "Professional discussion" + (f", recorded via {r.channel}" if r.channel else "")),
        ("Status", r.status + (f", signed {stamp(r.signed_at)}" if r.signed_at else "")),
        ("Record", f"Discussion {r.id}, specification source '{r.source_id}'"),
    ]
    for label, value in rows:
        pdf.field(label, value)


def _summary(pdf: _RecordPDF, r: DiscussionRecord) -> None:
    pdf.heading(f"Criteria planned ({len(r.criteria)})")
    counts = {k: sum(1 for c in r.criteria if c.decision == k) for k in ("met", "not_yet_met", "skipped")}
    undecided = sum(1 for c in r.criteria if not c.decision)
    pdf.para(f"Met {counts['met']} · Not yet met {counts['not_yet_met']} · Skipped {counts['skipped']} · "
             f"No decision {undecided}", size=9, colour=MUTED)
    pdf.ln(1.5)
    multi_unit = len(r.units) > 1
    rows = [((f"{c.unit_ref} " if multi_unit else "") + c.criterion_ref, c.criterion_text,
             decision_label(c.decision)) for c in r.criteria]
    pdf.table_of(("Ref", "Assessment criterion (as in the specification)", "Decision"), rows,
                 (28 if multi_unit else 14, 118 if multi_unit else 132, 22))


def _criterion(pdf: _RecordPDF, r: DiscussionRecord, c: CriterionEntry) -> None:
    unit = r.unit_title(c.unit_ref)
    pdf.heading(f"{c.criterion_ref}  {c.criterion_text}", size=10.5, space=5)
    if len(r.units) > 1:  # with one unit, the details at the top say which
        pdf.field("Unit", f"{c.unit_ref}: {unit}" if unit else c.unit_ref, colour=MUTED)
    if c.citation:
        pdf.field("Source", c.citation, colour=MUTED)
    if c.outcome_text:
        pdf.field("Outcome", f"{c.outcome_ref}. {c.outcome_text}" if c.outcome_ref else c.outcome_text, colour=MUTED)
    if c.pd_listed is False:
        pdf.field("Note", "The specification's evidence list for this outcome does not include professional "
                  "discussion; other evidence may be needed.", colour=MUTED, style="I")
    pdf.field("Question", c.question or "(no question recorded)")
    if c.answer is not None:
        version = f", version {c.answer_version}" if c.answer_version and c.answer_version > 1 else ""
        pdf.field("Answer", c.answer)
        pdf.field("Recorded", f"{stamp(c.answered_at)} by {c.answered_by}{version}", colour=MUTED)
    else:
        pdf.field("Answer", "(no answer recorded)", colour=MUTED, style="I")
    for old in c.earlier_answers:
        pdf.field(f"Earlier (v{old.version})", f"{old.text}\n{stamp(old.recorded_at)} by {old.recorded_by}",
                  colour=MUTED)
    if pdf.will_page_break(22):
        pdf.add_page()  # keep the decision, its reason and who decided together
    pdf.field("Decision", decision_label(c.decision), colour=DECISION_COLOURS.get(c.decision or "", MUTED), style="B")
    if c.decision:
        pdf.field("Reason", c.reason or "(no reason given)")
        pdf.field("Decided", f"{stamp(c.decided_at)} by {c.decided_by}", colour=MUTED)
    for a in r.amendments:
        if a.applies_to(c):
            pdf.field("Amended", f"{a.field} amended after sign-off, {stamp(a.at)} by {a.by}: {a.reason} "
                      "(see Amendments)", colour=MUTED, style="I")


def _signoffs(pdf: _RecordPDF, r: DiscussionRecord) -> None:
    pdf.heading("Sign-off")
    for role, title in (("assessor", "Assessor declaration"), ("learner", "Learner confirmation")):
        signed = [s for s in r.signoffs if s.role == role]
        if not signed:
            pdf.field(title, f"Not yet signed by the {role}.", colour=MUTED, style="I", label_w=40)
        for s in signed:
            if pdf.will_page_break(24):
                pdf.add_page()  # a declaration and its signature stay on one page
            pdf.field(title, f"\u201c{s.declaration}\u201d", label_w=40)
            pdf.field("Signed", f"{s.name}, {stamp(s.signed_at)}", colour=MUTED, label_w=40)
    pdf.heading("Authenticity", size=10.5, space=3)
    pdf.para(r.authenticity, size=9)


def _amendments(pdf: _RecordPDF, r: DiscussionRecord) -> None:
    pdf.heading(f"Amendments after sign-off ({len(r.amendments)})")
    if not r.amendments:
        pdf.para("None.", colour=MUTED)
        return
    rows = [(a.criterion_ref or "-", a.field, a.old or "", a.new or "", a.reason, f"{a.by}\n{stamp(a.at)}")
            for a in r.amendments]
    pdf.table_of(("Ref", "Field", "Was", "Now", "Reason", "By, when"), rows, (12, 18, 35, 35, 38, 36))


def to_pdf(r: DiscussionRecord) -> bytes:
    """The PDF record of one discussion."""
    pdf = _RecordPDF(r)
    pdf.add_page()
    _details(pdf, r)
    _summary(pdf, r)
    pdf.heading("Evidence by criterion", size=12, space=6)
    for c in r.criteria:
        _criterion(pdf, r, c)
    _signoffs(pdf, r)
    _amendments(pdf, r)
    return bytes(pdf.output())

