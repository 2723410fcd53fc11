"""The production profile's balancer: one small HTTP process in front of several Rasa servers and
several action servers (runs in the Rasa engine environment: stdlib and aiohttp only).

    python -m bot.engine.balancer --port 5005 --rasa http://127.0.0.1:5101,http://127.0.0.1:5102 \
                           --actions http://127.0.0.1:5201,http://127.0.0.1:5202

- POST /webhook (custom-action calls from the Rasa servers) goes to the action servers in turn.
  A call that fails at the connection is sent to the next server: actions are safe to repeat,
  because the records layer keys every write by Rasa's message id. If no action server answers,
  the balancer answers for them: "please try again", and for a form's validation action the
  requested slot is cleared so the form stays where it was.
- Everything else (the REST, Slack and Teams webhooks, `/`) goes to the Rasa servers in turn. A
  server that refuses the connection is skipped (the message never reached it, so nothing runs
  twice); a failure after the message was delivered is not retried, and the user is told to try
  again. An empty reply (Rasa swallowed an error) becomes the same "please try again".
  Every such substitute reply carries the header X-Assistant-Fallback, so clients and the
  benchmarks can count them.
- A REST message longer than BALANCER_MAX_MESSAGE_CHARS (10,000) or BALANCER_MAX_MESSAGE_WORDS
  (1,500) is answered "too long, send it in parts" without reaching Rasa (see MAX_CHARS).
- GET /balancer/health: 200 while at least one server of each kind is up, with each one's state.

A server that refuses a connection is rested for a second before it is tried again; no state is
kept here beyond that, so the balancer can be restarted at any time or run as several copies.
"""
from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import logging
import time

import aiohttp
from aiohttp import web

from bot.engine.settings import engine_settings

log = logging.getLogger("bot.engine.balancer")

TRY_AGAIN = ("Sorry, I couldn't answer that just now: part of the service is restarting. "
             "Nothing you told me before was lost. Please try again in a moment.")
REST_PATH = "/webhooks/rest/webhook"
REST_TIMEOUT = aiohttp.ClientTimeout(total=120, connect=3)
ACTION_TIMEOUT = aiohttp.ClientTimeout(total=120, connect=3)
REST_ONLY_HEADERS = {"content-type", "authorization", "x-slack-signature", "x-slack-request-timestamp",
                     "x-slack-retry-num", "x-slack-retry-reason", "user-agent"}
REST_HOP_HEADERS = {"content-length", "transfer-encoding", "connection", "content-encoding", "keep-alive"}
REST_DOWN_SECONDS = 1.0
# Rasa's NLU (DIET's transformer) needs memory that grows with the square of a message's length in
# words: one 100 kB message took a Rasa server past 12 GB and the kernel killed it (scripts/fuzz_bot.py
# found it). Longer messages are answered here and never reach Rasa. Both limits: environment.
MAX_CHARS = engine_settings().balancer_max_message_chars
MAX_WORDS = engine_settings().balancer_max_message_words
TOO_LONG = ("That message is too long for me to read in one go ({chars:,} characters; I can take up to "
            "{limit:,} characters or {words:,} words). Please send it in parts: nothing of it was saved.")


class Pool:
    """Round-robin over upstream base URLs, resting one that refused a connection."""

    def __init__(self, urls: list[str]):
        self.urls = [u.rstrip("/") for u in urls]
        self._next = itertools.cycle(range(len(self.urls)))
        self.down_until = {u: 0.0 for u in self.urls}

    def order(self) -> list[str]:
        start = next(self._next)
        ring = self.urls[start:] + self.urls[:start]
        now = time.monotonic()
        up = [u for u in ring if self.down_until[u] <= now]
        return up + [u for u in ring if u not in up]  # rested ones last, still worth a try

    def failed(self, url: str) -> None:
        self.down_until[url] = time.monotonic() + REST_DOWN_SECONDS

    def worked(self, url: str) -> None:
        self.down_until[url] = 0.0


def _fallback_action(body: dict) -> dict:
    """What the action server would say if it could: sorry, try again; keep a form where it was."""
    events = []
    name = str(body.get("next_action") or "")
    slots = (body.get("tracker") or {}).get("slots") or {}
    if name.startswith("validate_") and slots.get("requested_slot"):
        events.append({"event": "slot", "name": slots["requested_slot"], "value": None})
    return {"events": events, "responses": [{"text": TRY_AGAIN}]}


def _fallback_reply(sender: str | None, why: str) -> web.Response:
    return web.json_response([{"recipient_id": sender or "", "text": TRY_AGAIN}],
                             headers={"X-Assistant-Fallback": why})


