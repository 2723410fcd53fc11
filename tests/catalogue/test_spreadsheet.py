"""The spreadsheet route: a seed survives write then read exactly, the shipped example is the
seed, and a damaged workbook is refused naming its sheet, row and column."""
from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from catalogue import cli, spreadsheet
from catalogue.interchange import FormatError

EXAMPLES = Path(__file__).resolve().parents[2] / "catalogue" / "examples"


def test_seed_round_trips_through_the_spreadsheet(real_cat, tmp_path):
    path = tmp_path / "svq4.xlsx"
    spreadsheet.write(real_cat.source("svq4"), path)
    assert spreadsheet.load(path) == real_cat.source("svq4")


def test_shipped_example_is_the_ncfe_seed(real_cat, capsys):
    assert spreadsheet.load(EXAMPLES / "ncfe-l1.xlsx") == real_cat.source("ncfe-l1")
    assert cli.main(["import", "--check", str(EXAMPLES / "ncfe-l1.xlsx")]) == 0
    assert "valid: ncfe-l1" in capsys.readouterr().out


def test_template_has_every_sheet():
    assert load_workbook(EXAMPLES / "template.xlsx").sheetnames == [
        "Qualification", "Rules", "Units", "Outcomes", "Criteria", "Evidence", "Facts", "Evidence types", "Glossary"]


def damaged(tmp_path, change) -> FormatError:
    wb = load_workbook(EXAMPLES / "ncfe-l1.xlsx")
    change(wb)
    path = tmp_path / "damaged.xlsx"
    wb.save(path)
    with pytest.raises(FormatError) as e:
        spreadsheet.load(path)
    return e.value


def test_wrong_type_names_sheet_row_and_column(tmp_path):
    e = damaged(tmp_path, lambda wb: wb["Units"].cell(row=4, column=5, value="six"))  # E = credits
    assert e.where == "sheet Units, row 4, column E" and e.path == "units/2/credits"
    assert "'six' is not of type integer" in str(e)


def test_merged_cells_are_refused(tmp_path):
    e = damaged(tmp_path, lambda wb: wb["Criteria"].merge_cells("E2:E3"))
    assert e.where == "sheet Criteria" and "merged cells (E2:E3)" in e.reason


def test_stray_cell_beside_the_table_is_refused(tmp_path):
    e = damaged(tmp_path, lambda wb: wb["Outcomes"].cell(row=7, column=12, value="see notes"))
    assert e.where == "sheet Outcomes, row 7, column L" and "stray cell" in e.reason


def test_criterion_naming_a_missing_outcome(tmp_path):
    e = damaged(tmp_path, lambda wb: wb["Criteria"].cell(row=3, column=2, value="99"))
    assert e.where == "sheet Criteria, row 3, column B" and "has no outcome 99" in e.reason


def test_missing_value_names_the_cell(tmp_path):
    def blank(wb):
        wb["Criteria"]["E5"].value = None  # E = text
    e = damaged(tmp_path, blank)
    assert e.where == "sheet Criteria, row 5, column E" and "None is not of type string" in str(e)


def test_not_a_workbook(tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_text("not a workbook")
    with pytest.raises(FormatError, match="not an .xlsx workbook"):
        spreadsheet.load(path)


def test_stray_row_below_the_table_is_refused(tmp_path):
    def note(wb):
        ws = wb["Criteria"]
        ws.cell(row=ws.max_row + 3, column=1, value="Checked by JS, May")
    e = damaged(tmp_path, note)
    assert e.where.startswith("sheet Criteria, row ") and "'Checked by JS, May' is not on the Units sheet" in e.reason
