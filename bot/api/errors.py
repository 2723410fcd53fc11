"""Every error as `{"detail": "<a sentence for the person>"}` with the right status.

Records-layer domain errors carry their own status (404, 403, 409, 422). Validation errors
become one readable sentence plus the field list. A database that cannot be reached is a 503.
Anything else is a bug: logged with its traceback but without the exception's message or the
request body (they may hold a learner's answer), and answered with a reference to find the log.
"""
from __future__ import annotations

import logging
import traceback
import uuid

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot.domain.errors import RecordsError

log = logging.getLogger("bot.api")


def _where(loc: tuple) -> str:
    parts = [str(p) for p in loc if p not in ("body",)]
    return ".".join(parts) if parts else "body"


def validation_message(errors: list[dict]) -> str:
    """'unit_refs: Field required; text: String should have at most 20000 characters'."""
    bits = []
    for e in errors[:5]:
        message = str(e.get("msg", "invalid")).removeprefix("Value error, ")
        if e.get("type") == "extra_forbidden":
            message = "is not a field of this request"
        elif e.get("type") == "json_invalid":
            message = "the request body is not valid JSON"
        bits.append(f"{_where(tuple(e.get('loc', ())))}: {message}")
    more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
    return "Invalid request: " + "; ".join(bits) + more + "."


def _clean(errors: list[dict]) -> list[dict]:
    """The field list without the submitted values (they may be a learner's answer)."""
    return [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": e.get("type", "")} for e in errors]


def install(app: FastAPI) -> None:
    @app.exception_handler(RecordsError)
    async def records_error(_request: Request, error: RecordsError) -> JSONResponse:
        return JSONResponse({"detail": error.message}, status_code=error.status)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, error: RequestValidationError) -> JSONResponse:
        errors = list(error.errors())
        return JSONResponse({"detail": validation_message(errors), "errors": _clean(errors)}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"detail": error.detail}, status_code=error.status_code, headers=error.headers)

    @app.exception_handler(OperationalError)
    async def database_down(request: Request, error: OperationalError) -> JSONResponse:
        log.error("database unavailable on %s %s: %s", request.method, request.url.path, type(error.orig).__name__)
        return JSONResponse({"detail": "The database is not available right now. Please try again shortly."},
                            status_code=503)

    @app.exception_handler(Exception)
    async def bug(request: Request, error: Exception) -> JSONResponse:
        reference = uuid.uuid4().hex[:12]
        frames = "".join(traceback.format_tb(error.__traceback__))
        kind = type(error).__name__
        if isinstance(error, DBAPIError):
            kind += f" ({type(error.orig).__name__})"  # never the statement's parameters
        log.error("unhandled %s on %s %s [ref %s]\n%s", kind, request.method, request.url.path, reference, frames)
        return JSONResponse({"detail": f"Something went wrong on our side (reference {reference}). "
                                       "It has been logged; please tell your administrator."}, status_code=500)
