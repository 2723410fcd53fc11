"""The Rasa engine environment's settings, read in one place (pydantic 1's BaseSettings: the engine
environment pins pydantic 1 for Rasa 3.6). Field names are the environment variables, in lower case.
credentials.yml may set the channel keys too (its values win, as Rasa's own channels do)."""
from __future__ import annotations

from typing import Mapping, Optional

from pydantic import BaseSettings

from bot.limits import DEFAULT_MAX_REQUEST_BYTES

OPENID_METADATA_URL = "https://login.botframework.com/v1/.well-known/openidconfiguration"
LOGIN_URL = "https://login.microsoftonline.com"
SLACK_API_URL = "https://slack.com/api/"


class EngineSettings(BaseSettings):
    slack_bot_token: str = ""
    slack_signing_secret: str = ""
    slack_api_url: str = SLACK_API_URL
    teams_app_id: str = ""
    teams_app_password: str = ""
    teams_tenant_id: str = ""
    teams_openid_metadata_url: str = OPENID_METADATA_URL
    teams_login_url: str = LOGIN_URL
    teams_token_url: str = ""
    tracker_store_retry_seconds: float = 20.0  # how long a tracker read/write waits for the database
    # signs socket.io session ids (bot/engine/channels/identity.py); shared by every Rasa server of a
    # profile so that a widget's session survives a move to another server. Empty: random per process.
    socketio_session_secret: str = ""
    # where every Rasa server of a profile records the Slack/Teams deliveries it handled (channels/dedupe.py)
    redis_url: str = ""  # the production profile's Redis
    redis_key_prefix: str = "csa"
    tracker_database_url: str = ""  # else the tracker store's database (production: PostgreSQL)
    tracker_db: str = ""  # else the default profile's SQLite tracker file
    max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES  # every request body (bot/limits.py, bot/engine/limits.py)
    csa_profile: str = ""  # "production" or empty (bot/launch/profile.py); the Teams channel is stricter in production


def engine_settings(environ: Optional[Mapping[str, str]] = None) -> EngineSettings:
    """From the process environment, or from `environ` alone (tests)."""
    if environ is None:
        return EngineSettings()
    fields = EngineSettings.__fields__
    given = {k.lower(): v for k, v in environ.items() if k.lower() in fields and v}
    return EngineSettings.construct(**{**{n: f.default for n, f in fields.items()}, **EngineSettings(**given).dict(include=set(given))})
