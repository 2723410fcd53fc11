"""The command line, called in-process (and once as `python -m catalogue`)."""
from __future__ import annotations

import shutil
import subprocess
import sys

from catalogue.cli import main
from catalogue.parsers import SOURCES, SOURCES_DIR


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_build_prints_counts_and_time(capsys):
    code, out, _ = run(capsys, "build")
    assert code == 0
    assert out.startswith("Built the catalogue in ") and "93 units across 5 sources" in out
    assert "cg-pool" in out and "617" in out and "103" in out


def test_check_compares_counts_and_lists_differences(capsys):
    code, out, _ = run(capsys, "check")
    assert code == 0 and out.rstrip().endswith("All counts as stated.")
    assert "535 ok" in out and "103 ok" in out and "(expected" not in out
    assert "D/506/2170 glh: sfj-l2: 24 | habc-l3: 24 | cg-pool: 22" in out
    assert "L/506/2181 credits: habc-l3: 4 | cg-pool: 6" in out
    assert "J/502/4397 title [minor: case only]" in out


def test_show_unit_and_qualification(capsys):
    code, out, _ = run(capsys, "show", "k5062155")
    assert code == 0 and out.startswith("K/506/2155  Make telephone calls to customers")
    assert "[ncfe-l1]" in out and "unit 10, Group B" in out and "3.9 Complete agreed follow up actions" in out
    code, out, _ = run(capsys, "show", "unit", "10", "--source", "svq4")
    assert code == 0 and out.startswith("CFACSC8  Handle Referred Customer Complaints")
    code, out, _ = run(capsys, "show", "the", "SVQ")
    assert code == 0 and out.startswith("SVQ 4 in Customer Service at SCQF Level 8 [svq4]")
    assert "Number: not stated" in out and "CFACSD22" in out


def test_show_ambiguous_or_unknown_exits_2(capsys):
    code, _, err = run(capsys, "show", "unit 10")
    assert code == 2 and "could mean several units" in err and "CFACSC8" in err and "K/506/2155" in err
    code, _, err = run(capsys, "show", "xyzzy")
    assert code == 2 and err == "error: no unit matches 'xyzzy'\n"


def test_search(capsys):
    code, out, _ = run(capsys, "search", "resolve", "customers")
    assert code == 0 and "(ambiguous: ask which one)" in out and "R/506/2151" in out and "K/506/2169" in out
    code, out, _ = run(capsys, "search", "PD")
    assert "Evidence type: professional_discussion" in out and "D – Discussion" in out


def test_remaining(capsys):
    code, out, _ = run(capsys, "remaining", "level 2 diploma", "A/506/2130", "206", "Exceed customer expectations")
    assert code == 0
    assert "- Total: 11 of at least 45 credits (*34 to go*)" in out
    assert "Cheapest ways to finish (fewest extra credits):" in out and "1. +34 credits" in out


def test_remaining_bad_input_exits_2(capsys):
    code, _, err = run(capsys, "remaining", "sfj-l2", "K/506/21")
    assert code == 2 and err == "error: 'K/506/21' is not a well-formed unit reference (a URN looks like K/506/2155)\n"
    code, _, err = run(capsys, "remaining", "sfj-l2", "Z/999/9999")
    assert code == 2 and err == "error: no unit matches 'Z/999/9999'\n"
    code, _, err = run(capsys, "remaining", "diploma", "K/506/2155")
    assert code == 2 and "could mean several qualifications" in err
    code, _, err = run(capsys, "remaining", "cg-pool")
    assert code == 2 and "no qualification matches 'cg-pool'" in err


def test_broken_source_file_reports_file_and_line(capsys, tmp_path):
    for file, _ in SOURCES.values():
        shutil.copy(SOURCES_DIR / file, tmp_path / file)
    path = tmp_path / SOURCES["ncfe-l1"][0]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("- 1.2 State why effective customer service", "- 1.9 State why effective customer service", 1),
                    encoding="utf-8")
    code, _, err = run(capsys, "--sources", str(tmp_path), "build")
    assert code == 3
    assert err.startswith("error: ncfe_l1_certificate.txt:588: ") and len(err.strip()) > 40  # file:line: reason


def test_missing_sources_directory(capsys, tmp_path):
    code, _, err = run(capsys, "--sources", str(tmp_path / "nowhere"), "build")
    assert code == 3 and "nowhere" in err


def test_python_dash_m():
    done = subprocess.run([sys.executable, "-m", "catalogue", "show", "CFACSF5"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0 and done.stdout.startswith("CFACSF5  Show Understanding of Customer Service Management")
