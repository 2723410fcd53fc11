"""Load benchmark: simulated learners and assessors over the REST channel, against our assistant and,
in the same run and on the same machine, against a minimal stock Rasa bot (moodbot, no custom
actions). Both run side by side; each level runs on the minimal bot, then at once on ours, so both
see the same machine. Loopback only; bounded in time (2 x levels x level-seconds, plus start-up).

    .venv/bin/python scripts/bench_load.py --profile production --levels 25,50,100,200,300 \
        --level-seconds 40 --think 15 --out var/bench/load.json

Reports, per number of concurrent users: p50/p95/p99 reply latency, messages per second and
errors, for both bots, our p95 as a ratio to the minimal bot's, the memory of every process, and
whether the database holds every professional-discussion answer the simulated assessors had
confirmed (each answer carries a unique tag; each must be found exactly once).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import loadgen  # noqa: E402
from benchlib import (ADMIN_TOKEN, ROOT, cpu, drop_databases, http_json, log, memory, minimal_bot,  # noqa: E402
                      pg_available, postgres_redis_cpu, start_minimal, start_ours, summary)

# distinct first and last names: near-identical names make "with <name>" ambiguous to the bot
FIRST = ["Lina", "Marco", "Priya", "Tomasz", "Aisha", "Gareth", "Mei", "Kwame", "Sofia", "Dmitri", "Niamh", "Omar",
         "Beatriz", "Hamish", "Yuki", "Ifeoma", "Lars", "Carmen", "Rhys", "Zofia", "Anil", "Bronwen", "Chidi",
         "Delphine", "Emeka", "Freya", "Gustavo", "Hana", "Ivan", "Jolene"]
LAST = ["Abbott", "Brennan", "Chaudhry", "Dlamini", "Eriksen", "Fairweather", "Gallagher", "Hughes", "Iqbal",
        "Jankowski", "Kowalczyk", "Lindqvist", "Mbeki", "Nakamura", "Okafor", "Pemberton", "Quigley", "Rasmussen",
        "Szabo", "Thornton", "Umarov", "Vasquez", "Whitfield", "Xavier", "Yilmaz", "Zhou", "Achterberg", "Bellamy",
        "Castellano", "Drummond"]
TAG = re.compile(r"\[bench-assessor-[^\]]+\]")


def machine() -> dict:
    mem = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)
    return {"cpus": os.cpu_count(), "memory_gb": round(mem / 1024 / 1024, 1),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}


def measure(kind: str, url: str, services: dict, users: int, seconds: float, think: float, share: float,
            assessors: list[loadgen.Assessor]) -> dict:
    """One level: `users` fresh users (a share of them assessors) for `seconds`; their statistics,
    and each process's memory and CPU time."""
    load = loadgen.Load(urls=[url], think=think, assessors=assessors)
    before = {**cpu(services), **postgres_redis_cpu()}
    t0 = time.monotonic()
    asyncio.run(loadgen.run_steady(load, users, share, lambda: time.monotonic() - t0 >= seconds,
                                   "mood" if kind == "minimal" else "ours"))
    elapsed = time.monotonic() - t0
    after = {**cpu(services), **postgres_redis_cpu()}
    ok = [c.ms for c in load.calls if c.outcome == "ok"]
    errors = Counter(c.outcome for c in load.calls if c.outcome != "ok")
    n = max(1, len(load.calls))
    w = {"users": users, "assessors": min(len(assessors), round(users * share)), **summary(ok, sum(errors.values()), elapsed),
         "error_kinds": dict(errors), "memory_mb": memory(services),
         "machine_load_average": round(os.getloadavg()[0], 2),  # other work on the machine shows here
         "cpu_ms_per_message": {k: round(1000 * (after[k] - before.get(k, 0)) / n, 1) for k in after},
         "latencies_ms": [round(x, 1) for x in ok]}
    log(f"  {kind}: {users} users, {w['messages']} messages, p50 {w['p50_ms']} p95 {w['p95_ms']} ms, "
        f"{w['errors']} errors, memory {w['memory_mb']}")
    return w


def warm_up(url: str, messages: list[str]) -> None:
    for i, text in enumerate(messages):
        http_json("POST", f"{url}/webhooks/rest/webhook", {"sender": f"warm-{i}", "message": text}, timeout=120)


def create_assessors(api: str, count: int, run_id: str) -> list[loadgen.Assessor]:
    out = []
    for i in range(count):
        sender = f"bench-assessor-{run_id}-{i}"
        status, a = http_json("POST", f"{api}/api/people", {"display_name": f"Asha Bench{i}", "role": "assessor"},
                              ADMIN_TOKEN)
        assert status == 201, a
        status, token = http_json("POST", f"{api}/api/people/{a['id']}/tokens", None, ADMIN_TOKEN)
        assert status == 201, token
        name = f"{FIRST[i % len(FIRST)]} {LAST[i % len(LAST)]}{'' if i < len(FIRST) else f' Q{i}'}"
        status, learner = http_json("POST", f"{api}/api/people", {"display_name": name, "role": "learner"}, ADMIN_TOKEN)
        assert status == 201, learner
        status, e = http_json("POST", f"{api}/api/enrolments", {"learner_id": learner["id"], "source_id": "sfj-l2",
                                                                "assessor_id": a["id"]}, ADMIN_TOKEN)
        assert status == 201, e
        out.append(loadgen.Assessor(sender, name, token=token["token"]))
    return out


