"""The one way to reach the catalogue: `current()`; and the one way to add to it: `import_document()`.

The catalogue served is the five specifications in catalogue/sources (built once per process by
the catalogue package) plus the qualifications imported into the records database, each at its
highest version. Imported documents are rows that are only ever added (CatalogueDocument), so every
process (API, each action server) sees another process's import by comparing the newest row's id and
hash with those it last built from: one indexed query per call, no restart, no retraining. Code below the flows
(bot.domain) never reaches for the catalogue: it is passed in.
"""
from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.domain.errors import Invalid, NotFound
from bot.records import audit
from bot.records.db import database_url, engine_for, write
from bot.records.models import CatalogueDocument, Person
from catalogue import interchange, load_catalogue
from catalogue.build import Catalogue
from catalogue.interchange import FormatError
from catalogue.model import SourceDocument

log = logging.getLogger("bot.records.catalogue")

_lock = threading.Lock()
_built: dict[str, tuple[object, Catalogue]] = {}  # url -> (newest row's (id, sha256) built from, catalogue)
_parsed: dict[str, SourceDocument] = {}  # sha256 of a stored document -> the document


def _no_database(url: str) -> bool:
    """A SQLite file that does not exist holds no imports (and is not created by asking)."""
    parsed = make_url(url)
    return parsed.get_backend_name() == "sqlite" and bool(parsed.database) and parsed.database != ":memory:" \
        and not Path(parsed.database).exists()


def _newest(executor) -> Optional[tuple]:
    """(id, sha256) of the newest imported row, None if none: what was imported last, by anyone."""
    row = executor.execute(select(CatalogueDocument.id, CatalogueDocument.sha256)
                           .order_by(CatalogueDocument.id.desc()).limit(1)).first()
    return tuple(row) if row is not None else None


def _latest_rows(executor) -> list:
    newest = select(CatalogueDocument.source_id, func.max(CatalogueDocument.version).label("v")) \
        .group_by(CatalogueDocument.source_id).subquery()
    query = select(CatalogueDocument.sha256, CatalogueDocument.source_id, CatalogueDocument.document) \
        .join(newest, (CatalogueDocument.source_id == newest.c.source_id) & (CatalogueDocument.version == newest.c.v)) \
        .order_by(CatalogueDocument.id)
    return list(executor.execute(query))


def _compose(rows: list, seeds: Catalogue) -> Catalogue:
    sources = dict(seeds.sources)
    for digest, source_id, text in rows:
        if digest not in _parsed:
            try:
                _parsed[digest] = interchange.loads(text)
            except FormatError as error:  # validated at import; a row edited by hand is skipped, not served
                log.error("imported catalogue document %s no longer reads: %s", source_id, error)
                continue
        sources[source_id] = _parsed[digest]
    return Catalogue(sources)


def _served(key: str, executor, seeds: Catalogue) -> Catalogue:
    revision = _newest(executor)
    if revision is None:
        return seeds
    built = _built.get(key)
    if built is not None and built[0] == revision:
        return built[1]
    with _lock:
        built = _built.get(key)
        if built is None or built[0] != revision:
            built = _built[key] = (revision, _compose(_latest_rows(executor), seeds))
    return built[1]


def current(where: Session | str | None = None) -> Catalogue:
    """The catalogue to answer from now: the seeds plus every imported qualification's newest version.

    `where`: the session of the unit of work (its own transaction sees its own import), or a
    database URL (default DATABASE_URL). If the imports cannot be read (database down, not migrated),
    the catalogue this process last built is served (the seeds at worst), never nothing."""
    seeds = load_catalogue()
    if isinstance(where, Session):
        key = where.get_bind().url.render_as_string(hide_password=False)
    else:
        key = database_url(where)
        if _no_database(key):
            return seeds
    try:
        if isinstance(where, Session):
            return _served(key, where, seeds)
        with engine_for(key).connect() as connection:
            return _served(key, connection, seeds)
    except SQLAlchemyError as error:
        log.warning("imported catalogues not readable (%s); serving the last catalogue built", type(error).__name__)
        return _built.get(key, (None, seeds))[1]


def forget() -> None:
    """Drop what this process built (tests)."""
    with _lock:
        _built.clear()
        _parsed.clear()


# --- importing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Imported:
    source_id: str
    version: int
    units: int
    criteria: int
    changed: bool  # False: the document equals the version already served; nothing was added


def read_document(data: bytes, filename: Optional[str] = None) -> SourceDocument:
    """A document as uploaded: JSON, or the .xlsx template (recognised by its ZIP signature).
    FormatError names the field path (and the sheet, row and column for a workbook)."""
    if len(data) > interchange.MAX_BYTES:
        raise FormatError("", f"the file is {len(data) / 1e6:.1f} MB; a catalogue document is at most "
                              f"{interchange.MAX_BYTES // (1024 * 1024)} MB")
    if data[:4] == b"PK\x03\x04":
        import tempfile

        from catalogue import spreadsheet

        with tempfile.TemporaryDirectory(prefix="catalogue-upload-") as folder:
            path = Path(folder) / "upload.xlsx"
            path.write_bytes(data)
            return spreadsheet.load(path)
    return interchange.loads(data)


def import_document(session: Session, doc: SourceDocument, actor: Optional[Person | int] = None,
                    filename: Optional[str] = None) -> Imported:
    """Add `doc` as the newest version of its qualification, audited, in the caller's transaction.

    The merged catalogue is built first, so a document that could not be served together with
    the others is refused (Invalid) and nothing is stored. Importing what is already served is
    a no-op (changed=False)."""
    served = current(session)
    try:
        Catalogue({**served.sources, doc.id: doc})
    except ValueError as error:
        raise Invalid(f"The catalogue would not build with this document: {error}") from error
    units = len(doc.units)
    criteria = sum(len(u.criteria) for u in doc.units)
    if served.sources.get(doc.id) == doc:
        version = session.scalar(select(func.max(CatalogueDocument.version))
                                 .where(CatalogueDocument.source_id == doc.id)) or 0
        return Imported(doc.id, version, units, criteria, changed=False)
    text = interchange.dumps(doc)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()

    def add() -> CatalogueDocument:
        version = (session.scalar(select(func.max(CatalogueDocument.version))
                                  .where(CatalogueDocument.source_id == doc.id)) or 0) + 1
        row = CatalogueDocument(source_id=doc.id, version=version, document=text, sha256=digest,
                                filename=(filename or None) and filename[-200:],
                                imported_by=actor.id if isinstance(actor, Person) else actor)
        session.add(row)
        audit.record(session, actor, "import", "catalogue", doc.id, version=version, sha256=digest,
                     units=units, criteria=criteria, replaces=doc.id in served.sources)
        return row

    row = write(session, add)
    return Imported(doc.id, row.version, units, criteria, changed=True)


def versions(session: Session, source_id: str) -> list[CatalogueDocument]:
    """Every imported version of a qualification, oldest first (older ones are never removed)."""
    return list(session.scalars(select(CatalogueDocument).where(CatalogueDocument.source_id == source_id)
                                .order_by(CatalogueDocument.version)))


def version_document(session: Session, source_id: str, version: int) -> SourceDocument:
    """One imported version as it was imported, for a record that cites it."""
    row = session.scalar(select(CatalogueDocument).where(CatalogueDocument.source_id == source_id,
                                                         CatalogueDocument.version == version))
    if row is None:
        raise NotFound(f"No imported version {version} of '{source_id}'.")
    return interchange.loads(row.document)
