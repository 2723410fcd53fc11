from tests.records.conftest import db, db_url, fake_catalogue, session, world  # noqa: F401  (shared fixtures)
