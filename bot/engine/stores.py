"""Rasa's tracker and lock stores, fixed for the production profile (runs INSIDE the Rasa engine:
stdlib, SQLAlchemy 1.4, redis and rasa only).

AtomicRedisLockStore: Rasa 3.6's RedisLockStore changes a conversation's lock by read, modify,
write; two servers taking a ticket at the same moment overwrite each other's, and both then
process the same conversation at once (tests/production/test_two_by_two.py caught it). Here every
change is one optimistic Redis transaction (WATCH/MULTI), retried if the lock changed meanwhile.

ResilientSQLTrackerStore, two changes to rasa.core.tracker_store.SQLTrackerStore:

- Saving a tracker writes the events added since it was read. Rasa finds those by counting, with
  another query, the stored events of the conversation's session on every save; the store notes
  the number when it reads the tracker instead (the conversation's lock keeps anyone else from
  adding events meanwhile). A tracker this store did not read is saved the way Rasa saves it.
- A read or write that fails because the database is unreachable is retried for a short while.
  After a PostgreSQL restart the first use of a stale pooled connection fails; SQLAlchemy then
  discards every connection of the pool, and the retry runs on a new one. (Checking each
  connection before use, pool_pre_ping, would cost a round trip on every read and write for the
  sake of one retry per restart.)

If the database stays unreachable, Rasa's fail-safe wrapper would swallow the error and carry on
with an EMPTY tracker (a conversation silently restarted, its form lost). So once the retries are
spent this store raises TrackerStoreUnavailable, a BaseException that passes through that wrapper:
the request fails, HAProxy answers "please try again" (bot/launch/haproxy.py), and the stored state stays intact.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import logging
import time

import redis
import sqlalchemy as sa
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.core.tracker_store import SQLTrackerStore

from bot.engine.settings import engine_settings

logger = logging.getLogger(__name__)

RETRY_SECONDS = engine_settings().tracker_store_retry_seconds
# set on a tracker this store read or saved: how many of its events the database holds
STORED_EVENTS = "_events_in_tracker_store"


class TrackerStoreUnavailable(BaseException):
    """The tracker database could not be reached within the retry budget."""


def _transient(error: Exception) -> bool:
    return isinstance(error, (sa.exc.OperationalError, sa.exc.InterfaceError)) or (
        isinstance(error, sa.exc.DBAPIError) and error.connection_invalidated)


class ResilientSQLTrackerStore(SQLTrackerStore):
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
        tracker = await self._retrying("read", lambda: parent(sender_id, fetch_events_from_all_sessions))
        if tracker is not None:  # every event it was read with is in the database
            setattr(tracker, STORED_EVENTS, len(tracker.events))
        return tracker

    async def save(self, tracker) -> None:
        parent = super().save
        await self._retrying("write", lambda: parent(tracker))
        setattr(tracker, STORED_EVENTS, len(tracker.events))

    def _additional_events(self, session, tracker):
        """The events of `tracker` not yet in the database (SQLTrackerStore.save writes these)."""
        stored = getattr(tracker, STORED_EVENTS, None)
        if stored is None or stored > len(tracker.events):
            return super()._additional_events(session, tracker)  # not read here: count as Rasa does
        return itertools.islice(tracker.events, stored, len(tracker.events))

    async def keys(self):
        parent = super().keys
        return await self._retrying("keys", parent)


class AtomicRedisLockStore(RedisLockStore):
    """endpoints: type bot.engine.stores.AtomicRedisLockStore, url (host), port, db, password, key_prefix."""

    POLL_SECONDS = 0.05  # Rasa polls a taken lock every second; a queued message need not wait that long

    def __init__(self, endpoint_config) -> None:
        options = dict(endpoint_config.kwargs or {})
        super().__init__(host=endpoint_config.url or "localhost", **options)

    def _atomically(self, conversation_id: str, change):
        """Apply change(lock or None) -> (new lock or None to delete, result) as one transaction."""
        key = self.key_prefix + conversation_id
        while True:
            with self.red.pipeline() as pipe:
                try:
                    pipe.watch(key)
                    raw = pipe.get(key)
                    lock, result = change(TicketLock.from_dict(json.loads(raw)) if raw else None)
                    pipe.multi()
                    if lock is None:
                        pipe.delete(key)
                    else:
                        pipe.set(key, lock.dumps())
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue  # someone changed the lock between our read and write: do it again

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def take(lock):
            lock = lock or TicketLock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._atomically(conversation_id, take)
        except redis.RedisError as error:
            raise LockError(f"Error while acquiring lock: {type(error).__name__}") from error

    def update_lock(self, conversation_id: str) -> None:
        def expire(lock):
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._atomically(conversation_id, expire)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        self.cleanup(conversation_id, ticket_number)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        def release(lock):
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._atomically(conversation_id, release)

    async def _acquire_lock(self, conversation_id: str, ticket: int, wait_time_in_seconds: float) -> TicketLock:
        return await super()._acquire_lock(conversation_id, ticket, min(wait_time_in_seconds, self.POLL_SECONDS))
