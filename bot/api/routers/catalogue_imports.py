"""Importing qualifications (admins only): upload a catalogue document, see what was imported.

The body of POST /api/catalogue/imports is the file itself (JSON in the interchange format, or the
.xlsx template), so no form library is needed and any HTTP client can send it
(`curl --data-binary @file.json`). It is read up to the size limit and no further.
"""
from __future__ import annotations

from typing import Annotated, Optional

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.api import schemas as s
from bot.api.auth import get_session, require_admin
from bot.records import catalogue as catalogues
from bot.records.models import CatalogueDocument, Person
from catalogue import interchange
from catalogue.interchange import FormatError

router = APIRouter(prefix="/api/catalogue", tags=["catalogue"], responses=s.PROBLEMS)

LIMIT_MB = interchange.MAX_BYTES // (1024 * 1024)


async def _body(request: Request) -> bytes:
    """The upload, refused (413) as soon as it passes the limit: a 50 MB file is never held whole."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > interchange.MAX_BYTES:
        raise HTTPException(413, f"The file is {int(declared) / 1e6:.1f} MB; a catalogue document is at most "
                                 f"{LIMIT_MB} MB. Nothing was imported.")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > interchange.MAX_BYTES:
            raise HTTPException(413, f"The file is over {LIMIT_MB} MB, the most a catalogue document may be. "
                                     "Nothing was imported.")
        chunks.append(chunk)
    return b"".join(chunks)


@router.post("/imports", response_model=s.CatalogueImportOut, status_code=201,
             responses={413: {"description": "The file is larger than a catalogue document may be"}},
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": {"type": "object", "description": "docs/catalogue-format.md"}},
                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                     "schema": {"type": "string", "format": "binary"}}}}})
async def import_qualification(request: Request,
                               filename: Annotated[Optional[str], Query(max_length=200)] = None,
                               admin: Person = Depends(require_admin), session: Session = get_session):
    """Validate the document and, if it is valid as a whole, serve it at once to the API, every action
    server and the bot (no restart, no retraining). Importing a qualification that is already there adds
    a new version; the older versions stay for the records that cite them. A mistake refuses the whole
    file (422) with the field path (and sheet, row and column for a workbook); the catalogue is unchanged."""
    data = await _body(request)
    if not data.strip():
        raise HTTPException(422, "The upload is empty: send the catalogue document (JSON or .xlsx) as the body.")
    name = filename or "upload"
    try:
        doc = await run_in_threadpool(catalogues.read_document, data, filename)
    except FormatError as error:
        raise HTTPException(422, f"{name}: refused, nothing imported: {error}") from None
    done = await run_in_threadpool(catalogues.import_document, session, doc, admin, filename)
    body = s.CatalogueImportOut(source_id=done.source_id, version=done.version, units=done.units,
                                criteria=done.criteria, changed=done.changed)
    return JSONResponse(body.model_dump(), status_code=201 if done.changed else 200)


@router.get("/imports", response_model=list[s.CatalogueVersionOut])
def imports(source_id: Annotated[Optional[str], Query(max_length=40)] = None,
            admin: Person = Depends(require_admin), session: Session = get_session):
    """Every imported version, oldest first (none is ever removed)."""
    query = select(CatalogueDocument).order_by(CatalogueDocument.id)
    if source_id is not None:
        query = query.where(CatalogueDocument.source_id == source_id)
    return [s.CatalogueVersionOut.model_validate(row) for row in session.scalars(query)]
