"""Remembering which deliveries were already handled, so a retried delivery never answers twice.

Slack re-sends an event it thinks was not acknowledged in time (X-Slack-Retry-Num 1, 2, 3 within
about five minutes), Bot Framework may re-post an activity, and in the production profile the
retry can reach another Rasa server than the first delivery. So the keys live where every Rasa
server of a profile sees them (issue 14.6), chosen by `delivery_keys()`:

- Redis (REDIS_URL, the production profile): one atomic script per delivery, keys expiring by TTL;
- else the tracker store's database (TRACKER_DATABASE_URL, or the SQLite file TRACKER_DB, the
  default profile): table channel_deliveries, one transaction per delivery, its primary key
  deciding a race;
- else (a bare process with no store configured, e.g. a unit test) this process's memory.

Each store's `first_time(*keys)` records the keys and says whether none of them was seen within
the TTL; a duplicate records nothing. Standard library at import: the stores import redis or
SQLAlchemy (both in the Rasa engine environment) when made.
"""
from __future__ import annotations

import time
from collections import OrderedDict
from typing import Callable

TTL_SECONDS = 3600.0  # Slack's last retry comes about five minutes after the event


def _keys(keys) -> tuple[str, ...]:
    return tuple(dict.fromkeys(k for k in keys if k))


class SeenKeys:
    """In this process's memory: a bounded set of keys, each forgotten `ttl` seconds after it was first seen."""

    def __init__(self, ttl: float = TTL_SECONDS, max_keys: int = 10_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl
        self._max = max_keys
        self._clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()

    def first_time(self, *keys: str | None) -> bool:
        now = self._clock()
        self._expire(now)
        keys = _keys(keys)
        if any(k in self._seen for k in keys):
            return False
        for key in keys:
            self._seen[key] = now
        while len(self._seen) > self._max:
            self._seen.popitem(last=False)
        return True

    def _expire(self, now: float) -> None:
        while self._seen:
            key, when = next(iter(self._seen.items()))
            if now - when < self._ttl:
                break
            self._seen.popitem(last=False)


# none of the keys exists -> set them all with the TTL and answer 1; else 0 (atomic in Redis)
_FIRST_TIME = """
for _, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 then return 0 end
end
for _, key in ipairs(KEYS) do
  redis.call('SET', key, '1', 'EX', ARGV[1])
end
return 1
"""


class RedisKeys:
    def __init__(self, url: str, prefix: str = "csa", ttl: float = TTL_SECONDS) -> None:
        import redis

        self._redis = redis.Redis.from_url(url)
        self._script = self._redis.register_script(_FIRST_TIME)
        self._prefix = f"{prefix}:delivery:"
        self._ttl = int(ttl)

    def first_time(self, *keys: str | None) -> bool:
        keys = _keys(keys)
        if not keys:
            return True
        return bool(self._script(keys=[self._prefix + k for k in keys], args=[self._ttl]))


class DatabaseKeys:
    """Table channel_deliveries in the tracker store's database (made here, as Rasa makes its own tables)."""

    CLEAN_EVERY = 500  # deliveries between two sweeps of expired keys

    def __init__(self, url: str, ttl: float = TTL_SECONDS, clock: Callable[[], float] = time.time) -> None:
        import sqlalchemy as sa

        self._sa = sa
        self._ttl = ttl
        self._clock = clock
        self._calls = 0
        connect_args = {"timeout": 30} if url.startswith("sqlite") else {}
        self._engine = sa.create_engine(url, connect_args=connect_args, pool_pre_ping=True)
        meta = sa.MetaData()
        self._table = sa.Table("channel_deliveries", meta,
                               sa.Column("key", sa.String(300), primary_key=True),
                               sa.Column("seen_at", sa.Float, nullable=False, index=True))
        try:
            meta.create_all(self._engine)
        except sa.exc.DBAPIError:  # another server created it at the same moment
            meta.create_all(self._engine)

    def first_time(self, *keys: str | None) -> bool:
        keys = _keys(keys)
        if not keys:
            return True
        sa, table, now = self._sa, self._table, self._clock()
        self._calls += 1
        try:
            with self._engine.begin() as connection:
                stale = table.c.seen_at < now - self._ttl
                sweep = stale if self._calls % self.CLEAN_EVERY == 0 else sa.and_(table.c.key.in_(keys), stale)
                connection.execute(table.delete().where(sweep))
                connection.execute(table.insert(), [{"key": k[:300], "seen_at": now} for k in keys])
            return True
        except sa.exc.IntegrityError:
            return False  # one of the keys is there: a retry (or the other server won the race)


def delivery_keys(settings=None):
    """The shared store of handled deliveries for this Rasa server (see the module's docstring)."""
    from bot.engine.settings import engine_settings

    settings = settings or engine_settings()
    if settings.redis_url:
        return RedisKeys(settings.redis_url, settings.redis_key_prefix or "csa")
    if settings.tracker_database_url:
        return DatabaseKeys(settings.tracker_database_url)
    if settings.tracker_db:
        return DatabaseKeys(f"sqlite:///{settings.tracker_db}")
    return SeenKeys()
