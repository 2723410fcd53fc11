"""Microsoft Teams connector over the Bot Framework protocol (a custom Rasa InputChannel).

Named in credentials.yml as `bot.engine.channels.teams.TeamsInput`; messaging endpoint registered in the
Azure Bot resource: https://<host>/webhooks/teams/webhook.

In:  every activity carries `Authorization: Bearer <JWT>` signed by the Bot Framework. The token is
     checked here: RS256 signature against a key from the OpenID metadata's jwks_uri (the key must
     endorse the activity's channelId), issuer https://api.botframework.com, audience = our app id,
     expiry (five minutes' clock skew, as Microsoft's SDKs allow) and the `serviceurl` claim equal to
     the activity's serviceUrl. A single-tenant bot (TEAMS_TENANT_ID set) also refuses an activity whose
     tenant (channelData.tenant.id, conversation.tenantId) is missing or another, and a token whose
     `tid` claim, where it has one, names another tenant. Anything else is answered 401.
Out: an app token from Microsoft Entra ID (client credentials, scope
     https://api.botframework.com/.default) from the tenant's token endpoint for a single-tenant bot,
     or botframework.com's for a multi-tenant one; replies are POSTed to
     {serviceUrl}/v3/conversations/{conversationId}/activities/{activityId}.

Settings (credentials.yml keys, else environment variables; Microsoft's addresses by default):
  app_id               TEAMS_APP_ID               the bot's Microsoft App ID
  app_password         TEAMS_APP_PASSWORD         its client secret
  tenant_id            TEAMS_TENANT_ID            set for a single-tenant bot; empty for multi-tenant
  openid_metadata_url  TEAMS_OPENID_METADATA_URL  https://login.botframework.com/v1/.well-known/openidconfiguration
                                                  (for tests; the production profile refuses to start with another)
  login_url            TEAMS_LOGIN_URL            https://login.microsoftonline.com
  token_url            TEAMS_TOKEN_URL            default {login_url}/{tenant_id or botframework.com}/oauth2/v2.0/token
"""
from __future__ import annotations

import asyncio
import html
import json
import logging
import re
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping
from urllib.parse import quote

import aiohttp
import jwt
from rasa.core.channels.channel import OutputChannel, UserMessage

from bot.engine.channels.guard import guard
from bot.engine.channels.dedupe import delivery_keys
from bot.engine.channels.render import adaptive_card, markdown
from bot.engine.channels.webhook import OnNewMessage, Result, WebhookChannel, header
from bot.engine.settings import LOGIN_URL, OPENID_METADATA_URL, engine_settings
from bot.logsafe import failure

logger = logging.getLogger(__name__)

MULTI_TENANT_AUTHORITY = "botframework.com"
TOKEN_ISSUER = "https://api.botframework.com"
SCOPE = "https://api.botframework.com/.default"
CLOCK_SKEW = 5 * 60
KEYS_MAX_AGE = 24 * 3600  # Microsoft rotates its signing keys; re-read them daily
KEYS_MIN_REFETCH = 60  # an unknown key id triggers a re-read, but not more than once a minute

class SettingsError(RuntimeError):
    """A Teams setting that must not be used; raised at start-up, so the Rasa server does not start."""


@dataclass(frozen=True)
class TeamsSettings:
    app_id: str = ""
    app_password: str = ""
    tenant_id: str = ""
    openid_metadata_url: str = OPENID_METADATA_URL
    login_url: str = LOGIN_URL
    token_url: str = ""

    @classmethod
    def load(cls, credentials: Mapping[str, Any] | None, environ: Mapping[str, str] | None = None) -> "TeamsSettings":
        credentials, env = credentials or {}, engine_settings(environ)

        def pick(key: str, default: str) -> str:
            return str(credentials.get(key) or default or "").strip()

        metadata = pick("openid_metadata_url", env.teams_openid_metadata_url) or OPENID_METADATA_URL
        if env.csa_profile.strip().lower() == "production" and metadata != OPENID_METADATA_URL:
            # whoever serves the metadata decides which keys sign "Microsoft's" tokens (issue 14.9)
            raise SettingsError(f"TEAMS_OPENID_METADATA_URL (or openid_metadata_url in credentials.yml) may not be "
                                f"changed in the production profile: remove it to use Microsoft's {OPENID_METADATA_URL}")
        return cls(
            app_id=pick("app_id", env.teams_app_id),
            app_password=pick("app_password", env.teams_app_password),
            tenant_id=pick("tenant_id", env.teams_tenant_id),
            openid_metadata_url=metadata,
            login_url=(pick("login_url", env.teams_login_url) or LOGIN_URL).rstrip("/"),
            token_url=pick("token_url", env.teams_token_url),
        )

    @property
    def single_tenant(self) -> bool:
        return bool(self.tenant_id)

    @property
    def token_endpoint(self) -> str:
        authority = self.tenant_id or MULTI_TENANT_AUTHORITY
        if self.token_url:
            return self.token_url.replace("{tenant}", authority)
        return f"{self.login_url}/{authority}/oauth2/v2.0/token"


