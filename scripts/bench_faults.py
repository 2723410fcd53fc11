"""Fault benchmark: while simulated learners and assessors use the assistant (production profile:
2 Rasa servers, 2 action servers, balancer, PostgreSQL, Redis), break it, one fault at a time:

  1. SIGKILL one action server, restart it;
  2. SIGKILL every action server, restart them;
  3. SIGKILL one Rasa server, restart it;
  4. restart PostgreSQL (records and trackers), with no other step.

For each fault: the requests that failed, how they failed (a clear "please try again" from the
balancer or the bot, or something unclear: empty reply, 5xx, timeout, refused connection), the
time until the killed service answered again, and the time until users were served again
(from the fault to the end of the last failed request). After the run: every answer the bot
confirmed to an assessor is in the database exactly once.

    .venv/bin/python scripts/bench_faults.py --users 40 --out var/bench/faults.json

Loopback only, bounded (about 3 minutes of load plus the Rasa restart and start-up). Restarting
PostgreSQL uses pg_ctlcluster (--pg-restart to change the command).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import loadgen  # noqa: E402
from bench_load import check_answers, create_assessors, warm_up  # noqa: E402
from benchlib import ROOT, drop_databases, log, pg_available, start_ours  # noqa: E402

CLEAR = {"fallback", "apology"}  # the user read "please try again"
PG_RESTART = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql | head -1) main restart"


def wait_until(load: loadgen.Load, t: float) -> None:
    while time.monotonic() - load.started < t:
        time.sleep(0.2)


def restart(stack, names: list[str], kill: bool) -> float:
    """Kill (SIGKILL) or stop the services, start them again, return seconds until all answer."""
    t0 = time.monotonic()
    for name in names:
        stack.services[name].kill() if kill else stack.services[name].stop()
    time.sleep(2)  # a crashed process is noticed and restarted by a supervisor, not instantly
    for name in names:
        stack.services[name].start()
    stack.wait_ready(lambda *_: None, timeout=900, names=names)
    return round(time.monotonic() - t0, 1)


def faults(stack, load: loadgen.Load, marks: list[dict], pg_restart: str, gap: float, done: threading.Event):
    try:
        wait_until(load, gap)
        steps = [("one action server (SIGKILL)", lambda: restart(stack, ["actions-1"], True)),
                 ("every action server (SIGKILL)", lambda: restart(stack, ["actions-1", "actions-2"], True)),
                 ("one Rasa server (SIGKILL)", lambda: restart(stack, ["rasa-1"], True)),
                 ("PostgreSQL restart", lambda: _pg(pg_restart))]
        for name, action in steps:
            at = time.monotonic() - load.started
            log(f"fault: {name}")
            back = action()
            marks.append({"fault": name, "at": round(at, 1), "service_back_after_s": back})
            log(f"  service answering again after {back}s")
            wait_until(load, time.monotonic() - load.started + gap)
    finally:
        done.set()


def _pg(command: str) -> float:
    t0 = time.monotonic()
    subprocess.run(command, shell=True, check=True, capture_output=True)
    return round(time.monotonic() - t0, 1)


def analyse(calls: list[list], marks: list[dict], end: float) -> list[dict]:
    """A request belongs to the fault in force when it ended (one in flight when a fault struck
    is that fault's). calls: [sent, ms, outcome]."""
    out = []
    for i, m in enumerate(marks):
        until = marks[i + 1]["at"] if i + 1 < len(marks) else end
        mine = [(sent + ms / 1000, outcome) for sent, ms, outcome in calls if m["at"] <= sent + ms / 1000 < until]
        failed = [(ended, outcome) for ended, outcome in mine if outcome != "ok"]
        kinds = Counter(outcome for _ended, outcome in failed)
        last = max((ended for ended, _outcome in failed), default=None)
        calls_in = mine
        out.append({**m, "requests": len(calls_in), "failed": len(failed), "failed_by_kind": dict(kinds),
                    "clear_try_again": sum(kinds[k] for k in CLEAR),
                    "unclear": sum(v for k, v in kinds.items() if k not in CLEAR),
                    "users_served_again_after_s": round(last - m["at"], 1) if last else 0.0})
    return out


def timeline(load: loadgen.Load, end: float) -> list[list[int]]:
    """Per second of the run: [second, answered, failed]."""
    rows = [[s, 0, 0] for s in range(int(end) + 1)]
    for c in load.calls:
        rows[min(int(c.sent), len(rows) - 1)][1 if c.outcome == "ok" else 2] += 1
    return rows


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--users", type=int, default=40)
    p.add_argument("--think", type=float, default=4.0)
    p.add_argument("--assessor-share", type=float, default=0.3)
    p.add_argument("--gap", type=float, default=30, help="seconds of load before and after each fault")
    p.add_argument("--pg-restart", default=PG_RESTART)
    p.add_argument("--out", type=Path, default=ROOT / "var" / "bench" / "faults.json")
    args = p.parse_args(argv)
    if not pg_available():
        print("needs PostgreSQL and Redis on 127.0.0.1", file=sys.stderr)
        return 2
    run_id = uuid.uuid4().hex[:8]
    stack = start_ours("production", Path(tempfile.mkdtemp(prefix="bench-faults-")), run_id)
    marks: list[dict] = []
    try:
        assessors = create_assessors(stack.services["api"].url, round(args.users * args.assessor_share), run_id)
        warm_up(stack.services["rasa"].url, loadgen.LEARNER_MESSAGES[:4])
        load = loadgen.Load(urls=[stack.services["rasa"].url], think=args.think, assessors=assessors)
        done = threading.Event()
        load.started = time.monotonic()
        thread = threading.Thread(target=faults, args=(stack, load, marks, args.pg_restart, args.gap, done), daemon=True)

        async def go():
            runner = asyncio.create_task(loadgen.run_steady(load, args.users, args.assessor_share, done.is_set))
            await asyncio.sleep(0.1)
            thread.start()
            await runner

        asyncio.run(go())
        end = time.monotonic() - load.started
        answers = check_answers(assessors, stack.services["api"].env["DATABASE_URL"])
    finally:
        stack.stop()
        drop_databases(run_id)
    before = [c for c in load.calls if c.sent + c.ms / 1000 < (marks[0]["at"] if marks else end)]
    calls = [[round(c.sent, 3), round(c.ms, 1), c.outcome] for c in load.calls]
    report = {"command": " ".join(["scripts/bench_faults.py", *(argv if argv is not None else sys.argv[1:])]),
              "users": args.users, "think_seconds": args.think, "total_requests": len(load.calls),
              "failed_before_any_fault": sum(c.outcome != "ok" for c in before),
              "faults": analyse(calls, marks, end), "answers": answers, "timeline": timeline(load, end),
              "unconfirmed_answers": sum(a.unconfirmed for a in assessors), "calls": calls}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1))
    for f in report["faults"]:
        log(f"{f['fault']}: {f['failed']} of {f['requests']} failed ({f['failed_by_kind']}), service back "
            f"{f['service_back_after_s']}s, users served again after {f['users_served_again_after_s']}s")
    log(f"answers: {answers}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
