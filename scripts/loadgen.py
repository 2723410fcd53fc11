"""Simulated users over the Rasa REST channel (asyncio + httpx), shared by bench_load and bench_faults.

Learners ask the questions learners ask (units left, what a criterion means, evidence, claims,
small talk, typos included). Assessors run a professional discussion with their own learner: an
answer with a unique tag, then a decision, criterion after criterion, starting a new discussion on
another unit when one runs out. Every user waits a "think time" between messages (exponential,
mean --think seconds, 1 to 30 s): people read the reply and type.

Every request is logged with its send time, latency and outcome; an outcome other than "ok" is an
error: an HTTP error, a timeout or refused connection, an empty reply, the balancer's substitute
reply, or the bot's own apology.
"""
from __future__ import annotations

import asyncio
import random
import re
import time
import uuid
from dataclasses import dataclass, field

import httpx

LEARNER_MESSAGES = [
    "hi", "hello there", "what units do I still need?", "wat units do i need to finish",
    "I'm doing the level 2 diploma with SFJ", "what does 1.1 of unit J/506/2132 mean?",
    "can I use a professional discussion for Principles of customer service?",
    "what evidence can I use for unit J/506/2132", "how many credits do I need?",
    "I've finished Principles of customer service", "what is unit M/502/8606 about",
    "which units are mandatory?", "help", "thanks!", "what does assessment criterion 2.3 mean",
    "can i use witness testimony", "how long does the qualification take", "bye",
]
MOOD_MESSAGES = ["hi", "hello", "I am sad", "I feel great", "yes", "no", "are you a bot?", "bye", "good morning",
                 "not good", "perfect", "very sad"]
DISCUSSION_UNITS = ["J/506/2132", "M/502/8606", "L/503/0394"]
APOLOGIES = ("something went wrong", "please try again")
CONFIRMED = re.compile(r"\b(saved|added to the answer|replaced the answer) for\b")
ANSWERS = ["Good service means the customer leaves feeling listened to and helped",
           "I check what they need, repeat it back, and agree what happens next",
           "Our complaints procedure has three stages and I explain each to the customer",
           "I keep records in the CRM so colleagues can pick the case up",
           "I would escalate to my team leader if the refund is above my limit"]


@dataclass
class Call:
    user: str
    kind: str  # learner | assessor | mood
    sent: float  # monotonic seconds since the run started
    ms: float
    outcome: str  # ok | http_<code> | timeout | connect | empty | fallback | apology | error
    tag: str | None = None  # an assessor's answer tag, when this message was an answer


@dataclass
class Assessor:
    sender: str
    learner: str
    unit: int = 0
    answered: list[str] = field(default_factory=list)  # tags of answers the bot confirmed
    unconfirmed: int = 0  # answers the bot said it did not save
    token: str | None = None  # the assessor's API token: staff are known by a token, not a REST sender id