async def _get_json(url: str, timeout: float = 10.0) -> Any:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as session:
        async with session.get(url) as resp:
            resp.raise_for_status()
            return await resp.json(content_type=None)


# ---- incoming authentication ---------------------------------------------------------------------

class AuthError(Exception):
    """Why an incoming activity was refused (logged; the caller only sees 401)."""


@dataclass
class TokenValidator:
    """Checks the Bot Framework's bearer token on an incoming activity."""

    app_id: str
    openid_metadata_url: str = OPENID_METADATA_URL
    tenant_id: str = ""  # set: a single-tenant bot, which takes activities from this tenant only
    issuer: str = TOKEN_ISSUER
    clock: Callable[[], float] = time.time
    _keys: dict[str, dict] = field(default_factory=dict)
    _keys_read_at: float = float("-inf")
    _lock: asyncio.Lock | None = None

    async def validate(self, authorization: str | None, activity: Mapping[str, Any]) -> dict:
        """The token's claims, or AuthError."""
        if not self.app_id:
            raise AuthError("no app id configured")
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthError("no bearer token")
        token = token.strip()
        try:
            head = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise AuthError(f"unreadable token: {error}") from error
        if head.get("alg") != "RS256":  # never let the token pick a weaker algorithm
            raise AuthError(f"algorithm {head.get('alg')!r} not allowed")
        jwk = await self._key(str(head.get("kid", "")))
        endorsements = jwk.get("endorsements")
        if isinstance(endorsements, list) and activity.get("channelId") not in endorsements:
            raise AuthError(f"key does not endorse channel {activity.get('channelId')!r}")
        try:
            key = jwt.PyJWK(jwk, algorithm="RS256").key
            claims = jwt.decode(
                token, key, algorithms=["RS256"], audience=self.app_id, issuer=self.issuer,
                leeway=CLOCK_SKEW, options={"require": ["exp", "iss", "aud"]},
            )
        except jwt.PyJWTError as error:
            raise AuthError(str(error)) from error
        claimed = claims.get("serviceurl", claims.get("serviceUrl"))
        if not claimed or claimed != activity.get("serviceUrl"):
            raise AuthError("serviceUrl does not match the token")
        if self.tenant_id:
            if claims.get("tid") not in (None, self.tenant_id):  # Bot Framework tokens may carry none
                raise AuthError("the token is from another tenant")
            tenants = activity_tenants(activity)
            if not tenants or tenants != {self.tenant_id}:
                raise AuthError("the activity is from another tenant, or names none")
        return claims

    async def _key(self, kid: str) -> dict:
        now = self.clock()
        stale = now - self._keys_read_at > KEYS_MAX_AGE
        unknown = kid not in self._keys and now - self._keys_read_at > KEYS_MIN_REFETCH
        if stale or unknown:
            await self._read_keys()
        if kid not in self._keys:
            raise AuthError(f"unknown signing key {kid!r}")
        return self._keys[kid]

    async def _read_keys(self) -> None:
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            try:
                metadata = await _get_json(self.openid_metadata_url)
                keys = (await _get_json(metadata["jwks_uri"]))["keys"]
            except Exception as error:  # keep the old keys; a refused request is retried later
                logger.warning("Could not read Bot Framework signing keys: %s", error)
                return
            self._keys = {k["kid"]: k for k in keys if k.get("kid")}
            self._keys_read_at = self.clock()


# ---- outgoing: app token and Bot Connector -------------------------------------------------------

class ConnectorError(RuntimeError):
    pass


