"""End-to-end reply latency over the REST channel (learner conversations issue).

    .venv/bin/python scripts/bench_latency.py [--messages 240]

Starts the real stack (trained model, action server, API) on free ports with a scratch database,
then sends a mix of learner questions one at a time, as a chat user would: the held-out NLU test
messages (tests/nlu/heldout.yml, never trained on) interleaved with follow-ups that make the bot
compute (choose a qualification, report units, "what do I still need?"). Reports p50, p95, p99 and
max of the time from sending a message to receiving all of the bot's replies. Loopback only.
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bot.launch.service import free_port  # noqa: E402
from bot.launch.stack import Stack  # noqa: E402

FOLLOW_UPS = [
    "I'm doing the level 3 diploma with Highfield",
    "I've finished 206, 207 and Exceed customer expectations",
    "what do I still need?",
    "what does 2.3 of unit 206 mean?",
    "can I use a professional discussion for unit 206 outcome 1?",
    "I'm on the SVQ",
    "what units do I still need",
    "tell me about buddie a colleage",
]


def heldout_messages() -> list[str]:
    text = (ROOT / "tests" / "nlu" / "heldout.yml").read_text("utf-8")
    out = []
    for line in text.splitlines():
        m = re.match(r"\s+- (.+)$", line)
        if m:
            out.append(re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", m.group(1)).strip())  # drop entity markup
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--messages", type=int, default=240)
    args = ap.parse_args()
    messages = heldout_messages()
    mix: list[str] = []
    for i, m in enumerate(messages):
        mix.append(m)
        if i % 3 == 0:
            mix.append(FOLLOW_UPS[(i // 3) % len(FOLLOW_UPS)])
    mix = (mix * (args.messages // max(len(mix), 1) + 1))[: args.messages]

    var = Path(tempfile.mkdtemp(prefix="csa-latency-"))
    stack = Stack(ports={n: free_port() for n in ("actions", "rasa", "api")}, var=var)
    stack.start(say=lambda m: print(m, flush=True))
    timings: list[float] = []
    errors = 0
    try:
        for i, text in enumerate(mix):
            sender = f"latency-{i // 12}"  # a dozen messages per simulated learner
            t = time.perf_counter()
            try:
                replies = stack.say(sender, text)
                if not replies:
                    errors += 1
            except OSError:
                errors += 1
            timings.append((time.perf_counter() - t) * 1000)
    finally:
        stack.stop()
    timings.sort()

    def pct(p: float) -> float:
        return timings[min(len(timings) - 1, int(round(p / 100 * (len(timings) - 1))))]

    result = {"messages": len(timings), "no_reply_or_error": errors, "p50_ms": round(pct(50), 1),
              "p95_ms": round(pct(95), 1), "p99_ms": round(pct(99), 1), "max_ms": round(timings[-1], 1),
              "mean_ms": round(statistics.mean(timings), 1)}
    print(json.dumps(result, indent=2))
    out = ROOT / "results"
    out.mkdir(exist_ok=True)
    (out / "latency.json").write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
