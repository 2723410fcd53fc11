"""Rasa's SQL tracker store, hardened for the production profile (runs INSIDE the Rasa engine:
stdlib, SQLAlchemy 1.4 and rasa only).

Two changes to rasa.core.tracker_store.SQLTrackerStore:
- connections are checked before use (pool_pre_ping), so after a PostgreSQL restart the pool
  reconnects instead of failing one request per stale connection;
- a read or write that fails because the database is unreachable is retried for a short while.

If the database stays unreachable, Rasa's fail-safe wrapper would swallow the error and carry on
with an EMPTY tracker (a conversation silently restarted, its form lost). So once the retries are
spent this store raises TrackerStoreUnavailable, a BaseException that passes through that wrapper:
the request fails, the balancer answers "please try again", and the stored state stays intact.
"""
from __future__ import annotations

import asyncio
import logging
import os
import time

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs

logger = logging.getLogger(__name__)

RETRY_SECONDS = float(os.environ.get("TRACKER_STORE_RETRY_SECONDS", "20"))


class TrackerStoreUnavailable(BaseException):
    """The tracker database could not be reached within the retry budget."""


def _transient(error: Exception) -> bool:
    return isinstance(error, (sa.exc.OperationalError, sa.exc.InterfaceError)) or (
        isinstance(error, sa.exc.DBAPIError) and error.connection_invalidated)


class ResilientSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    async def _retrying(self, what: str, call):
        deadline = time.monotonic() + RETRY_SECONDS
        delay = 0.1
        while True:
            try:
                return await call()
            except Exception as error:  # noqa: BLE001 - only database outages are retried
                if not _transient(error):
                    raise
                if time.monotonic() > deadline:
                    logger.error("tracker store: database unreachable for %.0fs during %s", RETRY_SECONDS, what)
                    raise TrackerStoreUnavailable(what) from error
                # the type only: the message could quote a statement with conversation data in it
                logger.warning("tracker store: %s failed (%s), retrying", what, type(error).__name__)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 2.0)

    async def _retrieve(self, sender_id, fetch_events_from_all_sessions):
        parent = super()._retrieve
        return await self._retrying("read", lambda: parent(sender_id, fetch_events_from_all_sessions))

    async def save(self, tracker) -> None:
        parent = super().save
        await self._retrying("write", lambda: parent(tracker))

    async def keys(self):
        parent = super().keys
        return await self._retrying("keys", parent)
