"""The held-out learner questions (tests/eval/questions.yaml): shape, counts, facts and independence.

- every exchange is well formed, ids are unique, at least 50 per specification and 300 in all;
- every non-numeric expected string of a catalogue exchange occurs in that specification's text
  (so an expectation is a fact of the source, not a guess; computed numbers are exempt);
- no question appears in the training data (data/): the questions are held out.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from scripts.evallib import contains, load, normalise, structure_errors

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = Path(__file__).with_name("questions.yaml")
SOURCES = {"sfj-l2": "sfj_l2_diploma.txt", "habc-l3": "habc_l3_diploma.txt", "cg-pool": "cg_unit_pool.txt",
           "ncfe-l1": "ncfe_l1_certificate.txt", "svq4": "pearson_svq4.txt"}
MARKUP = re.compile(r"</?(?:p|i|u|b)>")
NUMERIC = re.compile(r"^[\d\s.,/:%-]+$")
MIN_COPY = 25  # normalised characters from which a shared line counts as copied


@pytest.fixture(scope="module")
def exchanges():
    return load(QUESTIONS)["exchanges"]


def test_the_document_is_well_formed():
    assert structure_errors(load(QUESTIONS), set(SOURCES) | {"none"}) == []


def test_counts_per_specification_and_in_all(exchanges):
    per_spec = Counter(ex["spec"] for ex in exchanges)
    assert all(per_spec[spec] >= 50 for spec in SOURCES), per_spec
    assert per_spec["none"] >= 15, per_spec
    assert len(exchanges) >= 300


def test_every_pattern_is_exercised_many_times(exchanges):
    per_pattern = Counter(p for ex in exchanges for p in (ex["pattern"] if isinstance(ex["pattern"], list)
                                                          else [ex["pattern"]]))
    assert all(per_pattern[p] >= 10 for p in range(1, 9)), per_pattern


def _source_text(spec: str) -> str:
    raw = (ROOT / "catalogue" / "sources" / SOURCES[spec]).read_text(encoding="utf-8")
    return normalise(MARKUP.sub(" ", raw))


def test_expected_text_is_in_the_specification(exchanges):
    texts = {spec: _source_text(spec) for spec in SOURCES}
    wrong = [(ex["id"], s) for ex in exchanges if ex["spec"] in SOURCES for turn in ex["turns"]
             for s in turn.get("expect") or [] if not NUMERIC.match(s) and not contains(texts[ex["spec"]], s)]
    assert wrong == []


def _training_lines() -> set[str]:
    lines = set()
    for path in (ROOT / "data").rglob("*"):
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            line = re.sub(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})", r"\1", line.strip().lstrip("-").strip())
            line = normalise(line.strip("'\""))
            if len(line) >= MIN_COPY:
                lines.add(line)
    return lines


def test_no_question_is_in_the_training_data(exchanges):
    lines = _training_lines()
    assert lines, "no training data found under data/"
    specs = [_source_text(spec) for spec in SOURCES]  # a bare unit title is the specification's, not data's
    says = {normalise(t["say"]) for ex in exchanges for t in ex["turns"]}
    copied = [s for s in says if len(s) >= MIN_COPY and any(s in line for line in lines)
              and not any(contains(text, s) for text in specs)]
    assert copied == []
