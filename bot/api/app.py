"""The FastAPI application: `create_app()` for tests and embedding, `app` for `uvicorn bot.api.app:app`.

Configuration (environment): DATABASE_URL (default SQLite under var/), API_ADMIN_TOKEN (bootstraps
an admin on first start), RASA_URL (the Rasa server the web chat page talks to; in app.state.settings).
"""
from __future__ import annotations

import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from fastapi_offline import FastAPIOffline
from sqlalchemy.exc import SQLAlchemyError

from bot import logsafe
from bot.api import errors
from bot.api.routers import admin, catalogue, catalogue_imports, discussions, health, privacy, progress
from bot.api.bootstrap import bootstrap_admin
from bot.api.limits import BodyLimit
from bot.records.db import engine_for, migrate, session_factory, transaction
from bot.settings import Settings

log = logging.getLogger("bot.api")

DESCRIPTION = """Catalogue look-ups, learner progress and professional-discussion records for the
conversational assessment assistant. Authenticate with `Authorization: Bearer <token>`
(tokens are issued by an admin: `POST /api/people/{id}/tokens`). Errors are `{"detail": "..."}`."""


def create_app(settings: Settings | None = None, **overrides) -> FastAPI:
    """overrides: database_url, admin_token, rasa_url (else from the environment)."""
    settings = settings or Settings(**{k: v for k, v in overrides.items() if v is not None})
    logsafe.install()  # nothing personal in the API's log, uvicorn's access log included (bot/logsafe.py)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        try:
            migrate(settings.database_url)
            if settings.admin_token:
                transaction(lambda session: bootstrap_admin(session, settings.admin_token), settings.database_url)
        except SQLAlchemyError as error:  # keep serving: /health says what is wrong
            log.error("database not ready at start-up: %s", type(error).__name__)
        yield

    # /docs and /redoc load Swagger UI and ReDoc from the fastapi-offline package, served by the app
    # itself (/static-offline-docs/...), so they work on an intranet or offline install (issue 18).
    app = FastAPIOffline(title="Customer Service assessment assistant API", version="0.1.0", description=DESCRIPTION,
                  lifespan=lifespan)
    app.state.settings = settings
    app.state.engine = engine_for(settings.database_url)
    app.state.sessions = session_factory(settings.database_url)
    errors.install(app)
    app.add_middleware(BodyLimit, max_bytes=settings.max_request_bytes)
    for module in (health, catalogue, catalogue_imports, progress, discussions, admin, privacy):
        app.include_router(module.router)

    from bot.api.web import router as web_router  # the browser chat page (GET /chat ...)

    app.include_router(web_router)

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/chat", status_code=307)

    return app


app = create_app()
