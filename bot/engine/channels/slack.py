"""Slack connector: Events API and interactive button clicks in, Web API (chat.postMessage) out.

Rasa's own SlackInput cannot be pointed at another Web API address, answers a bad signature with
400 and answers Slack's retries again, so this channel is written for the project. Named in
credentials.yml as `bot.engine.channels.slack.SlackInput`; webhook: POST /webhooks/slack/webhook for both
the Events API "Request URL" and the Interactivity "Request URL".

Settings (credentials.yml keys, else environment variables):
  bot_token       SLACK_BOT_TOKEN       xoxb-... (scopes: see docs/channels/slack-app-manifest.yml)
  signing_secret  SLACK_SIGNING_SECRET  the app's signing secret (Basic Information page)
  api_url         SLACK_API_URL         Web API base address, default https://slack.com/api/
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import re
import time
from dataclasses import dataclass
from typing import Any, Mapping
from urllib.parse import parse_qs

import aiohttp
from rasa.core.channels.channel import OutputChannel, UserMessage

from bot.engine.channels.guard import guard
from bot.engine.channels.dedupe import delivery_keys
from bot.engine.channels.render import slack_blocks, slack_chosen_blocks, slack_mrkdwn
from bot.engine.channels.webhook import OnNewMessage, Result, WebhookChannel, header
from bot.engine.settings import SLACK_API_URL, engine_settings
from bot.logsafe import failure

logger = logging.getLogger(__name__)

DEFAULT_API_URL = SLACK_API_URL
MAX_CLOCK_SKEW = 5 * 60  # Slack: reject requests whose timestamp is more than five minutes off
STASH_PREFIX = "stash:"

# ---- settings and request verification ------------------------------------------------------

@dataclass(frozen=True)
class SlackSettings:
    bot_token: str = ""
    signing_secret: str = ""
    api_url: str = DEFAULT_API_URL

    @classmethod
    def load(cls, credentials: Mapping[str, Any] | None, environ: Mapping[str, str] | None = None) -> "SlackSettings":
        """credentials.yml's keys, else the engine settings (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET,
        SLACK_API_URL)."""
        credentials, env = credentials or {}, engine_settings(environ)

        def pick(key: str, default: str) -> str:
            return str(credentials.get(key) or default or "").strip()

        api_url = pick("api_url", env.slack_api_url) or DEFAULT_API_URL
        return cls(
            bot_token=pick("bot_token", env.slack_bot_token),
            signing_secret=pick("signing_secret", env.slack_signing_secret),
            api_url=api_url if api_url.endswith("/") else api_url + "/",
        )


def signature_for(secret: str, timestamp: str, body: bytes) -> str:
    """Slack's v0 request signature: HMAC-SHA256 over "v0:<timestamp>:<raw body>"."""
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def verify_signature(secret: str, timestamp: str | None, signature: str | None, body: bytes,
                     now: float | None = None) -> bool:
    """True only for a correctly signed request whose timestamp is within five minutes of now."""
    if not secret or not timestamp or not signature:
        return False
    try:
        sent_at = int(timestamp)
    except ValueError:
        return False
    if abs((time.time() if now is None else now) - sent_at) > MAX_CLOCK_SKEW:
        return False
    return hmac.compare_digest(signature_for(secret, timestamp, body), signature)


# ---- message text ------------------------------------------------------------------------------

_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|([^>]*))?>")
_CHANNEL = re.compile(r"<#[A-Z0-9]+\|([^>]*)>")
_SPECIAL = re.compile(r"<!(\w+)(?:\^[^|>]*)?(?:\|([^>]*))?>")
_LINK = re.compile(r"<([^<>|]+)(?:\|([^<>]*))?>")