@dataclass
class Load:
    urls: list[str]  # Rasa REST base URLs: users are spread over them
    think: float = 6.0
    timeout: float = 60.0
    calls: list[Call] = field(default_factory=list)
    assessors: list[Assessor] = field(default_factory=list)
    stop: asyncio.Event | None = None
    started: float = 0.0

    async def send(self, client: httpx.AsyncClient, url: str, user: str, kind: str, text: str, tag=None,
                   token: str | None = None) -> tuple[str, list[str]]:
        t0 = time.monotonic()
        texts: list[str] = []
        try:
            r = await client.post(f"{url}/webhooks/rest/webhook", json={"sender": user, "message": text},
                                  headers={"Authorization": f"Bearer {token}"} if token else None, timeout=self.timeout)
            if r.status_code != 200:
                outcome = f"http_{r.status_code}"
            elif r.headers.get("x-assistant-fallback"):
                outcome = "fallback"
            else:
                texts = [m.get("text") or "" for m in r.json()]
                if not texts:
                    # the stock moodbot sometimes just listens (its stories end there): not a failure
                    outcome = "ok" if kind == "mood" else "empty"
                elif any(a in " ".join(texts).lower() for a in APOLOGIES):
                    outcome = "apology"
                else:
                    outcome = "ok"
        except httpx.TimeoutException:
            outcome = "timeout"
        except httpx.ConnectError:
            outcome = "connect"
        except (httpx.HTTPError, ValueError):
            outcome = "error"
        self.calls.append(Call(user, kind, t0 - self.started, (time.monotonic() - t0) * 1000, outcome, tag))
        return outcome, texts

    async def pause(self, rng: random.Random) -> bool:
        """Think; False once the run is over."""
        delay = min(30.0, max(1.0, rng.expovariate(1 / self.think)))
        try:
            await asyncio.wait_for(self.stop.wait(), delay)
            return False
        except asyncio.TimeoutError:
            return True

    async def learner(self, client, n: int, rng: random.Random, messages=LEARNER_MESSAGES, kind="learner"):
        user, url = f"{kind}-{n}-{uuid.uuid4().hex[:6]}", self.urls[n % len(self.urls)]
        while await self.pause(rng):
            await self.send(client, url, user, kind, rng.choice(messages))

    async def assessor(self, client, a: Assessor, n: int, rng: random.Random):
        url = self.urls[n % len(self.urls)]
        started = False
        step = 0
        retry = None
        while await self.pause(rng):
            if not started:
                unit = DISCUSSION_UNITS[a.unit % len(DISCUSSION_UNITS)]
                outcome, texts = await self.send(client, url, a.sender, "assessor",
                                                 f"Start a professional discussion with {a.learner} on {unit}", token=a.token)
                refused = ("can't find", "needs the assessor role", "who is the learner", "more than one")
                started = outcome == "ok" and not any(w in " ".join(texts).lower() for w in refused)
                continue
            if step % 2 == 0:
                # told to try again, the assessor sends the same answer again
                tag = f"[{a.sender}#{len(a.answered) + 1}]"
                if not retry or not retry.startswith(tag):
                    retry = f"{tag} {rng.choice(ANSWERS)}"
                outcome, texts = await self.send(client, url, a.sender, "assessor", retry, tag=tag, token=a.token)
                said = " ".join(texts).lower()
                if outcome == "ok" and CONFIRMED.search(said):
                    a.answered.append(tag)  # the bot confirmed it: it must be in the database
                elif outcome == "ok":
                    a.unconfirmed += 1  # e.g. "every criterion already has a decision, so I haven't saved that"
                    a.unit += 1
                    started = False
                    continue
            else:
                outcome, texts = await self.send(client, url, a.sender, "assessor", "met", token=a.token)
                joined = " ".join(texts).lower()
                if outcome == "ok" and ("every criterion" in joined or "all criteria" in joined or "finish" in joined):
                    await self.send(client, url, a.sender, "assessor", "finish", token=a.token)
                    a.unit += 1
                    started = False
            if outcome == "ok":
                step += 1


async def run_steady(load: Load, users: int, assessor_share: float, until, kind: str = "ours") -> None:
    """`users` users (a share of them assessors) until until() is true (polled twice a second).
    kind "mood": moodbot users, for the minimal bot."""
    load.stop = asyncio.Event()
    load.started = time.monotonic()
    rng = random.Random(2)
    n_assessors = min(len(load.assessors), round(users * assessor_share))
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=users * 2)) as client:
        tasks = [asyncio.create_task(load.assessor(client, load.assessors[i], i, random.Random(rng.random())))
                 for i in range(n_assessors)]
        extra = (MOOD_MESSAGES, "mood") if kind == "mood" else ()
        tasks += [asyncio.create_task(load.learner(client, i, random.Random(rng.random()), *extra))
                  for i in range(users - n_assessors)]
        while not until():
            await asyncio.sleep(0.5)
        load.stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)


async def run_levels(load: Load, levels: list[int], seconds: float, assessor_share: float, kind: str,
                     on_level=None, seed: int = 1) -> list[dict]:
    """Ramp the users up level by level (users stay on), `seconds` per level. Returns the windows."""
    load.stop = asyncio.Event()
    load.started = time.monotonic()
    rng = random.Random(seed)
    windows, tasks, n_learners, n_assessors = [], [], 0, 0
    limits = httpx.Limits(max_connections=max(levels) * 2, max_keepalive_connections=max(levels) * 2)
    async with httpx.AsyncClient(limits=limits) as client:
        for level in levels:
            while n_learners + n_assessors < level:
                want_assessors = kind == "ours" and n_assessors < len(load.assessors) and \
                    n_assessors < round(level * assessor_share)
                r = random.Random(rng.random())
                if want_assessors:
                    tasks.append(asyncio.create_task(load.assessor(client, load.assessors[n_assessors], n_assessors, r)))
                    n_assessors += 1
                elif kind == "ours":
                    tasks.append(asyncio.create_task(load.learner(client, n_learners, r)))
                    n_learners += 1
                else:
                    tasks.append(asyncio.create_task(load.learner(client, n_learners, r, MOOD_MESSAGES, "mood")))
                    n_learners += 1
            start = time.monotonic() - load.started
            await asyncio.sleep(seconds)
            end = time.monotonic() - load.started
            windows.append({"users": level, "learners": n_learners, "assessors": n_assessors, "from": start, "to": end})
            if on_level:
                on_level(windows[-1])
        load.stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
    return windows