class ConnectorClient:
    """Gets (and caches) the bot's app token and posts activities to a channel's serviceUrl."""

    def __init__(self, settings: TeamsSettings, timeout: float = 15.0) -> None:
        self.settings = settings
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._token: str | None = None
        self._token_expires = 0.0
        self._lock: asyncio.Lock | None = None

    async def token(self, refresh: bool = False) -> str:
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if refresh or not self._token or time.time() > self._token_expires - 300:
                form = {
                    "grant_type": "client_credentials",
                    "client_id": self.settings.app_id,
                    "client_secret": self.settings.app_password,
                    "scope": SCOPE,
                }
                async with aiohttp.ClientSession(timeout=self._timeout) as session:
                    async with session.post(self.settings.token_endpoint, data=form) as resp:
                        if resp.status != 200:
                            raise ConnectorError(f"token request refused: HTTP {resp.status} {await resp.text()}")
                        data = await resp.json(content_type=None)
                self._token = data["access_token"]
                self._token_expires = time.time() + float(data.get("expires_in", 3600))
            return self._token

    async def send(self, service_url: str, conversation_id: str, activity: Mapping[str, Any],
                   reply_to: str | None = None) -> dict:
        url = f"{service_url.rstrip('/')}/v3/conversations/{quote(conversation_id, safe='')}/activities"
        if reply_to:
            url += "/" + quote(reply_to, safe="")
        for attempt in range(2):
            headers = {"Authorization": f"Bearer {await self.token(refresh=attempt > 0)}"}
            async with aiohttp.ClientSession(timeout=self._timeout) as session:
                async with session.post(url, json=dict(activity), headers=headers) as resp:
                    if resp.status == 401 and attempt == 0:
                        continue  # token revoked or rotated: fetch a new one once
                    if resp.status >= 300:
                        raise ConnectorError(f"reply refused: HTTP {resp.status} {await resp.text()}")
                    return await resp.json(content_type=None) if resp.content_length else {}
        raise ConnectorError("reply refused after a fresh token")


class TeamsOutput(OutputChannel):
    """Answers one incoming activity, in its conversation (and thread, in a Teams channel)."""

    @classmethod
    def name(cls) -> str:
        return "teams"

    def __init__(self, client: ConnectorClient, activity: Mapping[str, Any]) -> None:
        self.client = client
        self.service_url = activity["serviceUrl"]
        self.conversation = activity.get("conversation") or {}
        self.bot = activity.get("recipient") or {}
        self.user = activity.get("from") or {}
        self.reply_to = activity.get("id")

    def _activity(self, **fields: Any) -> dict:
        activity = {
            "type": "message",
            "from": self.bot,
            "recipient": {k: v for k, v in self.user.items() if k in ("id", "name", "aadObjectId")},
            "conversation": {"id": self.conversation.get("id")},
        }
        if self.reply_to:
            activity["replyToId"] = self.reply_to
        activity.update(fields)
        return activity

    async def _send(self, activity: dict) -> None:
        await self.client.send(self.service_url, self.conversation["id"], activity, self.reply_to)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._send(self._activity(text=markdown(text), textFormat="markdown"))

    async def send_text_with_buttons(self, recipient_id: str, text: str, buttons: list[dict],
                                     **kwargs: Any) -> None:
        await self._send(self._activity(attachments=[adaptive_card(text, buttons)]))

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self._send(self._activity(attachments=[{"contentType": "image/png", "contentUrl": image}]))

    async def send_attachment(self, recipient_id: str, attachment: Any, **kwargs: Any) -> None:
        await self.send_text_message(recipient_id, str(attachment))

    async def send_custom_json(self, recipient_id: str, json_message: dict, **kwargs: Any) -> None:
        if "attachments" in json_message:  # a hand-made card
            await self._send(self._activity(**json_message))
        else:
            await self.send_text_message(recipient_id, json.dumps(json_message))


# ---- reading activities ----------------------------------------------------------------------------

_AT_TAG = re.compile(r"<at>(.*?)</at>", re.S)


def message_text(activity: Mapping[str, Any]) -> str:
    """What the user said: a card button's payload, or the typed text without the bot's @mention."""
    value = activity.get("value")
    if isinstance(value, dict) and isinstance(value.get("payload"), str) and value["payload"].strip():
        return value["payload"].strip()
    text = activity.get("text") or ""
    bot = activity.get("recipient") or {}
    for entity in activity.get("entities") or []:
        mentioned = entity.get("mentioned") or {}
        if entity.get("type") == "mention" and mentioned.get("id") == bot.get("id") and entity.get("text"):
            text = text.replace(entity["text"], " ")
    if bot.get("name"):  # some clients omit the mention entity; the tag still names the bot
        text = _AT_TAG.sub(lambda m: " " if m.group(1).strip() == bot["name"] else m.group(1), text)
    text = html.unescape(text)
    return re.sub(r"\s+", " ", text).strip()


