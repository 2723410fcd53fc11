"""Ask the running bot the held-out learner questions (tests/eval/questions.yaml) and score its answers.

    .venv/bin/python scripts/eval_answers.py --url http://127.0.0.1:5005   # a bot that is already running
    .venv/bin/python scripts/eval_answers.py --start                       # start a stack on free ports
    .venv/bin/python scripts/eval_answers.py --start --model /tmp/m.tar.gz  # ... serving another model
    .venv/bin/python scripts/eval_answers.py --start --spec ncfe-l1 --pattern 4 --workers 2
    .venv/bin/python scripts/eval_answers.py --url ... --only sfj-structure-003 habc-remaining-002

Each exchange is a new conversation (a fresh REST sender); its turns are sent in order and each reply
(texts and button titles) is checked with scripts/evallib.py. An exchange passes when all its turns
do. Prints the pass rate per specification, per pattern of issue 13 and overall, then every failure
with what was missing and the reply; writes everything to --json (default var/eval/answers.json).
It is a measurement: the exit status is 0 whatever the pass rate, 2 if the bot cannot be reached.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.evallib import check_turn, load, patterns, reply_text  # noqa: E402

QUESTIONS = ROOT / "tests" / "eval" / "questions.yaml"
SHOWN = 600  # characters of a failing reply that are printed


class Unreachable(RuntimeError):
    pass


def stack_module():
    """The launcher module (bot/launch/stack.py, formerly bot/stack.py)."""
    try:
        from bot.launch import stack
    except ImportError:
        from bot import stack
    return stack


def say(url: str, sender: str, text: str, timeout: float) -> list[dict]:
    body = json.dumps({"sender": sender, "message": text}).encode()
    req = urllib.request.Request(f"{url}/webhooks/rest/webhook", data=body,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return json.loads(r.read() or b"[]")
    except urllib.error.HTTPError as e:
        return [{"text": f"(HTTP {e.code})"}]
    except (ConnectionError, urllib.error.URLError) as e:
        reason = getattr(e, "reason", e)
        if isinstance(reason, TimeoutError):
            return [{"text": "(no reply: timed out)"}]
        raise Unreachable(f"{url}: {reason}") from e
    except TimeoutError:
        return [{"text": "(no reply: timed out)"}]


def run_exchange(url: str, ex: dict, timeout: float) -> dict:
    sender = f"eval-{ex['id']}-{uuid.uuid4().hex[:8]}"
    turns = []
    for turn in ex["turns"]:
        started = time.monotonic()
        reply = reply_text(say(url, sender, turn["say"], timeout))
        turns.append({"say": turn["say"], "reply": reply, "problems": check_turn(reply, turn),
                      "seconds": round(time.monotonic() - started, 2)})
    return {"id": ex["id"], "spec": ex["spec"], "pattern": patterns(ex), "source": ex.get("source"),
            "passed": all(not t["problems"] for t in turns), "turns": turns}


def rate(results: list[dict]) -> str:
    passed = sum(r["passed"] for r in results)
    return f"{passed:4d}/{len(results):<4d} {100 * passed / len(results):5.1f}%" if results else "   -"


def report(results: list[dict]) -> None:
    for r in results:
        if r["passed"]:
            continue
        print(f"\nFAIL {r['id']}  [{r['spec']}, pattern {','.join(map(str, r['pattern']))}]  {r['source']}")
        for n, t in enumerate(r["turns"], 1):
            mark = "  " if not t["problems"] else "x "
            print(f"  {mark}{n}. {t['say']}")
            if t["problems"]:
                print("       " + "; ".join(t["problems"]))
                shown = t["reply"].replace("\n", " | ")
                print("       reply: " + (shown[:SHOWN] + " ..." if len(shown) > SHOWN else shown or "(nothing)"))
    by_spec, by_pattern = defaultdict(list), defaultdict(list)
    for r in results:
        by_spec[r["spec"]].append(r)
        for p in r["pattern"]:
            by_pattern[p].append(r)
    print("\nPass rate by specification")
    for spec in sorted(by_spec):
        print(f"  {spec:10s} {rate(by_spec[spec])}")
    print("Pass rate by pattern (issue 13; an exchange counts under each of its patterns)")
    for p in sorted(by_pattern):
        print(f"  {p:<10d} {rate(by_pattern[p])}")
    print(f"Overall      {rate(results)}")


def select(exchanges: list[dict], args) -> list[dict]:
    chosen = [ex for ex in exchanges
              if (not args.only or ex["id"] in args.only)
              and (not args.spec or ex["spec"] in args.spec)
              and (not args.pattern or set(patterns(ex)) & set(args.pattern))]
    if args.only and (unknown := set(args.only) - {ex["id"] for ex in chosen}):
        print(f"note: no exchange with id {', '.join(sorted(unknown))} (or filtered out)", file=sys.stderr)
    return chosen


def evaluate(url: str, exchanges: list[dict], workers: int, timeout: float) -> list[dict]:
    try:
        say(url, f"eval-probe-{uuid.uuid4().hex[:8]}", "hello", timeout)
    except Unreachable as e:
        raise Unreachable(f"The bot is not reachable: {e}") from e
    done = 0

    def one(ex):
        nonlocal done
        result = run_exchange(url, ex, timeout)
        done += 1
        if done % 25 == 0:
            print(f"  {done}/{len(exchanges)} exchanges", file=sys.stderr, flush=True)
        return result

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return list(pool.map(one, exchanges))


def started_stack(model: Path):
    """Start the three services on free ports with the given trained model and a throwaway database."""
    stack = stack_module()
    var = Path(tempfile.mkdtemp(prefix="eval-answers-"))
    env = {"DATABASE_URL": f"sqlite:///{var / 'assistant.db'}", "TRACKER_DB": str(var / "tracker.db")}
    from bot.launch.service import free_port  # moved out of the stack module by the layout change (#16)
    s = stack.Stack(ports={n: free_port() for n in ("actions", "rasa", "api")}, env=env,
                    model=model, var=var)
    try:
        s.start(say=lambda m: print(m, file=sys.stderr, flush=True))
    except BaseException:
        shutil.rmtree(var, ignore_errors=True)
        raise
    return s


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = ap.add_mutually_exclusive_group()
    where.add_argument("--url", default="http://127.0.0.1:5005", help="the Rasa server (REST channel)")
    where.add_argument("--start", action="store_true", help="start a stack on free ports and stop it after")
    ap.add_argument("--model", type=Path, default=ROOT / "models" / "current.tar.gz",
                    help="the trained model --start serves (default models/current.tar.gz)")
    ap.add_argument("--questions", type=Path, default=QUESTIONS)
    ap.add_argument("--only", nargs="+", metavar="ID")
    ap.add_argument("--spec", nargs="+")
    ap.add_argument("--pattern", nargs="+", type=int)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for one reply")
    ap.add_argument("--json", type=Path, default=ROOT / "var" / "eval" / "answers.json")
    args = ap.parse_args(argv)

    exchanges = select(load(args.questions)["exchanges"], args)
    if not exchanges:
        print("No exchanges selected.")
        return 0
    stack = None
    try:
        if args.start:
            try:
                stack = started_stack(args.model.resolve())
            except stack_module().StackError as e:
                print(f"eval_answers: could not start the bot: {e}", file=sys.stderr)
                return 2
            url = stack.services["rasa"].url
        else:
            url = args.url.rstrip("/")
        started = time.monotonic()
        print(f"Asking {len(exchanges)} exchanges at {url} with {args.workers} workers", file=sys.stderr)
        try:
            results = evaluate(url, exchanges, args.workers, args.timeout)
        except Unreachable as e:
            print(f"eval_answers: {e}", file=sys.stderr)
            return 2
    finally:
        if stack:
            stack.stop()
            shutil.rmtree(stack.var, ignore_errors=True)
    took = time.monotonic() - started
    report(results)
    print(f"({len(results)} exchanges, {sum(len(r['turns']) for r in results)} turns, {took:.0f} s)")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"url": url, "seconds": round(took, 1), "results": results}, indent=1,
                                    ensure_ascii=False), encoding="utf-8")
    print(f"Details: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
