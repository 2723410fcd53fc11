from tests.records.conftest import db, db_url, session  # noqa: F401  (shared fixtures)
