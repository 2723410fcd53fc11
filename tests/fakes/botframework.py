"""Fake Microsoft side of a Teams bot: OpenID metadata + JWKS, the Entra ID token endpoint and a
Bot Connector service (the activity's serviceUrl) that keeps the bot's replies.

Tokens the channel sends to the bot are RS256 JWTs signed with a locally generated RSA key that is
published in the fake JWKS, carrying the claims the real Bot Framework puts in: iss
https://api.botframework.com, aud = the bot's app id, exp/nbf and serviceurl. `mint` can also
produce the bad ones (wrong key, expired, wrong audience, wrong serviceUrl).
"""
from __future__ import annotations

import json
import re
import secrets
import time
import uuid
from typing import Any
from urllib.parse import unquote

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from tests.fakes.server import FakeServer, Request

ISSUER = "https://api.botframework.com"
SCOPE = "https://api.botframework.com/.default"
ENDORSEMENTS = ["msteams", "emulator", "webchat", "directline"]
BOT_NAME = "Assessment Assistant"


def _rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class FakeLogin(FakeServer):
    """login.botframework.com (OpenID metadata, keys) and login.microsoftonline.com (tokens)."""

    def __init__(self, app_id: str, app_password: str, tenant: str) -> None:
        self.app_id, self.app_password, self.tenant = app_id, app_password, tenant
        self.key = _rsa_key()
        self.kid = "fake-" + secrets.token_hex(6)
        self.issued_tokens: set[str] = set()
        self.token_requests: list[dict] = []  # {"tenant": ..., "form": {...}}
        super().__init__()
        self.openid_metadata_url = f"{self.url}/v1/.well-known/openidconfiguration"

    def jwk(self) -> dict:
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        return {**jwk, "kid": self.kid, "use": "sig", "alg": "RS256", "endorsements": ENDORSEMENTS}

    def handle(self, request: Request) -> tuple[int, Any]:
        if request.method == "GET" and request.path == "/v1/.well-known/openidconfiguration":
            return 200, {
                "issuer": ISSUER,
                "authorization_endpoint": "https://invalid.botframework.com",
                "jwks_uri": f"{self.url}/v1/.well-known/keys",
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            }
        if request.method == "GET" and request.path == "/v1/.well-known/keys":
            return 200, {"keys": [self.jwk()]}
        match = re.fullmatch(r"/([^/]+)/oauth2/v2\.0/token", request.path)
        if request.method == "POST" and match:
            form = request.form()
            self.token_requests.append({"tenant": match.group(1), "form": form})
            if match.group(1) != self.tenant:
                return 400, {"error": "invalid_request", "error_description": "AADSTS90002: Tenant not found"}
            if form.get("grant_type") != "client_credentials" or form.get("scope") != SCOPE:
                return 400, {"error": "invalid_request"}
            if form.get("client_id") != self.app_id or form.get("client_secret") != self.app_password:
                return 401, {"error": "invalid_client"}
            token = "fake-access-" + secrets.token_urlsafe(24)
            self.issued_tokens.add(token)
            return 200, {"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": token}
        return 404, {"error": "not found"}


class FakeConnector(FakeServer):
    """The Bot Connector service at the activity's serviceUrl; keeps every activity the bot sends."""

    def __init__(self, login: FakeLogin) -> None:
        self.login = login
        self.replies: list[dict] = []  # {"conversation_id", "reply_to", "activity"}
        super().__init__()
        self.service_url = f"{self.url}/emea/"  # Teams' service URLs carry a region path like this

    def handle(self, request: Request) -> tuple[int, Any]:
        match = re.fullmatch(r"/emea/v3/conversations/([^/]+)/activities(?:/([^/]+))?", request.path)
        if request.method != "POST" or not match:
            return 404, {"error": {"code": "NotFound"}}
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        if token not in self.login.issued_tokens:
            return 401, {"message": "Authorization has been denied for this request."}
        self.replies.append({"conversation_id": unquote(match.group(1)),
                             "reply_to": unquote(match.group(2)) if match.group(2) else None,
                             "activity": request.json()})
        return 200, {"id": uuid.uuid4().hex}

    def replies_in(self, conversation_id: str, after: int = 0) -> list[dict]:
        return [r for r in self.replies[after:] if r["conversation_id"] == conversation_id]

    def wait_for_replies(self, conversation_id: str, count: int = 1, after: int = 0, timeout: float = 60.0,
                         settle: float = 1.0) -> list[dict]:
        self.wait_until(lambda: len(self.replies_in(conversation_id, after)) >= count, timeout)
        time.sleep(settle)
        return self.replies_in(conversation_id, after)


