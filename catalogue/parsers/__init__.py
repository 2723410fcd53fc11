"""One parser per specification text. Each module exposes `parse(path) -> SourceDocument`
and raises `catalogue.errors.SourceError(file, line, reason)` on anything it cannot read exactly."""
from __future__ import annotations

import csv
import functools
import importlib
from pathlib import Path
from typing import NamedTuple

from catalogue.errors import SourceError
from catalogue.model import SourceDocument

SOURCES_DIR = Path(__file__).resolve().parent.parent / "sources"

# source id -> (file under catalogue/sources/, parser module)
SOURCES: dict[str, tuple[str, str]] = {
    "sfj-l2": ("sfj_l2_diploma.txt", "catalogue.parsers.sfj"),
    "habc-l3": ("habc_l3_diploma.txt", "catalogue.parsers.habc"),
    "cg-pool": ("cg_unit_pool.txt", "catalogue.parsers.cityguilds"),
    "ncfe-l1": ("ncfe_l1_certificate.txt", "catalogue.parsers.ncfe"),
    "svq4": ("pearson_svq4.txt", "catalogue.parsers.svq"),
}


def parse_source(source_id: str, sources_dir: Path = SOURCES_DIR) -> SourceDocument:
    file, module = SOURCES[source_id]
    doc = importlib.import_module(module).parse(sources_dir / file)
    check_counts(doc)
    return doc


class ExpectedUnit(NamedTuple):
    group: str
    outcomes: int
    criteria: int


@functools.cache
def expected_counts() -> dict[str, dict[str, ExpectedUnit]]:
    """source id -> unit ref -> (group, outcomes, criteria), from sources/expected_units.tsv."""
    table: dict[str, dict[str, ExpectedUnit]] = {}
    with open(SOURCES_DIR / "expected_units.tsv", encoding="utf-8") as f:
        rows = csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t")
        for row in rows:
            table.setdefault(row["source"], {})[row["ref"]] = ExpectedUnit(row["group"], int(row["outcomes"]),
                                                                           int(row["criteria"]))
    return table


def check_counts(doc: SourceDocument) -> None:
    """A text that parses but has lost or gained a criterion (a deleted or moved line) must fail
    the build, not give a catalogue with silently different counts."""
    expected = expected_counts().get(doc.id)
    if expected is None:
        return
    for spec in doc.units:
        if spec.ref not in expected:
            raise SourceError(doc.file, spec.line, f"unit {spec.ref} is not one of the {len(expected)} units this "
                                                   f"specification holds (catalogue/sources/expected_units.tsv)")
        want = expected[spec.ref]
        if (len(spec.outcomes), len(spec.criteria)) != (want.outcomes, want.criteria):
            raise SourceError(doc.file, spec.line,
                              f"unit {spec.ref} parsed with {len(spec.outcomes)} outcomes and {len(spec.criteria)} "
                              f"criteria; the specification has {want.outcomes} and {want.criteria} "
                              "(catalogue/sources/expected_units.tsv): the text looks damaged")
    missing = sorted(set(expected) - {u.ref for u in doc.units})
    if missing:
        raise SourceError(doc.file, doc.line_count, f"units missing from the text: {', '.join(missing)}")
    rules = doc.qualification.rules if doc.qualification else None
    for group in rules.groups if rules else []:
        group_units = sorted(ref for ref, row in expected.items() if row.group == group.id)
        if sorted(group.units) != group_units:
            raise SourceError(doc.file, group.line or 1,
                              f"rules of combination: group {group.id} parsed with {len(group.units)} units; the "
                              f"specification has {len(group_units)} (catalogue/sources/expected_units.tsv): the text looks damaged")
