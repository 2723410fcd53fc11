"""Regenerate docs/samples/discussion-record.pdf and a PNG of each page (discussion-record-1.png, ...):
    .venv/bin/python -m tests.export.make_sample      (needs pdftoppm: apt-get install poppler-utils)

The sample is a real record: a discussion run through the records services on a throw-away
SQLite database, with the real catalogue (HABC Level 3, unit 3, outcome 1), then exported. Its
history has what an IQA looks for: an answer added to, a "not yet met" amended to "met" after both
signatures (so both are marked as given to an earlier version), and a reason amended.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bot.domain.export.pdf import to_pdf
from bot.flows.export import record_of
from bot.records import discussion as discussions
from bot.records import enrolment, people
from bot.records.db import dispose, migrate, session_factory

DOCS = Path(__file__).resolve().parents[2] / "docs" / "samples"

ANSWERS = {
    "1.1": ("What does “customer experience” mean in your job?",
            "It’s everything the customer feels about us, from the first call to after the sale – not just one "
            "conversation. At the contact centre we map the “journey” so nobody gets passed around."),
    "1.2": ("How do you group your customers?",
            "We split them by how they contact us and by how long they have been with us."),
    "1.3": ("What is CRM for?",
            "To keep one record of every contact, so any adviser can see the history and not ask twice."),
    "1.4": ("What makes a CRM system effective?",
            "It is quick to search, it links calls, emails and chats, and the data is kept accurate and secure."),
    "1.5": ("How is CRM data used in service delivery?",
            "Team leaders use it to spot repeat complaints and to plan staffing for busy periods 📈."),
}


NOT_YET = "Named groups but did not explain segmentation methods."
MET_AFTER_ALL = "The audio recording shows segmentation by channel, tenure and products explained."


def record_discussion(s):
    """The sample discussion, run through the records services on session `s`; returns it."""
    admin = people.create_person(s, "Centre Administrator", "admin")
    sam = people.create_person(s, "Sam Patel", "assessor", actor=admin)
    priya = people.create_person(s, "Priya Shah", "learner", actor=admin)
    enrolment.enrol(s, priya, "habc-l3", sam, actor=admin)
    d = discussions.start(s, sam, priya, "habc-l3", ["J/506/2910"], ["1"], channel="web")
    for ref, (question, answer) in ANSWERS.items():
        discussions.record_answer(s, d, ref, answer, sam, question=question)
    discussions.record_answer(s, d, "1.2", "Also by the products they hold.", sam)  # a second version
    for ref in ("1.1", "1.3", "1.4", "1.5"):
        discussions.decide(s, d, ref, "met", "Explained clearly with examples from their own contact centre.", sam)
    discussions.decide(s, d, "1.2", "not_yet_met", NOT_YET, sam)
    discussions.sign(s, d, sam, "assessor")
    discussions.sign(s, d, priya, "learner")
    discussions.amend(s, d, "1.5", "reason", "Explained clearly, with examples of reports team leaders use.",
                      "Reason made specific after IQA sampling.", sam)
    discussions.amend(s, d, "1.2", "decision", "met", MET_AFTER_ALL, sam)
    return d


def build_record(url: str) -> bytes:
    migrate(url)
    with session_factory(url)() as s:
        data = to_pdf(record_of(record_discussion(s)))
    dispose(url)
    return data


def main() -> int:
    DOCS.mkdir(parents=True, exist_ok=True)
    pdf = DOCS / "discussion-record.pdf"
    with tempfile.TemporaryDirectory() as tmp:
        pdf.write_bytes(build_record(f"sqlite:///{Path(tmp) / 'sample.db'}"))
    if not shutil.which("pdftoppm"):
        print("pdftoppm not found (apt-get install poppler-utils): PNG not made", file=sys.stderr)
        return 1
    for old in DOCS.glob("discussion-record*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "80", str(pdf), str(DOCS / "discussion-record")], check=True)
    pages = sorted(p.name for p in DOCS.glob("discussion-record-*.png"))
    print(f"wrote {pdf} and {', '.join(pages)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
