"""The application environment's settings (action server, API, records, flows), read in one place.

Each field is an environment variable of the same name in upper case. `Settings()` reads the
environment when it is made, so a process (or a test) that changes a variable sees the change.
The Rasa engine environment has its own (bot/engine/settings.py), the launcher its own
(bot/launch, standard library only).
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.limits import DEFAULT_MAX_REQUEST_BYTES

REPO = Path(__file__).resolve().parents[1]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True, frozen=True)

    database_url: str = f"sqlite:///{REPO / 'var' / 'assistant.db'}"  # the records database
    admin_token: Optional[str] = Field(None, validation_alias="API_ADMIN_TOKEN")  # bootstraps an admin
    rasa_url: str = "http://localhost:5005"  # the Rasa server the web chat talks to
    api_port: int = 8000
    api_public_url: Optional[str] = None  # the API's address as users reach it (export links)
    tracker_database_url: Optional[str] = None  # Rasa's tracker store (production: PostgreSQL)
    tracker_db: Path = REPO / "var" / "tracker.db"  # Rasa's tracker store (default: SQLite)
    action_server_token: Optional[str] = None  # the secret Rasa sends the action server (rasa_sdk_plugins)
    # signed assessment records are kept this long after sign-off, anonymised if the learner is erased
    # (awarding bodies commonly ask centres to keep assessment decisions for three years)
    record_retention_years: int = Field(3, ge=0, le=100)
    api_token_days: int = Field(90, ge=1, le=3650)  # how long an API token stays valid after it is issued
    max_request_bytes: int = Field(DEFAULT_MAX_REQUEST_BYTES, ge=1024)  # every request body (bot/limits.py)

    @property
    def public_url(self) -> str:
        return (self.api_public_url or f"http://127.0.0.1:{self.api_port}").rstrip("/")