def clean_text(text: str, bot_user_ids: set[str]) -> str:
    """The words the user typed: the bot's own @mention removed, Slack's escapes undone.

    Slack sends `<@U123>` for mentions, `<#C1|name>` for channels, `<https://x|label>` for links
    and &amp;/&lt;/&gt; for the three control characters.
    """
    def mention(m: re.Match) -> str:
        if m.group(1) in bot_user_ids:
            return " "
        return "@" + (m.group(2) or m.group(1))

    text = _MENTION.sub(mention, text)
    text = _CHANNEL.sub(lambda m: "#" + m.group(1), text)
    text = _SPECIAL.sub(lambda m: m.group(2) or "@" + m.group(1), text)
    text = _LINK.sub(lambda m: m.group(2) or m.group(1).removeprefix("mailto:"), text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return re.sub(r"[ \t]+", " ", text).strip()


@dataclass(frozen=True)
class Incoming:
    """One user message (typed, or a button click) and where to answer it."""
    text: str
    team: str
    user: str
    channel: str
    thread_ts: str | None = None
    mention: bool = False  # an app_mention: the bot's id must be known to strip it
    message_id: str | None = None  # the channel's id of this message: Rasa's message_id, the records' client_msg_id

    @property
    def sender_id(self) -> str:
        return f"slack:{self.team}:{self.user}"


# Message subtypes that still carry something a person wrote; every other subtype (bot_message,
# message_changed, channel_join, ...) is not addressed to the bot.
_USER_SUBTYPES = {None, "thread_broadcast", "file_share"}


def incoming_from_event(envelope: Mapping[str, Any]) -> Incoming | None:
    """The user message in an event_callback, or None for events the bot does not answer.

    The bot answers direct messages (message events with channel_type "im") and @mentions
    (app_mention) anywhere; other channel messages are not for it.
    """
    event = envelope.get("event") or {}
    kind = event.get("type")
    if kind not in ("message", "app_mention"):
        return None
    if event.get("bot_id") or event.get("subtype") not in _USER_SUBTYPES:
        return None
    if kind == "message" and event.get("channel_type") != "im":
        return None
    user, channel = event.get("user"), event.get("channel")
    if not user or not channel:
        return None
    team = event.get("user_team") or event.get("team") or envelope.get("team_id") or ""
    return Incoming(
        text=event.get("text") or "",
        team=team,
        user=user,
        channel=channel,
        thread_ts=event.get("thread_ts"),
        mention=kind == "app_mention",
        # a message and its app_mention event share channel and ts: one message id for both
        message_id=f"slack:{team}:{channel}:{event.get('ts')}" if event.get("ts") else None,
    )


def bot_ids_of(envelope: Mapping[str, Any]) -> set[str]:
    """The bot's own user id(s) as Slack lists them in the event's authorizations."""
    ids = {a.get("user_id") for a in envelope.get("authorizations") or [] if a.get("is_bot")}
    return {i for i in ids if i}


# ---- Web API -----------------------------------------------------------------------------------

class SlackApiError(RuntimeError):
    pass


class SlackWebClient:
    """The few Web API methods the bot calls, as JSON POSTs with the bot token."""

    def __init__(self, token: str, api_url: str = DEFAULT_API_URL, timeout: float = 10.0) -> None:
        self._token = token
        self._api_url = api_url
        self._timeout = aiohttp.ClientTimeout(total=timeout)

    async def call(self, method: str, payload: Mapping[str, Any]) -> dict:
        headers = {"Authorization": f"Bearer {self._token}", "Content-Type": "application/json; charset=utf-8"}
        for attempt in range(2):
            async with aiohttp.ClientSession(timeout=self._timeout) as session:
                async with session.post(self._api_url + method, json=dict(payload), headers=headers) as resp:
                    if resp.status == 429 and attempt == 0:
                        # rate limited: Slack says how long to wait
                        await asyncio.sleep(min(float(resp.headers.get("Retry-After", "1")), 30.0))
                        continue
                    if resp.status != 200:
                        raise SlackApiError(f"{method}: HTTP {resp.status}")
                    data = await resp.json(content_type=None)
            if not data.get("ok"):
                raise SlackApiError(f"{method}: {data.get('error', 'unknown error')}")
            return data
        raise SlackApiError(f"{method}: still rate limited")


class PayloadStash:
    """Keeps button payloads too long for a Slack button value; the button carries a short key."""

    def __init__(self, max_items: int = 5000) -> None:
        self._items: dict[str, str] = {}
        self._max = max_items

    def put(self, payload: str) -> str:
        key = hashlib.sha256(payload.encode()).hexdigest()[:24]
        self._items.pop(key, None)
        self._items[key] = payload
        while len(self._items) > self._max:
            self._items.pop(next(iter(self._items)))
        return STASH_PREFIX + key

    def resolve(self, value: str) -> str | None:
        if value.startswith(STASH_PREFIX):
            return self._items.get(value[len(STASH_PREFIX):])
        return value


class SlackOutput(OutputChannel):
    """Posts the bot's replies into the conversation (and thread) the user wrote in."""

    @classmethod
    def name(cls) -> str:
        return "slack"

    def __init__(self, client: SlackWebClient, channel: str, thread_ts: str | None = None,
                 stash: PayloadStash | None = None) -> None:
        self.client = client
        self.channel = channel
        self.thread_ts = thread_ts
        self.stash = stash or PayloadStash()

    async def _post(self, **message: Any) -> None:
        message["channel"] = self.channel
        if self.thread_ts:
            message["thread_ts"] = self.thread_ts
        message.setdefault("unfurl_links", False)
        await self.client.call("chat.postMessage", message)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.send_text_with_buttons(recipient_id, text, [])

    async def send_text_with_buttons(self, recipient_id: str, text: str, buttons: list[dict],
                                     **kwargs: Any) -> None:
        # `text` is the notification / screen-reader fallback; the blocks are what is shown.
        await self._post(text=slack_mrkdwn(text)[:3000], blocks=slack_blocks(text, buttons, self.stash.put))

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self._post(text=image, blocks=[{"type": "image", "image_url": image, "alt_text": "image"}])

    async def send_attachment(self, recipient_id: str, attachment: Any, **kwargs: Any) -> None:
        await self.send_text_message(recipient_id, str(attachment))

    async def send_custom_json(self, recipient_id: str, json_message: dict, **kwargs: Any) -> None:
        if "blocks" in json_message:  # a hand-made Block Kit message
            await self._post(text=str(json_message.get("text", "")), blocks=json_message["blocks"])
        else:
            await self.send_text_message(recipient_id, json.dumps(json_message))


# ---- input channel -------------------------------------------------------------------------------

class SlackInput(WebhookChannel):
    """Receives Events API callbacks and block_actions payloads on one signed webhook."""

    @classmethod
    def name(cls) -> str:
        return "slack"

    @classmethod
    def from_credentials(cls, credentials: Mapping[str, Any] | None) -> "SlackInput":
        return cls(SlackSettings.load(credentials))

    def __init__(self, settings: SlackSettings) -> None:
        self.settings = settings
        if not (settings.bot_token and settings.signing_secret):
            logger.warning("Slack channel not configured (SLACK_BOT_TOKEN / SLACK_SIGNING_SECRET); "
                           "every request to it will be refused.")
        self.client = SlackWebClient(settings.bot_token, settings.api_url)
        self.seen = delivery_keys()  # shared by every Rasa server of the profile (dedupe.py)
        self.stash = PayloadStash()
        self._bot_user_id: str | None = None
        self._tasks: set[asyncio.Task] = set()

    async def handle(self, headers: Mapping[str, str], body: bytes, on_new_message: OnNewMessage) -> Result:
        """Verify, acknowledge at once, and answer in the background (Slack wants a reply in 3 s)."""
        if not verify_signature(self.settings.signing_secret, header(headers, "X-Slack-Request-Timestamp"),
                                header(headers, "X-Slack-Signature"), body):
            return Result(401, "invalid or stale Slack signature")
        data = _parse_body(header(headers, "Content-Type") or "", body)
        if data is None:
            return Result(400, "unreadable body")
        kind = data.get("type")
        if kind == "url_verification":
            return Result(200, {"challenge": data.get("challenge", "")})
        if kind == "event_callback":
            return self._on_event(data, on_new_message, header(headers, "X-Slack-Retry-Num"))
        if kind == "block_actions":
            return self._on_block_actions(data, on_new_message)
        return Result(200, "ignored")

    def _on_event(self, envelope: dict, on_new_message: OnNewMessage, retry: str | None = None) -> Result:
        """A retry (X-Slack-Retry-Num) of an event any server handled is acknowledged and not answered
        again; a retry of one no server saw (its first delivery was lost) is answered."""
        incoming = incoming_from_event(envelope)
        # A retry repeats the event_id; a message that mentions the bot in a DM can also arrive
        # as two events (message + app_mention) with the same channel and ts: the same message id.
        event_id = f"slack-event:{envelope.get('event_id')}" if envelope.get("event_id") else None
        if not self.seen.first_time(event_id, incoming.message_id if incoming else None):
            logger.info("Slack event %s already handled (retry %s)", envelope.get("event_id"), retry or 0)
            return Result(200, "duplicate")
        if incoming:
            self._spawn(self._answer(incoming, bot_ids_of(envelope), on_new_message))
        return Result(200, "")

    def _on_block_actions(self, payload: dict, on_new_message: OnNewMessage) -> Result:
        action = next((a for a in payload.get("actions") or [] if a.get("type") == "button" and a.get("value")), None)
        user = payload.get("user") or {}
        container = payload.get("container") or {}
        channel = (payload.get("channel") or {}).get("id") or container.get("channel_id")
        if action is None or not user.get("id") or not channel:
            return Result(200, "ignored")  # e.g. a link button: nothing to send to the bot
        click_id = f"slack-click:{payload.get('trigger_id')}:{action.get('action_ts')}"
        if not self.seen.first_time(click_id):
            return Result(200, "duplicate")
        text = self.stash.resolve(str(action["value"]))
        if text is None:
            logger.warning("Slack button payload %s is no longer known", action["value"])
            return Result(200, "expired button")
        message = payload.get("message") or {}
        incoming = Incoming(
            text=text,
            team=user.get("team_id") or (payload.get("team") or {}).get("id") or "",
            user=user["id"],
            channel=channel,
            thread_ts=container.get("thread_ts") or message.get("thread_ts"),
            message_id=click_id,
        )
        title = ((action.get("text") or {}).get("text")) or text
        if message.get("ts") and message.get("blocks"):
            self._spawn(self._mark_chosen(channel, message, title))
        self._spawn(self._answer(incoming, set(), on_new_message, cleaned=True))
        return Result(200, "")

    async def _answer(self, incoming: Incoming, bot_ids: set[str], on_new_message: OnNewMessage,
                      cleaned: bool = False) -> None:
        try:
            text = incoming.text
            if not cleaned:
                if incoming.mention and not bot_ids:
                    bot_ids = {await self.bot_user_id()} - {""}
                text = clean_text(text, bot_ids) or "/greet"  # a bare @mention says hello
            output = SlackOutput(self.client, incoming.channel, incoming.thread_ts, self.stash)
            metadata = {"channel": "slack", "slack": {"team": incoming.team, "user": incoming.user,
                                                      "channel": incoming.channel, "thread_ts": incoming.thread_ts}}
            text, metadata = guard(text, metadata)
            await on_new_message(UserMessage(text, output, incoming.sender_id, input_channel=self.name(),
                                             metadata=metadata, message_id=incoming.message_id))
        except Exception as error:  # the webhook has already been acknowledged: log it and keep serving the others
            # the length and the error's type and frames: never the text, the sender or the error's message
            logger.error("A Slack message (%d chars) could not be answered: %s", len(incoming.text or ""), failure(error))

    async def _mark_chosen(self, channel: str, message: dict, title: str) -> None:
        try:
            await self.client.call("chat.update", {"channel": channel, "ts": message["ts"],
                                                   "text": message.get("text", ""),
                                                   "blocks": slack_chosen_blocks(message["blocks"], title)})
        except Exception as error:  # cosmetic only: the click itself was answered
            logger.warning("Could not mark the clicked Slack message: %s", type(error).__name__)

    async def bot_user_id(self) -> str:
        """The bot's user id (auth.test), learnt once; used to strip its @mention."""
        if self._bot_user_id is None:
            try:
                self._bot_user_id = (await self.client.call("auth.test", {})).get("user_id") or ""
            except Exception as error:  # without it a bare @mention is kept in the text; asked again next message
                logger.warning("Slack auth.test failed: %s", type(error).__name__)
                return ""
        return self._bot_user_id


def _parse_body(content_type: str, body: bytes) -> dict | None:
    """Events arrive as JSON; interactive payloads as a form with one `payload` field of JSON."""
    try:
        if "application/x-www-form-urlencoded" in content_type or body[:8] == b"payload=":
            fields = parse_qs(body.decode("utf-8"))
            data = json.loads(fields["payload"][0])
        else:
            data = json.loads(body.decode("utf-8"))
    except (ValueError, KeyError, IndexError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None
