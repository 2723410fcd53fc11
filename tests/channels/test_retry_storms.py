"""Retry storms across two Rasa servers (#14.6): Slack and Teams re-deliver each message several
times (Slack with X-Slack-Retry-Num 1..3), the deliveries of one message landing on either of two
servers at the same moment. Each server is its own connector instance, as in its own process,
sharing only the store of handled deliveries: Redis (the production profile), the tracker store's
SQLite file (the default profile) or PostgreSQL. Every message reaches the bot exactly once, with
the channel's message id as Rasa's message_id (the records' client_msg_id)."""
from __future__ import annotations

import asyncio
import json
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

pytest.importorskip("rasa", reason="the connectors run in the Rasa engine environment")

from bot.engine.channels import dedupe  # noqa: E402
from bot.engine.channels.slack import SlackInput, SlackSettings  # noqa: E402
from bot.engine.channels.teams import TeamsInput, TeamsSettings  # noqa: E402
from bot.engine.settings import engine_settings  # noqa: E402
from tests.channels.conftest import RecordingBot, settle  # noqa: E402
from tests.fakes.botframework import FakeBotFramework  # noqa: E402
from tests.fakes.slack import FakeSlack  # noqa: E402
from tests.services import reachable  # noqa: E402

MESSAGES, DELIVERIES = 12, 4  # each message: the first delivery and three retries
PG = "postgresql://postgres@127.0.0.1:5432/test"


@pytest.fixture(params=["redis", "sqlite", "postgresql"])
def store_env(request, tmp_path):
    """The environment that makes each server's connector pick the shared store."""
    if request.param == "redis":
        if not reachable(6379):
            pytest.skip("Redis not running on 127.0.0.1:6379")
        return {"REDIS_URL": "redis://127.0.0.1:6379/1", "REDIS_KEY_PREFIX": f"t{uuid.uuid4().hex[:8]}"}
    if request.param == "postgresql":
        if not reachable(5432):
            pytest.skip("PostgreSQL not running on 127.0.0.1:5432")
        return {"TRACKER_DATABASE_URL": PG}
    return {"TRACKER_DB": str(tmp_path / "tracker.db")}


@pytest.fixture(scope="module")
def slack():
    fake = FakeSlack()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def bf():
    fake = FakeBotFramework()
    yield fake
    fake.stop()


def two_servers(make, store_env, monkeypatch):
    for name, value in store_env.items():
        monkeypatch.setenv(name, value)
    servers = [make() for _ in range(2)]
    assert all(not isinstance(s.seen, dedupe.SeenKeys) for s in servers), "not a shared store"
    return servers


def storm(servers, deliveries, bot) -> list[int]:
    """Both servers at once, each on its own thread and event loop (as its own process), taking
    every other delivery; a server handles its deliveries concurrently and then finishes the
    answers it spawned. The statuses come back in delivery order."""
    start = threading.Barrier(len(servers))

    def serve(k: int) -> list[int]:
        server = servers[k]

        async def go():
            results = await asyncio.gather(*(server.handle(headers, body, bot)
                                              for body, headers in deliveries[k::len(servers)]))
            await settle(server)
            return [r.status for r in results]

        start.wait()
        return asyncio.run(go())

    with ThreadPoolExecutor(max_workers=len(servers)) as pool:
        per_server = list(pool.map(serve, range(len(servers))))
    return [per_server[i % len(servers)][i // len(servers)] for i in range(len(deliveries))]


def test_slack_retries_across_two_servers_answer_each_message_once(slack, store_env, monkeypatch):
    settings = SlackSettings(bot_token=slack.token, signing_secret=slack.signing_secret, api_url=slack.api_url)
    servers = two_servers(lambda: SlackInput(settings), store_env, monkeypatch)
    run = uuid.uuid4().hex[:6].upper()
    deliveries, expected = [], {}
    for n in range(MESSAGES):
        envelope = slack.event(f"question {n}", user=f"U{run}{n}", channel=f"D{run}{n}")
        expected[f"question {n}"] = envelope
        for retry in range(DELIVERIES):
            body, headers = slack.signed_event(envelope)
            if retry:
                headers = {**headers, "X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
            deliveries.append((body, headers))
    bot = RecordingBot()
    statuses = storm(servers, deliveries, bot)
    assert statuses == [200] * len(deliveries)  # every delivery acknowledged, so Slack stops retrying
    assert sorted(m.text for m in bot.messages) == sorted(expected)  # each message once
    for m in bot.messages:
        event = expected[m.text]["event"]
        assert m.message_id == f"slack:{event['team']}:{event['channel']}:{event['ts']}"


def test_a_retry_no_server_saw_is_answered(slack, store_env, monkeypatch):
    """The first delivery was lost: its first retry, on either server, is the one answered."""
    settings = SlackSettings(bot_token=slack.token, signing_secret=slack.signing_secret, api_url=slack.api_url)
    servers = two_servers(lambda: SlackInput(settings), store_env, monkeypatch)
    envelope = slack.event("only the retry arrived", user=f"U{uuid.uuid4().hex[:6].upper()}")
    body, headers = slack.signed_event(envelope)
    bot = RecordingBot()
    storm(servers, [(body, {**headers, "X-Slack-Retry-Num": "1"}), (body, {**headers, "X-Slack-Retry-Num": "2"})], bot)
    assert [m.text for m in bot.messages] == ["only the retry arrived"]


def test_teams_redeliveries_across_two_servers_answer_each_activity_once(bf, store_env, monkeypatch):
    servers = two_servers(lambda: TeamsInput(TeamsSettings.load(None, bf.env())), store_env, monkeypatch)
    run = uuid.uuid4().hex[:6]
    deliveries, ids = [], {}
    for n in range(MESSAGES):
        activity = bf.message(f"teams question {n}", conversation_id=f"a:{run}{n}", user_id=f"29:{run}{n}")
        ids[f"teams question {n}"] = f"teams:a:{run}{n}:{activity['id']}"
        body = json.dumps(activity).encode()
        deliveries += [(body, bf.headers(activity)) for _ in range(DELIVERIES)]
    bot = RecordingBot()
    statuses = storm(servers, deliveries, bot)
    assert statuses == [200] * len(deliveries)
    assert sorted(m.text for m in bot.messages) == sorted(ids)
    assert all(m.message_id == ids[m.text] for m in bot.messages)


def test_the_store_follows_the_profile(monkeypatch, tmp_path):
    for name in ("REDIS_URL", "TRACKER_DATABASE_URL", "TRACKER_DB"):
        monkeypatch.delenv(name, raising=False)
    assert isinstance(dedupe.delivery_keys(engine_settings()), dedupe.SeenKeys)
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "tracker.db"))
    assert isinstance(dedupe.delivery_keys(engine_settings()), dedupe.DatabaseKeys)
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/1")
    assert isinstance(dedupe.delivery_keys(engine_settings()), dedupe.RedisKeys)


def test_database_keys_expire_after_the_ttl(tmp_path):
    now = [1000.0]
    keys = dedupe.DatabaseKeys(f"sqlite:///{tmp_path / 't.db'}", ttl=60, clock=lambda: now[0])
    assert keys.first_time("ev1", "m1") and not keys.first_time("ev1") and not keys.first_time("other", "m1")
    assert keys.first_time("other")  # the duplicate above recorded nothing
    now[0] += 61
    assert keys.first_time("ev1")
