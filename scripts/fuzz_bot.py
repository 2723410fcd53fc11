"""Fuzz the bot over the REST channel with generated messages (default 10,000): empty, 100 kB,
binary and control characters, characters from every Unicode plane, JSON and SQL fragments, Rasa
intent syntax ("/greet{...}"), markup, and very long unit references, from learners and from
assessors in the middle of a professional discussion.

Every message must get a reply (a non-empty list with text) and no response may be a 5xx.

    .venv/bin/python scripts/fuzz_bot.py --messages 10000 --seed 1 --out var/bench/fuzz_bot.json

Loopback only; our services start on free ports with databases of this run's own (production
profile by default: PostgreSQL is the stricter store, e.g. it refuses NUL characters).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_load import create_assessors  # noqa: E402
from benchlib import ROOT, drop_databases, log, pg_available, start_ours  # noqa: E402

JSON_BITS = ['{"sender": "admin", "message": "hi"}', '[1, 2', '{"$ne": null}', '{"__proto__": {"admin": true}}',
             'null', '"\\u0000"', '{"a":' * 50, '[[[[[[[[[[]]]]]]]]]]', '{"intent": {"name": "start_discussion"}}']
SQL_BITS = ["'; DROP TABLE events; --", "1 OR 1=1", "\" OR \"\"=\"", "admin'--", "' UNION SELECT * FROM people --",
            "%' AND 1=0 UNION ALL SELECT token_hash FROM api_tokens --", "1; SELECT pg_sleep(10)", "\\x00\\x1a"]
MARKUP = ["<script>alert(1)</script>", "**bold** _it_ `code` [link](javascript:alert(1))", "<img src=x onerror=alert(1)>",
          "{{7*7}}", "${jndi:ldap://127.0.0.1/a}", "%s%s%s%n", "../../etc/passwd", "@channel <!here>", "```\nrm -rf /\n```"]
INTENTS = ["/greet", "/restart", "/session_start", "/start_discussion", "/nlu_fallback", "/intent_that_does_not_exist",
           '/start_discussion{"learner_name": "Sam"}', '/greet{"unit": "' + "9" * 500 + '"}', "/", "//", "/greet{",
           '/affirm{"discussion_id": "1"}', "/action_restart", "/EXTERNAL_trigger"]
REAL = ["what units do I still need?", "what does 2.3 of unit 206 mean?", "can I use a professional discussion for 206?",
        "I've finished unit J/506/2132", "met", "not yet met because", "skip", "go to 2.3", "back", "pause", "finish",
        "sign", "yes", "no", "show coverage", "help"]


def plane_chars(rng: random.Random, n: int) -> str:
    """n characters spread over all 17 Unicode planes (assigned or not), surrogates excluded."""
    out = []
    for _ in range(n):
        plane = rng.randrange(17)
        cp = plane * 0x10000 + rng.randrange(0x10000)
        if 0xD800 <= cp <= 0xDFFF:
            cp = 0xFFFD
        out.append(chr(cp))
    return "".join(out)


def generate(rng: random.Random) -> tuple[str, str]:
    """One message: (category, text)."""
    kind = rng.choices(["empty", "huge", "control", "planes", "json", "sql", "markup", "intent", "long_ref",
                        "mixed", "real"], weights=[4, 1, 10, 12, 8, 8, 6, 8, 8, 15, 20])[0]
    if kind == "empty":
        return kind, rng.choice(["", " ", "\n", "\t\t", "\u200b", "\u3000", " " * 1000])
    if kind == "huge":
        return kind, rng.choice([
            lambda: "a" * 100_000,
            lambda: " ".join(rng.choice(REAL) for _ in range(4000))[:100_000],
            lambda: plane_chars(rng, 25_000),  # about 100 kB of UTF-8
            lambda: "unit 206 " * 11_000,
        ])()
    if kind == "control":
        return kind, "".join(chr(rng.choice([*range(0, 32), 127, *range(128, 160)])) for _ in range(rng.randint(1, 200))) \
            + rng.choice(["", " what units do I need", "\x00met"])
    if kind == "planes":
        return kind, plane_chars(rng, rng.randint(1, 300))
    if kind == "json":
        return kind, rng.choice(JSON_BITS)
    if kind == "sql":
        return kind, rng.choice(["", "unit ", "with "]) + rng.choice(SQL_BITS)
    if kind == "markup":
        return kind, rng.choice(MARKUP)
    if kind == "intent":
        return kind, rng.choice(INTENTS)
    if kind == "long_ref":
        return kind, rng.choice([
            lambda: "what is unit " + "K/506/2155" * rng.randint(10, 3000),
            lambda: "what does " + ".".join(str(rng.randrange(100)) for _ in range(rng.randint(50, 5000))) + " mean",
            lambda: "unit " + "9" * rng.randint(20, 50_000),
            lambda: "go to " + "1." * rng.randint(100, 20_000),
            lambda: "Start a professional discussion with " + "Sam " * rng.randint(50, 5000) + "on 206",
        ])()
    if kind == "mixed":
        base = rng.choice(REAL)
        i = rng.randrange(len(base) + 1)
        junk = rng.choice([plane_chars(rng, 3), rng.choice(SQL_BITS), rng.choice(MARKUP), "\x00", "\u202e", "🙂" * 5])
        return kind, base[:i] + junk + base[i:]
    return kind, rng.choice(REAL)


async def fire(client: httpx.AsyncClient, url: str, sender: str, text: str, timeout: float) -> tuple[str, float, str]:
    t0 = time.monotonic()
    try:
        r = await client.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=timeout)
    except httpx.HTTPError as e:
        return "transport", time.monotonic() - t0, type(e).__name__
    ms = time.monotonic() - t0
    if r.status_code >= 500:
        return "5xx", ms, str(r.status_code)
    if r.status_code != 200:
        return "http", ms, str(r.status_code)
    try:
        body = r.json()
    except ValueError:
        return "not_json", ms, r.text[:100]
    if r.headers.get("x-assistant-fallback"):
        return "fallback", ms, r.headers["x-assistant-fallback"]
    if r.headers.get("x-assistant-refused"):
        return "refused", ms, r.headers["x-assistant-refused"]  # answered "too long, send it in parts": a reply
    if not isinstance(body, list) or not any((m.get("text") or m.get("buttons") or m.get("image")) for m in body):
        return "no_reply", ms, json.dumps(body)[:100]
    return "ok", ms, ""


async def run(url: str, senders: list[str], total: int, seed: int, workers: int, timeout: float,
              deadline: float) -> dict:
    rng = random.Random(seed)
    plan = [(i, *generate(rng)) for i in range(total)]
    queue: asyncio.Queue = asyncio.Queue()
    for item in plan:
        queue.put_nowait(item)
    outcomes, by_kind, failures, latencies = Counter(), {}, [], []

    async def worker(w: int, client):
        sender = senders[w % len(senders)]
        while not queue.empty() and time.monotonic() < deadline:
            i, kind, text = queue.get_nowait()
            outcome, ms, note = await fire(client, url, sender, text, timeout)
            outcomes[outcome] += 1
            by_kind.setdefault(kind, Counter())[outcome] += 1
            latencies.append(ms)
            if outcome not in ("ok", "refused"):
                failures.append({"index": i, "kind": kind, "outcome": outcome, "note": note, "sender": sender,
                                 "length": len(text), "text": repr(text[:120])})

    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=workers * 2)) as client:
        await asyncio.gather(*(worker(w, client) for w in range(workers)))
    sent = sum(outcomes.values())
    return {"planned": total, "sent": sent, "outcomes": dict(outcomes), "by_kind": {k: dict(v) for k, v in by_kind.items()},
            "failures": failures[:200], "failure_count": len(failures),
            "max_latency_s": round(max(latencies), 1) if latencies else None,
            "finished_in_time": sent == total}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--messages", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--workers", type=int, default=12)
    p.add_argument("--timeout", type=float, default=120)
    p.add_argument("--max-minutes", type=float, default=40, help="stop sending after this long")
    p.add_argument("--profile", choices=("production", "default"), default="production")
    p.add_argument("--url", help="fuzz an already running Rasa server instead of starting ours")
    p.add_argument("--out", type=Path, default=ROOT / "var" / "bench" / "fuzz_bot.json")
    args = p.parse_args(argv)
    run_id = uuid.uuid4().hex[:8]
    stack = None
    if args.url:
        url, senders = args.url, [f"fuzz-{run_id}-{i}" for i in range(args.workers)]
    else:
        if args.profile == "production" and not pg_available():
            print("the production profile needs PostgreSQL and Redis on 127.0.0.1", file=sys.stderr)
            return 2
        stack = start_ours(args.profile, Path(tempfile.mkdtemp(prefix="fuzz-bot-")), run_id)
        url = stack.services["rasa"].url
        assessors = create_assessors(stack.services["api"].url, args.workers // 3, run_id)
        senders = []
        for a in assessors:  # a third of the workers fuzz from inside a professional discussion
            httpx.post(f"{url}/webhooks/rest/webhook", json={"sender": a.sender, "message":
                       f"Start a professional discussion with {a.learner} on J/506/2132"}, timeout=120)
            senders.append(a.sender)
        senders += [f"fuzz-learner-{run_id}-{i}" for i in range(args.workers - len(senders))]
    started = time.monotonic()
    try:
        report = asyncio.run(run(url, senders, args.messages, args.seed, args.workers, args.timeout,
                                 started + args.max_minutes * 60))
    finally:
        if stack:
            stack.stop()
            if args.profile == "production":
                drop_databases(run_id)
    report.update(command=" ".join(["scripts/fuzz_bot.py", *(argv if argv is not None else sys.argv[1:])]),
                  seed=args.seed, profile=None if args.url else args.profile,
                  seconds=round(time.monotonic() - started, 1))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1))
    log(json.dumps({k: report[k] for k in ("sent", "outcomes", "failure_count", "max_latency_s", "seconds")}))
    for f in report["failures"][:15]:
        log("FAIL", json.dumps(f))
    return 0 if report["failure_count"] == 0 and report["finished_in_time"] else 1


if __name__ == "__main__":
    sys.exit(main())