def activity_tenants(activity: Mapping[str, Any]) -> set[str]:
    """Every tenant id the activity names (channelData.tenant.id, conversation.tenantId)."""
    found = {((activity.get("channelData") or {}).get("tenant") or {}).get("id"),
             (activity.get("conversation") or {}).get("tenantId")}
    return {str(t) for t in found if t}


def sender_id(activity: Mapping[str, Any]) -> str:
    """"teams:<tenant>:<user>", the user's Entra ID object id where Teams gives it."""
    user = activity.get("from") or {}
    tenant = ((activity.get("channelData") or {}).get("tenant") or {}).get("id") \
        or (activity.get("conversation") or {}).get("tenantId") or "-"
    return f"teams:{tenant}:{user.get('aadObjectId') or user.get('id')}"


def bot_was_added(activity: Mapping[str, Any]) -> bool:
    bot_id = (activity.get("recipient") or {}).get("id")
    return any(m.get("id") == bot_id for m in activity.get("membersAdded") or [])


def message_id(activity: Mapping[str, Any]) -> str | None:
    """The activity's id within its conversation: a re-posted activity has the same one."""
    conversation_id = (activity.get("conversation") or {}).get("id")
    return f"teams:{conversation_id}:{activity['id']}" if activity.get("id") and conversation_id else None


class TeamsInput(WebhookChannel):
    """Receives Bot Framework activities from Teams (and other Bot Framework channels)."""

    @classmethod
    def name(cls) -> str:
        return "teams"

    @classmethod
    def from_credentials(cls, credentials: Mapping[str, Any] | None) -> "TeamsInput":
        return cls(TeamsSettings.load(credentials))

    def __init__(self, settings: TeamsSettings) -> None:
        self.settings = settings
        if not (settings.app_id and settings.app_password):
            logger.warning("Teams channel not configured (TEAMS_APP_ID / TEAMS_APP_PASSWORD); "
                           "every request to it will be refused.")
        self.validator = TokenValidator(settings.app_id, settings.openid_metadata_url, settings.tenant_id)
        self.client = ConnectorClient(settings)
        self.seen = delivery_keys()  # shared by every Rasa server of the profile (dedupe.py)
        self._tasks: set[asyncio.Task] = set()

    async def handle(self, headers: Mapping[str, str], body: bytes, on_new_message: OnNewMessage) -> Result:
        try:
            activity = json.loads(body.decode("utf-8"))
            if not isinstance(activity, dict) or not activity.get("serviceUrl"):
                raise ValueError("not an activity")
        except (ValueError, UnicodeDecodeError):
            return Result(400, "not a Bot Framework activity")
        authorization = header(headers, "Authorization")
        try:
            await self.validator.validate(authorization, activity)
        except AuthError as error:
            logger.warning("Refused a Teams activity: %s", error)
            return Result(401, "unauthorized")

        kind = activity.get("type")
        conversation_id = (activity.get("conversation") or {}).get("id")
        if not conversation_id:
            return Result(400, "activity without a conversation")
        if not self.seen.first_time(message_id(activity)):
            return Result(200, "duplicate")
        if kind == "message":
            text = message_text(activity)
            if text:
                self._spawn(self._answer(activity, text, on_new_message))
        elif kind == "conversationUpdate" and bot_was_added(activity):
            self._spawn(self._answer(activity, "/greet", on_new_message))
        return Result(200, "")

    async def _answer(self, activity: Mapping[str, Any], text: str, on_new_message: OnNewMessage) -> None:
        sender = sender_id(activity)
        try:
            output = TeamsOutput(self.client, activity)
            conversation = activity.get("conversation") or {}
            metadata = {"channel": "teams", "teams": {
                "tenant": sender.split(":")[1], "user": (activity.get("from") or {}).get("id"),
                "aad_object_id": (activity.get("from") or {}).get("aadObjectId"),
                "conversation": conversation.get("id"), "conversation_type": conversation.get("conversationType"),
            }}
            text, metadata = guard(text, metadata)
            await on_new_message(UserMessage(text, output, sender, input_channel=self.name(), metadata=metadata,
                                             message_id=message_id(activity)))
        except Exception as error:  # the activity has already been acknowledged: log it and keep serving the others
            # the length and the error's type and frames: never the text, the sender or the error's message
            logger.error("A Teams message (%d chars) could not be answered: %s", len(text or ""), failure(error))