def stored_answer_tags(database_url: str) -> Counter:
    """How often each answer tag appears in the current answer texts of the records database."""
    from sqlalchemy import select

    from bot.records.db import session_factory
    from bot.records.models import Answer

    with session_factory(database_url)() as session:
        texts = session.scalars(select(Answer.text).where(Answer.superseded_by.is_(None))).all()
    return Counter(tag for text in texts for tag in TAG.findall(text))


def check_answers(assessors: list[loadgen.Assessor], database_url: str) -> dict:
    confirmed = [tag for a in assessors for tag in a.answered]
    stored = stored_answer_tags(database_url)
    missing = [t for t in confirmed if stored[t] == 0]
    duplicated = [t for t in confirmed if stored[t] > 1]
    return {"confirmed_by_the_bot": len(confirmed), "in_database": sum(1 for t in confirmed if stored[t] >= 1),
            "missing": missing[:20], "missing_count": len(missing), "duplicated": duplicated[:20],
            "duplicated_count": len(duplicated), "tags_in_database": sum(stored.values())}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--profile", choices=("production", "default"), default="production")
    p.add_argument("--levels", default="25,50,100,200,300", help="numbers of concurrent users, in order")
    p.add_argument("--level-seconds", type=float, default=40)
    p.add_argument("--think", type=float, default=15.0,
                   help="mean think time between a user's messages (s): reading the reply and typing the next one")
    p.add_argument("--assessor-share", type=float, default=0.2)
    p.add_argument("--skip-minimal", action="store_true")
    p.add_argument("--out", type=Path, default=ROOT / "var" / "bench" / "load.json")
    args = p.parse_args(argv)
    levels = [int(x) for x in args.levels.split(",")]
    if args.profile == "production" and not pg_available():
        print("the production profile needs PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379)", file=sys.stderr)
        return 2
    run_id = uuid.uuid4().hex[:8]
    var = Path(tempfile.mkdtemp(prefix="bench-load-"))
    report = {"command": " ".join(["scripts/bench_load.py", *(argv if argv is not None else sys.argv[1:])]),
              "started": time.strftime("%Y-%m-%d %H:%M:%S"), "machine": machine(), "profile": args.profile,
              "levels": levels, "level_seconds": args.level_seconds, "think_seconds": args.think,
              "assessor_share": args.assessor_share}

    minimal = None
    if not args.skip_minimal:
        _project, _model, trained = minimal_bot()
        if trained:
            report["minimal_training_seconds"] = round(trained, 1)
        log("minimal bot: starting")
        minimal = start_minimal(var)
    log(f"ours ({args.profile} profile): starting")
    t0 = time.monotonic()
    stack = start_ours(args.profile, var, run_id)
    report["ours_start_seconds"] = round(time.monotonic() - t0, 1)
    report["ours"], report["minimal"] = [], []
    try:
        api, front = stack.services["api"].url, stack.services["rasa"].url
        assessors = create_assessors(api, sum(round(n * args.assessor_share) for n in levels), run_id)
        warm_up(front, loadgen.LEARNER_MESSAGES[:6])
        if minimal:
            warm_up(minimal.url, loadgen.MOOD_MESSAGES)
        # level by level, the minimal bot then ours straight after, so both see the same machine
        used = 0
        for users in levels:
            if minimal:
                report["minimal"].append(measure("minimal", minimal.url, {"rasa": minimal}, users, args.level_seconds,
                                                 args.think, 0, []))
            mine = assessors[used:used + round(users * args.assessor_share)]
            used += len(mine)
            report["ours"].append(measure("ours", front, dict(stack.services), users, args.level_seconds, args.think,
                                          args.assessor_share, mine))
        time.sleep(1)
        report["answers"] = check_answers(assessors, stack.services["api"].env["DATABASE_URL"])
        log(f"answers: {report['answers']}")
    finally:
        stack.stop()
        if minimal:
            minimal.stop()
        if args.profile == "production":
            drop_databases(run_id)
    if not report["minimal"]:
        del report["minimal"]
    if "minimal" in report:
        report["ratio_p95"] = [
            {"users": o["users"], "ours_p95_ms": o["p95_ms"], "minimal_p95_ms": m["p95_ms"],
             "ratio": round(o["p95_ms"] / m["p95_ms"], 2) if o["p95_ms"] and m["p95_ms"] else None}
            for o, m in zip(report["ours"], report["minimal"])]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1))
    log(f"written {args.out}")
    for kind in ("minimal", "ours"):
        for w in report.get(kind, []):
            log(f"{kind:8} {w['users']:4d} users: p50 {w['p50_ms']} p95 {w['p95_ms']} p99 {w['p99_ms']} ms, "
                f"{w['messages_per_second']} msg/s, {w['errors']} errors {w['error_kinds']}")
    for r in report.get("ratio_p95", []):
        log(f"p95 ratio at {r['users']} users: {r['ratio']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
