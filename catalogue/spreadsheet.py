"""The spreadsheet route (.xlsx, openpyxl): the interchange format laid out as sheets a centre's
staff can fill in. Reading turns the workbook into the same JSON document and validates it the
same way (catalogue.interchange); a mistake names the sheet, row and column as well as the path.

Sheets: Qualification (field | value), Rules (one row per group), Units, Outcomes, Criteria,
Evidence (one row per evidence item of an outcome), Facts, Evidence types, Glossary. Cells
holding a list or a citation hold it as JSON text.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from catalogue import interchange
from catalogue.interchange import FormatError
from catalogue.model import SourceDocument

QUAL_KEYS = ("id", "short_name", "file", "line_count")
GROUP_COLS = ("id", "label", "units", "mandatory", "min_credits", "max_credits", "min_units", "max_units", "line")
UNIT_COLS = ("ref", "number", "title", "level", "credits", "glh", "line", "title_variants", "aim", "summary",
             "assessment_requirements", "assessment_type", "notes", "nos", "terminology", "simulation")
OUTCOME_COLS = ("unit", "number", "text", "kind", "line", "guidance", "range", "evidence_line", "notes")
CRITERION_COLS = ("unit", "outcome", "ref", "kind", "text", "line", "guidance")
EVIDENCE_COLS = ("unit", "outcome", "evidence")
FACT_COLS = ("topic", "text", "citation", "units")
TYPE_COLS = ("key", "name", "description", "citation")
TERM_COLS = ("term", "definition", "citation")
JSON_CELLS = {"units", "title_variants", "notes", "citation", "aliases", "dates", "level_credits", "barred"}


def _cell(key: str, value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if key in JSON_CELLS and value is not None else value


def write(doc: SourceDocument, path: str | Path) -> None:
    from openpyxl import Workbook

    d = interchange.to_dict(doc)
    wb = Workbook()
    ws = wb.active
    ws.title = "Qualification"
    ws.append(["field", "value"])
    for k in QUAL_KEYS:
        ws.append([k, d[k]])
    q = d["qualification"] or {}
    for k, v in q.items():
        if k != "rules":
            ws.append([f"qualification.{k}", _cell(k, v)])
    for k, v in (q.get("rules") or {}).items():
        if k != "groups":
            ws.append([f"rules.{k}", _cell(k, v)])
    sheets = (("Rules", GROUP_COLS, [g for g in (q.get("rules") or {}).get("groups", [])]),
              ("Units", UNIT_COLS, d["units"]),
              ("Outcomes", OUTCOME_COLS, [dict(o, unit=u["ref"]) for u in d["units"] for o in u["outcomes"]]),
              ("Criteria", CRITERION_COLS,
               [dict(c, unit=u["ref"], outcome=o["number"]) for u in d["units"] for o in u["outcomes"]
                for c in o["criteria"]] + [dict(c, unit=u["ref"], outcome=None) for u in d["units"]
                                           for c in u["knowledge"]]),
              ("Evidence", EVIDENCE_COLS, [dict(unit=u["ref"], outcome=o["number"], evidence=e) for u in d["units"]
                                           for o in u["outcomes"] for e in o["evidence"]]),
              ("Facts", FACT_COLS, d["facts"]), ("Evidence types", TYPE_COLS, d["evidence_types"]),
              ("Glossary", TERM_COLS, d["glossary"]))
    for title, cols, rows in sheets:
        ws = wb.create_sheet(title)
        ws.append(list(cols))
        for row in rows:
            ws.append([_cell(c, row.get(c)) for c in cols])
    wb.save(path)


def load(path: str | Path) -> SourceDocument:
    from openpyxl import load_workbook

    path = Path(path)
    if path.stat().st_size > interchange.MAX_BYTES:
        raise FormatError("", f"{path.name} is {path.stat().st_size / 1e6:.1f} MB; a catalogue document is at most "
                              f"{interchange.MAX_BYTES // (1024 * 1024)} MB")
    try:
        wb = load_workbook(path, read_only=False, data_only=True)
    except Exception as e:  # openpyxl raises several kinds for a file that is not a workbook
        raise FormatError("", f"not an .xlsx workbook: {e}") from None
    where: dict[str, str] = {}  # JSON path -> "sheet S, row R, column C"
    reader = _Reader(wb, where)
    data = reader.document()
    try:
        return interchange.from_dict(data)
    except FormatError as e:
        at = next((where[p] for p in _prefixes(e.path) if p in where), None)
        raise FormatError(e.path, e.reason, at) from None


def _prefixes(path: str) -> list[str]:
    parts = path.split("/")
    return ["/".join(parts[:i]) for i in range(len(parts), 0, -1)]


class _Reader:
    def __init__(self, wb, where: dict[str, str]):
        self.wb, self.where = wb, where

    def rows(self, title: str, cols: tuple[str, ...]) -> list[tuple[int, dict]]:
        if title not in self.wb.sheetnames:
            raise FormatError("", f"the workbook has no sheet {title!r}", f"sheet {title}")
        ws = self.wb[title]
        if ws.merged_cells.ranges:
            rng = sorted(str(r) for r in ws.merged_cells.ranges)[0]
            raise FormatError("", f"merged cells ({rng}): give each value its own cell", f"sheet {title}")
        header = [c.value for c in ws[1]]
        while header and header[-1] is None:
            header.pop()
        if tuple(header) != cols:
            raise FormatError("", f"row 1 must be the headings {', '.join(cols)}; found {', '.join(map(str, header))}",
                              f"sheet {title}, row 1")
        out = []
        for r, values in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
            extra = [i for i, v in enumerate(values) if i >= len(cols) and v not in (None, "")]
            if extra:
                raise FormatError("", "a value outside the table's columns (a stray cell)",
                                  f"sheet {title}, row {r}, column {_col(extra[0])}")
            row = dict(zip(cols, values[:len(cols)]))
            if all(v in (None, "") for v in row.values()):
                continue
            out.append((r, row))
        return out

    def value(self, title: str, r: int, cols: tuple[str, ...], key: str, raw: Any) -> Any:
        if isinstance(raw, str) and key in JSON_CELLS:
            try:
                return json.loads(raw)
            except json.JSONDecodeError:
                raise FormatError(key, "not valid JSON text", f"sheet {title}, row {r}, column {_col(cols.index(key))}") \
                    from None
        return raw

    def table(self, title: str, cols: tuple[str, ...], path_of, skip=()) -> list[tuple[int, dict]]:
        out = []
        for r, row in self.rows(title, cols):
            item = {k: self.value(title, r, cols, k, v) for k, v in row.items() if k not in skip}
            base = path_of(len(out), row)
            for i, k in enumerate(cols):
                self.where[f"{base}/{k}"] = f"sheet {title}, row {r}, column {_col(i)}"
            self.where[base] = f"sheet {title}, row {r}"
            out.append((r, {**item, **{k: row[k] for k in skip}}))
        return out

    def document(self) -> dict:
        doc: dict[str, Any] = {"format": interchange.FORMAT, "version": interchange.VERSION}
        qual: dict[str, Any] = {}
        rules: dict[str, Any] = {}
        for r, row in self.rows("Qualification", ("field", "value")):
            key, raw = str(row["field"]), row["value"]
            head, _, name = key.partition(".")
            target, path = {"qualification": (qual, "qualification"), "rules": (rules, "qualification/rules")}.get(
                head, (doc, "")) if name else (doc, "")
            name = name or key
            target[name] = self.value("Qualification", r, ("field", "value"), name, raw)
            self.where[f"{path}/{name}".lstrip("/")] = f"sheet Qualification, row {r}, column B"
        groups = [g for _, g in self.table("Rules", GROUP_COLS, lambda i, _: f"qualification/rules/groups/{i}")]
        if qual:
            if rules or groups:
                qual["rules"] = {**rules, "groups": groups}
            doc["qualification"] = qual
        else:
            doc.setdefault("qualification", None)
        units = []
        index: dict[str, tuple[int, dict]] = {}
        for _, u in self.table("Units", UNIT_COLS, lambda i, _: f"units/{i}"):
            unit = {**u, "source": doc.get("id"), "outcomes": [], "knowledge": []}
            for k in ("title_variants", "notes"):
                unit[k] = unit[k] if unit[k] is not None else []
            index[str(u["ref"])] = (len(units), unit)
            units.append(unit)
        doc["units"] = units

        def unit_of(title: str, r: int, cols, row) -> tuple[int, dict]:
            if str(row["unit"]) not in index:
                raise FormatError("", f"unit {row['unit']!r} is not on the Units sheet",
                                  f"sheet {title}, row {r}, column {_col(cols.index('unit'))}")
            return index[str(row["unit"])]

        outcomes: dict[tuple[str, str], tuple[str, dict]] = {}
        for r, row in self.rows("Outcomes", OUTCOME_COLS):
            i, unit = unit_of("Outcomes", r, OUTCOME_COLS, row)
            base = f"units/{i}/outcomes/{len(unit['outcomes'])}"
            o = {k: self.value("Outcomes", r, OUTCOME_COLS, k, v) for k, v in row.items() if k != "unit"}
            o["notes"] = o["notes"] if o["notes"] is not None else []
            o["evidence"], o["criteria"] = [], []
            self._mark(base, "Outcomes", r, OUTCOME_COLS)
            unit["outcomes"].append(o)
            outcomes[(str(row["unit"]), str(row["number"]))] = (base, o)
        for r, row in self.rows("Criteria", CRITERION_COLS):
            i, unit = unit_of("Criteria", r, CRITERION_COLS, row)
            c = {k: v for k, v in row.items() if k not in ("unit", "outcome")}
            if row["outcome"] in (None, ""):
                if c.get("kind") != "ku":
                    raise FormatError("", f"criterion {c.get('ref')} names no outcome: only knowledge items (kind ku) "
                                          "may stand outside one", f"sheet Criteria, row {r}, column B")
                base, target = f"units/{i}/knowledge/{len(unit['knowledge'])}", unit["knowledge"]
            else:
                key = (str(row["unit"]), str(row["outcome"]))
                if key not in outcomes:
                    raise FormatError("", f"criterion {c.get('ref')}: unit {key[0]} has no outcome {key[1]} on the "
                                          "Outcomes sheet", f"sheet Criteria, row {r}, column B")
                obase, o = outcomes[key]
                base, target = f"{obase}/criteria/{len(o['criteria'])}", o["criteria"]
            self._mark(base, "Criteria", r, CRITERION_COLS)
            target.append(c)
        for r, row in self.rows("Evidence", EVIDENCE_COLS):
            key = (str(row["unit"]), str(row["outcome"]))
            if key not in outcomes:
                raise FormatError("", f"unit {key[0]} has no outcome {key[1]} on the Outcomes sheet",
                                  f"sheet Evidence, row {r}, column B")
            obase, o = outcomes[key]
            self.where[f"{obase}/evidence/{len(o['evidence'])}"] = f"sheet Evidence, row {r}, column C"
            o["evidence"].append(row["evidence"])
        for key, title, cols in (("facts", "Facts", FACT_COLS), ("evidence_types", "Evidence types", TYPE_COLS),
                                 ("glossary", "Glossary", TERM_COLS)):
            items = [x for _, x in self.table(title, cols, lambda i, _, k=key: f"{k}/{i}")]
            if key == "facts":
                for f in items:
                    f["units"] = f["units"] if f["units"] is not None else []
            doc[key] = items
        return doc

    def _mark(self, base: str, title: str, r: int, cols: tuple[str, ...]) -> None:
        self.where[base] = f"sheet {title}, row {r}"
        for i, k in enumerate(cols):
            self.where[f"{base}/{k}"] = f"sheet {title}, row {r}, column {_col(i)}"


def _col(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i + 1)