class FakeBotFramework:
    """Both fake servers, the bot's identity, and builders for signed activities."""

    def __init__(self, tenant_id: str | None = None) -> None:
        self.app_id = str(uuid.uuid4())
        self.app_password = "fake-secret-" + secrets.token_urlsafe(12)
        self.tenant_id = tenant_id if tenant_id is not None else str(uuid.uuid4())
        self.login = FakeLogin(self.app_id, self.app_password, self.tenant_id or "botframework.com")
        self.connector = FakeConnector(self.login)
        self.bot = {"id": f"28:{self.app_id}", "name": BOT_NAME}
        self._wrong_key: rsa.RSAPrivateKey | None = None

    @property
    def service_url(self) -> str:
        return self.connector.service_url

    def env(self) -> dict[str, str]:
        return {
            "TEAMS_APP_ID": self.app_id,
            "TEAMS_APP_PASSWORD": self.app_password,
            "TEAMS_TENANT_ID": self.tenant_id,
            "TEAMS_OPENID_METADATA_URL": self.login.openid_metadata_url,
            "TEAMS_LOGIN_URL": self.login.url,
        }

    def stop(self) -> None:
        self.connector.stop()
        self.login.stop()

    # ---- tokens ------------------------------------------------------------------------------

    def mint(self, service_url: str | None = None, *, wrong_key: bool = False, audience: str | None = None,
             issuer: str = ISSUER, expires_in: int = 3600, algorithm: str = "RS256", **claims: Any) -> str:
        """A channel-to-bot token. Negative `expires_in` gives an expired one."""
        now = int(time.time())
        payload = {"iss": issuer, "aud": audience or self.app_id, "nbf": now - 60, "iat": now - 60,
                   "exp": now + expires_in, "serviceurl": service_url or self.service_url, **claims}
        if algorithm == "HS256":  # the classic confusion attack: an HMAC "signed" with a public value
            return jwt.encode(payload, "not-a-secret-but-long-enough-for-hmac", algorithm="HS256",
                              headers={"kid": self.login.kid})
        if wrong_key:
            self._wrong_key = self._wrong_key or _rsa_key()
        key = self._wrong_key if wrong_key else self.login.key
        return jwt.encode(payload, key, algorithm=algorithm, headers={"kid": self.login.kid})

    def headers(self, activity: dict, **mint_args: Any) -> dict[str, str]:
        token = self.mint(mint_args.pop("service_url", activity.get("serviceUrl")), **mint_args)
        return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    # ---- activities ----------------------------------------------------------------------------

    def _base(self, kind: str, conversation_id: str, conversation_type: str, user_id: str,
              aad_object_id: str | None, channel_id: str) -> dict:
        user = {"id": user_id, "name": "Learner One", "aadObjectId": aad_object_id or str(uuid.uuid5(uuid.NAMESPACE_URL, user_id))}
        conversation = {"id": conversation_id, "conversationType": conversation_type, "tenantId": self.tenant_id or "fake-tenant"}
        return {
            "type": kind, "id": uuid.uuid4().hex[:16], "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()),
            "serviceUrl": self.service_url, "channelId": channel_id, "from": user,
            "conversation": conversation, "recipient": dict(self.bot),
            "channelData": {"tenant": {"id": self.tenant_id or "fake-tenant"}},
        }

    def message(self, text: str = "", *, conversation_id: str = "a:1personal-chat", conversation_type: str = "personal",
                user_id: str = "29:1learner", aad_object_id: str | None = None, mention: bool = False,
                value: dict | None = None, channel_id: str = "msteams") -> dict:
        """A message activity; with mention=True the text starts with the bot's <at> tag, as in a
        Teams channel, and carries the matching mention entity."""
        activity = self._base("message", conversation_id, conversation_type, user_id, aad_object_id, channel_id)
        if mention:
            tag = f"<at>{self.bot['name']}</at>"
            text = f"{tag} {text}"
            activity["entities"] = [{"type": "mention", "text": tag, "mentioned": dict(self.bot)}]
        activity.update(text=text, textFormat="plain", locale="en-GB")
        if value is not None:
            activity["value"] = value
        return activity

    def bot_added(self, *, conversation_id: str = "a:1personal-chat", conversation_type: str = "personal",
                  user_id: str = "29:1learner") -> dict:
        """The conversationUpdate Teams sends when the bot is installed into a conversation."""
        activity = self._base("conversationUpdate", conversation_id, conversation_type, user_id, None, "msteams")
        activity["membersAdded"] = [dict(self.bot)]
        return activity

    def click(self, card_action: dict, **message_args: Any) -> dict:
        """What Teams sends when an Adaptive Card Action.Submit with an msteams messageBack is clicked."""
        back = card_action["data"]["msteams"]
        activity = self.message(back["text"], **message_args)
        activity["value"] = back.get("value") or {k: v for k, v in card_action["data"].items() if k != "msteams"}
        return activity


def card_actions(activity: dict) -> list[dict]:
    """The Action.Submit buttons of an Adaptive Card in a reply activity."""
    actions = []
    for attachment in activity.get("attachments") or []:
        if attachment.get("contentType") == "application/vnd.microsoft.card.adaptive":
            actions += attachment["content"].get("actions", [])
    return actions


def reply_text(activity: dict) -> str:
    """What a person reads in a reply: its text, or the text blocks of its card."""
    parts = [activity.get("text") or ""]
    for attachment in activity.get("attachments") or []:
        body = (attachment.get("content") or {}).get("body") or []
        parts += [b.get("text", "") for b in body if b.get("type") == "TextBlock"]
    return "\n".join(p for p in parts if p)
