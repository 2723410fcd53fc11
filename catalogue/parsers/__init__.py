"""One parser per specification text. Each module exposes `parse(path) -> SourceDocument`
and raises `catalogue.errors.SourceError(file, line, reason)` on anything it cannot read exactly."""
from __future__ import annotations

import importlib
from pathlib import Path

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
    return importlib.import_module(module).parse(sources_dir / file)
