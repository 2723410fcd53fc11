"""A short run of scripts/fuzz_parsers.py (fixed seed): a mutated specification gives a clean
SourceError or the original counts, never a crash or a hang. The long run is in docs/benchmarks.md."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "fuzz_parsers.py"


@pytest.fixture(scope="module")
def report():
    spec = importlib.util.spec_from_file_location("fuzz_parsers", SCRIPT)
    fuzz_parsers = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fuzz_parsers)
    return fuzz_parsers.fuzz(seconds=120, seed=11, sources=list(fuzz_parsers.SOURCES), max_cases=40, timeout=20)


def test_every_source_was_fuzzed(report):
    assert report["cases"] == 40
    assert all(sum(c.values()) == 8 for c in report["by_source"].values()), report["by_source"]
    assert report["totals"].get("clean_error", 0) > 0  # the mutations do break things


def test_no_crash_and_no_hang(report):
    bad = [f for f in report["findings"] if f["outcome"] in ("crash", "hang")]
    assert not bad, bad


def test_no_silently_wrong_count(report):
    wrong = [f for f in report["findings"] if f["outcome"] == "wrong_count"]
    assert not wrong, wrong
