"""`python -m bot.records.provision`: create the PostgreSQL databases the settings name (records,
and Rasa's tracker store) if they are missing. The production profile's launcher runs it in the
application environment before anything else starts (bot/launch/profile.py)."""
from __future__ import annotations

import sys
from urllib.parse import urlsplit

import psycopg
from psycopg import sql

from bot.settings import Settings


def create_missing(urls: list[str]) -> None:
    for url in urls:
        if not url.startswith("postgresql"):
            continue
        parts = urlsplit(url.replace("+psycopg", "").replace("+psycopg2", ""))
        name = parts.path.lstrip("/")
        admin = parts._replace(path="/postgres", query="").geturl()
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
                try:
                    conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                except psycopg.errors.DuplicateDatabase:
                    pass  # another launcher won the race


if __name__ == "__main__":
    settings = Settings()
    create_missing([u for u in (settings.database_url, settings.tracker_database_url) if u])
    sys.exit(0)
