"""Engines, sessions, migrations and the transaction every unit of work runs in.

One engine and one sessionmaker per database URL and process. One transaction per unit of work:
a chat turn or a command runs in `transaction(work)`, an API request in the session its
dependency commits once (bot/api/auth.py). Records services never commit: each change runs in
`write(session, work)`, a savepoint of the caller's transaction.

URL: the argument, else DATABASE_URL (bot.settings), else SQLite at <repo>/var/assistant.db.
SQLite runs in WAL mode with foreign keys on and a busy timeout, so two processes
(API and action server) can share the file.
"""
from __future__ import annotations

import random
import threading
import time
from pathlib import Path
from contextlib import contextmanager
from typing import Callable, Iterator, TypeVar

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.errors import Conflict, NotFound
from bot.settings import Settings

ALEMBIC_INI = Path(__file__).resolve().parent / "alembic.ini"

_engines: dict[str, Engine] = {}
_sessionmakers: dict[str, sessionmaker[Session]] = {}
_lock = threading.Lock()

T = TypeVar("T")
WRITES = "records_unit_of_work"  # execution option: this transaction writes (SQLite: BEGIN IMMEDIATE)


def database_url(url: str | None = None) -> str:
    return url or Settings().database_url


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # pysqlite opens transactions itself, late, and breaks SAVEPOINT: let SQLAlchemy say BEGIN
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.close()


def _sqlite_begin(connection) -> None:
    # a unit of work that writes takes SQLite's write lock as it begins (waiting up to the busy
    # timeout), so it never reads a snapshot that a concurrent commit makes too old to write from
    immediate = connection.get_execution_options().get(WRITES, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def new_engine(url: str | None = None) -> Engine:
    """A fresh engine (not cached): what a restarted process would get."""
    url = database_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


def engine_for(url: str | None = None) -> Engine:
    """The process-wide engine for a URL (created once)."""
    url = database_url(url)
    with _lock:
        if url not in _engines:
            _engines[url] = new_engine(url)
        return _engines[url]


def dispose(url: str | None = None) -> None:
    """Forget (and close) the cached engine for a URL."""
    with _lock:
        engine = _engines.pop(database_url(url), None)
        _sessionmakers.pop(database_url(url), None)
    if engine is not None:
        engine.dispose()


def session_factory(url: str | None = None) -> sessionmaker[Session]:
    """The process's one sessionmaker for a URL. expire_on_commit stays on: every unit of work
    re-reads the database."""
    url = database_url(url)
    engine = engine_for(url)
    with _lock:
        if url not in _sessionmakers:
            _sessionmakers[url] = sessionmaker(bind=engine)
        return _sessionmakers[url]


def migrate(url: str | None = None) -> None:
    """`alembic upgrade head` on the database (idempotent; safe to call at every start-up)."""
    from alembic import command
    from alembic.config import Config

    engine = engine_for(url)
    config = Config(str(ALEMBIC_INI))
    config.set_main_option("script_location", str(ALEMBIC_INI.parent / "migrations"))
    with migration_connection(engine) as connection:
        if engine.dialect.name == "postgresql":
            # two processes starting together must not both create the tables
            connection.execute(text("SELECT pg_advisory_xact_lock(727370)"))
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


@contextmanager
def migration_connection(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction for migrations. SQLite changes a table by rebuilding it
    (Alembic batch mode), and dropping a table others refer to fails while foreign keys are on; the
    switch is ignored inside a transaction, so it is turned off before and every reference checked
    before commit (the procedure of https://www.sqlite.org/lang_altertable.html)."""
    with engine.connect() as connection:
        sqlite = engine.dialect.name == "sqlite"
        raw = connection.connection.dbapi_connection
        if sqlite:
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                yield connection
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                    raise RuntimeError("a migration left a reference to a missing row; nothing was changed")
        finally:
            if sqlite:
                raw.execute("PRAGMA foreign_keys=ON")


def fetch(session: Session, model: type[T], value, missing: str) -> T:
    """`value` itself if it is a `model`, else the row with that id; NotFound(missing) if there is none."""
    if isinstance(value, model):
        return value
    found = session.get(model, value) if isinstance(value, int) and not isinstance(value, bool) else None
    if found is None:
        raise NotFound(missing)
    return found


def lost_race(error: Exception) -> bool:
    """The database refused a change because a concurrent one won: trying again may succeed."""
    if isinstance(error, IntegrityError):
        return True  # a unique constraint lost a race: re-read and try again
    message = str(getattr(error, "orig", error)).lower()
    return any(m in message for m in ("database is locked", "deadlock", "could not serialize", "busy"))


def write(session: Session, work: Callable[[], T], attempts: int = 8) -> T:
    """Run `work` (reads and adds) in a savepoint of the caller's transaction and flush it.

    A unique constraint lost to a concurrent writer rolls back to the savepoint and runs `work`
    again, so `work` must re-read what it needs and check idempotency keys itself. A domain error
    undoes just this change and propagates. Nothing is committed here: the unit of work commits.
    """
    for attempt in range(attempts):
        try:
            with session.begin_nested():
                return work()
        except IntegrityError:
            if attempt == attempts - 1:
                raise
            time.sleep(random.uniform(0.005, 0.03) * (attempt + 1))
    raise AssertionError("unreachable")


def transaction(work: Callable[[Session], T], url: str | None = None, attempts: int = 8) -> T:
    """One unit of work (a chat turn, a command) in one transaction, committed once.

    A lost race the database reports (deadlock, serialization failure, locked SQLite file, a
    unique constraint) rolls everything back and runs `work` again from scratch; after `attempts`
    it is a Conflict. Domain errors roll back and propagate unchanged.
    """
    factory = session_factory(url)
    for attempt in range(attempts):
        with factory() as session:
            try:
                session.connection(execution_options={WRITES: True})
                result = work(session)
                session.commit()
                return result
            except (IntegrityError, OperationalError) as error:
                session.rollback()
                if not lost_race(error):
                    raise
                if attempt == attempts - 1:
                    raise Conflict("Someone else was changing this record at the same moment. "
                                   "Please try again.") from error
            except BaseException:
                session.rollback()
                raise
        time.sleep(random.uniform(0.005, 0.03) * (attempt + 1))
    raise AssertionError("unreachable")
