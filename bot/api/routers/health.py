"""GET /health (no sign-in): can the app reach its database and read the catalogue?"""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from bot.records import catalogue as catalogues
from catalogue.errors import SourceError

router = APIRouter(tags=["health"])


def _database(request: Request) -> dict:
    try:
        with request.app.state.sessions() as session:
            session.execute(text("SELECT 1"))
            revision = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
        return {"ok": True, "backend": request.app.state.engine.dialect.name, "revision": revision}
    except Exception as error:  # reported, not raised: this endpoint exists to say what is wrong
        return {"ok": False, "backend": request.app.state.engine.dialect.name, "error": type(error).__name__}


def _catalogue(request: Request) -> dict:
    try:
        cat = catalogues.current(request.app.state.settings.database_url)
        return {"ok": True, "qualifications": len(cat.qualifications()), "units": len(cat.units)}
    except SourceError as error:  # names the file and line that failed
        return {"ok": False, "error": f"{type(error).__name__}: {error}"}


@router.get("/health", responses={503: {"description": "Degraded: the body says whether the database or the catalogue failed"}})
def health(request: Request) -> JSONResponse:
    """200 with {"status": "ok"} when both work; 503 with what failed otherwise."""
    database, catalogue = _database(request), _catalogue(request)
    ok = database["ok"] and catalogue["ok"]
    return JSONResponse({"status": "ok" if ok else "degraded", "database": database, "catalogue": catalogue},
                        status_code=200 if ok else 503)
