"""Regenerate docs/samples/discussion-record.pdf and .png (page 1): python -m tests.export.make_sample"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from bot.export.pdf import render_pdf
from tests.export.sample import sample_record

DOCS = Path(__file__).resolve().parents[2] / "docs" / "samples"


def main() -> int:
    DOCS.mkdir(parents=True, exist_ok=True)
    pdf = DOCS / "discussion-record.pdf"
    pdf.write_bytes(render_pdf(sample_record()))
    if not shutil.which("pdftoppm"):
        print("pdftoppm not found (apt-get install poppler-utils): PNG not made", file=sys.stderr)
        return 1
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(DOCS / "discussion-record")], check=True)
    print(f"wrote {pdf} and {pdf.with_suffix('.png')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
