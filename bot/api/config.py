"""Settings from environment variables, read when the app is created (not at import)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Optional


DEFAULT_RASA_URL = "http://localhost:5005"


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str
    admin_token: Optional[str] = None  # API_ADMIN_TOKEN: bootstraps an admin on first start
    rasa_url: str = DEFAULT_RASA_URL  # RASA_URL: the Rasa server the web chat talks to

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        from bot.records.db import database_url

        values = {
            "database_url": database_url(),
            "admin_token": os.environ.get("API_ADMIN_TOKEN") or None,
            "rasa_url": os.environ.get("RASA_URL") or DEFAULT_RASA_URL,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)
