# the records tests' SQLite/PostgreSQL fixture and the session-wide templates it draws on
from tests.records.conftest import _pg_schema, _sqlite_template, db_url  # noqa: F401