class Balancer:
    def __init__(self, rasa: list[str], actions: list[str]):
        self.rasa = Pool(rasa)
        self.actions = Pool(actions)
        self.session: aiohttp.ClientSession | None = None  # action servers (keep-alive)
        self.rasa_session: aiohttp.ClientSession | None = None

    async def start(self, _app) -> None:
        self.session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0, keepalive_timeout=30))
        # a fresh connection per message to a Rasa server: a reused connection to a server that died
        # fails ambiguously (was the message delivered?), a refused new one plainly was not
        self.rasa_session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0, force_close=True))

    async def close(self, _app) -> None:
        await self.session.close()
        await self.rasa_session.close()

    async def action(self, request: web.Request) -> web.Response:
        raw = await request.read()
        for url in self.actions.order():
            try:
                async with self.session.post(url + "/webhook", data=raw, timeout=ACTION_TIMEOUT,
                                             headers={"Content-Type": "application/json",  # Rasa's secret, passed on
                                                      "Authorization": request.headers.get("Authorization", "")}) as r:
                    payload = await r.read()
                    self.actions.worked(url)
                    if r.status >= 500:
                        raise aiohttp.ClientResponseError(r.request_info, (), status=r.status)
                    return web.Response(body=payload, status=r.status, content_type="application/json")
            except (aiohttp.ClientError, asyncio.TimeoutError) as error:
                # repeating an action is safe (writes are keyed by message id): try the next server
                self.actions.failed(url)
                log.warning("action server %s failed (%s); trying the next", url, type(error).__name__)
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {}
        log.error("no action server answered; sent 'please try again'")
        return web.json_response(_fallback_action(body), headers={"X-Assistant-Fallback": "actions"})

    async def rasa_proxy(self, request: web.Request) -> web.StreamResponse:
        raw = await request.read()
        headers = {k: v for k, v in request.headers.items() if k.lower() in REST_ONLY_HEADERS}
        rest = request.path == REST_PATH and request.method == "POST"
        sender = None
        if rest:
            try:
                body = json.loads(raw or b"{}") or {}
                sender, text = str(body.get("sender") or ""), body.get("message")
            except (ValueError, AttributeError):
                body, text = None, None
            if isinstance(text, str) and (len(text) > MAX_CHARS or len(text.split()) > MAX_WORDS):
                return web.json_response([{"recipient_id": sender, "text": TOO_LONG.format(
                    chars=len(text), limit=MAX_CHARS, words=MAX_WORDS)}], headers={"X-Assistant-Refused": "too-long"})
        for url in self.rasa.order():
            try:
                async with self.rasa_session.request(request.method, url + request.path_qs, data=raw, headers=headers,
                                                timeout=REST_TIMEOUT, allow_redirects=False) as r:
                    payload = await r.read()
                    self.rasa.worked(url)
                    out = {k: v for k, v in r.headers.items() if k.lower() not in REST_HOP_HEADERS}
            except aiohttp.ClientConnectorError:
                self.rasa.failed(url)  # never reached the server: the next one may take it
                continue
            except (aiohttp.ClientError, asyncio.TimeoutError) as error:
                # delivered, then lost: repeating it could act twice, so ask the user instead
                self.rasa.failed(url)
                log.warning("Rasa server %s failed mid-request (%s)", url, type(error).__name__)
                return _fallback_reply(sender, "rasa-lost") if rest else web.Response(status=502)
            if rest and (r.status >= 500 or payload.strip() in (b"[]", b"")):
                return _fallback_reply(sender, "rasa-error" if r.status >= 500 else "empty")
            return web.Response(body=payload, status=r.status, headers=out)
        return _fallback_reply(sender, "rasa-down") if rest else web.Response(status=503, text="no Rasa server is up")

    async def health(self, _request: web.Request) -> web.Response:
        async def probe(url: str, path: str) -> bool:
            try:
                async with self.session.get(url + path, timeout=aiohttp.ClientTimeout(total=3)) as r:
                    return r.status == 200
            except (aiohttp.ClientError, asyncio.TimeoutError):
                return False

        rasa = dict(zip(self.rasa.urls, await asyncio.gather(*(probe(u, "/") for u in self.rasa.urls))))
        actions = dict(zip(self.actions.urls, await asyncio.gather(*(probe(u, "/health") for u in self.actions.urls))))
        ok = any(rasa.values()) and any(actions.values())
        return web.json_response({"status": "ok" if ok else "down", "rasa": rasa, "actions": actions},
                                 status=200 if ok else 503)


def make_app(rasa: list[str], actions: list[str]) -> web.Application:
    b = Balancer(rasa, actions)
    app = web.Application(client_max_size=4 * 1024 * 1024)
    app.on_startup.append(b.start)
    app.on_cleanup.append(b.close)
    app.router.add_post("/webhook", b.action)
    app.router.add_get("/balancer/health", b.health)
    app.router.add_route("*", "/{tail:.*}", b.rasa_proxy)
    return app


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--rasa", required=True, help="comma-separated Rasa server base URLs")
    p.add_argument("--actions", required=True, help="comma-separated action server base URLs")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = make_app(args.rasa.split(","), args.actions.split(","))
    web.run_app(app, host=args.host, port=args.port, access_log=None, print=None)


if __name__ == "__main__":
    main()
