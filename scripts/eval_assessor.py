"""Run the held-out assessor discussions (tests/eval/assessor.yaml) against a running stack and check
what each turn STORED in the database, not only what the bot replied.

    .venv/bin/python scripts/eval_assessor.py --start                       # a stack on free ports
    .venv/bin/python scripts/eval_assessor.py --url http://127.0.0.1:5005 --api http://127.0.0.1:8000 \
        --database-url sqlite:///var/assistant.db --admin-token "$API_ADMIN_TOKEN"
    .venv/bin/python scripts/eval_assessor.py --start --only cg-216-a --spec svq4

For each discussion an assessor and a learner are created, the learner enrolled with that assessor,
and the assessor given an API token, through the admin API (API_ADMIN_TOKEN), as README "Identity and
roles" describes; the assessor then chats over the REST channel with that token. After every turn the
database is read (bot.records): the criteria whose answer or decision changed must be exactly those the
turn expects, with the expected answer text, decision and reason (a decision must never become answer
text; an utterance that could be either must store nothing). A turn that expects `started` checks that
a discussion with those units now exists for the learner.

Prints the pass rate per specification and overall (turns, and discussions whose turns all pass), then
every failing turn with what differed and the reply; writes details to --json. A measurement: exit
status 0 whatever the rate, 2 when the stack cannot be reached or started.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from bot.records import discussion as records  # noqa: E402
from bot.records.db import session_factory  # noqa: E402
from bot.records.models import Discussion  # noqa: E402
from bot.domain.refs import criterion_key  # noqa: E402
from scripts.evallib import load  # noqa: E402

DISCUSSIONS = ROOT / "tests" / "eval" / "assessor.yaml"
SHOWN = 400
ADMIN_TOKEN = "eval-assessor-admin-token"


class Unreachable(RuntimeError):
    pass


def _http(url: str, body: dict | None, token: str | None, timeout: float, method: str = "POST"):
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
    req = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")
    except (ConnectionError, urllib.error.URLError) as e:
        if isinstance(getattr(e, "reason", None), TimeoutError):
            return 0, "(timed out)"
        raise Unreachable(f"{url}: {getattr(e, 'reason', e)}") from e
    except TimeoutError:
        return 0, "(timed out)"


class Centre:
    """The people of one discussion, made through the admin API."""

    def __init__(self, api: str, admin_token: str, ex: dict, timeout: float):
        suffix = uuid.uuid4().hex[:6]

        def post(path, body):
            status, out = _http(api + path, body, admin_token, timeout)
            if status != 201:
                raise RuntimeError(f"POST {path}: HTTP {status}: {out}")
            return out

        assessor = post("/api/people", {"display_name": f"Eval Assessor {suffix}", "role": "assessor"})
        self.learner = post("/api/people", {"display_name": ex["learner"], "role": "learner"})
        post("/api/enrolments", {"learner_id": self.learner["id"], "source_id": ex["spec"],
                                 "assessor_id": assessor["id"]})
        for other in ex.get("other_learners", []):  # namesakes with this assessor, for "which one?"
            person = post("/api/people", {"display_name": other, "role": "learner"})
            post("/api/enrolments", {"learner_id": person["id"], "source_id": ex["spec"], "assessor_id": assessor["id"]})
        self.token = post(f"/api/people/{assessor['id']}/tokens", None)["token"]
        self.sender = f"eval-assessor-{ex['id']}-{suffix}"


def _state(db_url: str, learner_id: int) -> tuple[int | None, list[str], dict]:
    """(discussion id, its units, {(unit, ref key): (answer text, decision, reason)}) of the learner's latest discussion."""
    with session_factory(db_url)() as s:
        d = s.scalar(select(Discussion).where(Discussion.learner_id == learner_id).order_by(Discussion.id.desc()))
        if d is None:
            return None, [], {}
        answers, decisions = records.current_answers(s, d), records.current_decisions(s, d)
        state = {}
        for key in set(answers) | set(decisions):
            a, x = answers.get(key), decisions.get(key)
            state[(key[0], criterion_key(key[1]))] = (a.text if a else None, x.outcome if x else None,
                                                      x.reason if x else None)
        return d.id, list(d.unit_refs), state


def _key(units: list[str], want: dict) -> tuple[str, str]:
    unit = want.get("unit") or (units[0] if units else "")
    return unit, criterion_key(str(want["ref"]))


def check(turn: dict, before: tuple, after: tuple) -> list[str]:
    problems = []
    (_, _, old), (d_id, units, new) = before, after
    if "started" in turn:
        if d_id is None or (before[0] == d_id):
            return ["no new discussion was started"]
        if turn["started"].get("units") and units != turn["started"]["units"]:
            problems.append(f"started on {units}, expected {turn['started']['units']}")
        return problems
    changed = {k for k in set(old) | set(new) if old.get(k) != new.get(k)}
    expected: dict[tuple, dict] = {}
    for want in turn.get("answers", []) + ([turn["answer"]] if "answer" in turn else []):
        expected.setdefault(_key(units, want), {})["answer"] = want
    for want in turn.get("decisions", []) + ([turn["decision"]] if "decision" in turn else []):
        expected.setdefault(_key(units, want), {})["decision"] = want
    for key in sorted(changed - set(expected)):
        problems.append(f"{key[1]} changed but should not have: {old.get(key)} -> {new.get(key)}")
    for key, wants in expected.items():
        text, outcome, reason = new.get(key, (None, None, None))
        if "answer" in wants:
            want = wants["answer"]
            if "text" in want and text != want["text"]:
                problems.append(f"{key[1]} answer is {text!r}, expected {want['text']!r}")
            if "ends_with" in want and not (text or "").endswith(want["ends_with"]):
                problems.append(f"{key[1]} answer is {text!r}, expected it to end {want['ends_with']!r}")
        elif text != old.get(key, (None,))[0]:
            problems.append(f"{key[1]} answer changed to {text!r}")
        if "decision" in wants:
            want = wants["decision"]
            if outcome != want["outcome"]:
                problems.append(f"{key[1]} decision is {outcome}, expected {want['outcome']}")
            if "reason" in want and reason != want["reason"]:
                problems.append(f"{key[1]} reason is {reason!r}, expected {want['reason']!r}")
        elif (outcome, reason) != old.get(key, (None, None, None))[1:]:
            problems.append(f"{key[1]} decision changed to {outcome} ({reason!r})")
    return problems


def run_discussion(urls: dict, db_url: str, admin_token: str, ex: dict, timeout: float) -> dict:
    centre = Centre(urls["api"], admin_token, ex, timeout)
    turns = []
    state = _state(db_url, centre.learner["id"])
    for turn in ex["turns"]:
        status, reply = _http(f"{urls['rasa']}/webhooks/rest/webhook", {"sender": centre.sender, "message": turn["say"]},
                              centre.token, timeout)
        text = "\n".join(m.get("text") or "" for m in reply) if isinstance(reply, list) else f"(HTTP {status}) {reply}"
        after = _state(db_url, centre.learner["id"])
        turns.append({"say": turn["say"], "reply": text, "problems": check(turn, state, after)})
        state = after
    return {"id": ex["id"], "spec": ex["spec"], "turns": turns, "passed": all(not t["problems"] for t in turns)}


def report(results: list[dict]) -> None:
    for r in results:
        for n, t in enumerate(r["turns"], 1):
            if t["problems"]:
                shown = t["reply"].replace("\n", " | ")
                print(f"FAIL {r['id']} turn {n}: {t['say']}\n     {'; '.join(t['problems'])}\n"
                      f"     reply: {shown[:SHOWN]}")
    by_spec = defaultdict(list)
    for r in results:
        by_spec[r["spec"]].append(r)

    def rate(rs):
        turns = [t for r in rs for t in r["turns"]]
        ok = sum(not t["problems"] for t in turns)
        whole = sum(r["passed"] for r in rs)
        return (f"turns {ok:4d}/{len(turns):<4d} {100 * ok / max(1, len(turns)):5.1f}%   "
                f"discussions {whole:3d}/{len(rs):<3d}")

    print("\nStored results as expected, by specification")
    for spec in sorted(by_spec):
        print(f"  {spec:10s} {rate(by_spec[spec])}")
    print(f"Overall      {rate(results)}")


def started_stack(admin_token: str):
    from bot.launch.service import free_port
    from bot.launch.stack import Stack

    var = Path(tempfile.mkdtemp(prefix="eval-assessor-"))
    env = {"DATABASE_URL": f"sqlite:///{var / 'assistant.db'}", "TRACKER_DB": str(var / "tracker.db"),
           "API_ADMIN_TOKEN": admin_token}
    s = Stack(ports={n: free_port() for n in ("actions", "rasa", "api")}, env=env,
              model=ROOT / "models" / "current.tar.gz", var=var)
    try:
        s.start(say=lambda m: print(m, file=sys.stderr, flush=True))
    except BaseException:
        shutil.rmtree(var, ignore_errors=True)
        raise
    return s, env["DATABASE_URL"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--start", action="store_true", help="start a stack on free ports and stop it after")
    ap.add_argument("--url", default="http://127.0.0.1:5005", help="the Rasa server (REST channel)")
    ap.add_argument("--api", default="http://127.0.0.1:8000", help="the API (admin routes)")
    ap.add_argument("--database-url", help="the stack's DATABASE_URL, to check what was stored")
    ap.add_argument("--admin-token", help="the stack's API_ADMIN_TOKEN")
    ap.add_argument("--discussions", type=Path, default=DISCUSSIONS)
    ap.add_argument("--only", nargs="+", metavar="ID")
    ap.add_argument("--spec", nargs="+")
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--json", type=Path, default=ROOT / "var" / "eval" / "assessor.json")
    args = ap.parse_args(argv)
    chosen = [ex for ex in load(args.discussions)["discussions"]
              if (not args.only or ex["id"] in args.only) and (not args.spec or ex["spec"] in args.spec)]
    if not args.start and not (args.database_url and args.admin_token):
        ap.error("without --start, give --database-url and --admin-token of the running stack")
    stack = None
    try:
        if args.start:
            try:
                stack, db_url = started_stack(ADMIN_TOKEN)
            except Exception as e:  # noqa: BLE001  (any failure to start is reported, not a traceback)
                print(f"eval_assessor: could not start the stack: {e}", file=sys.stderr)
                return 2
            urls, token = {"rasa": stack.services["rasa"].url, "api": stack.services["api"].url}, ADMIN_TOKEN
        else:
            urls, token, db_url = {"rasa": args.url.rstrip("/"), "api": args.api.rstrip("/")}, args.admin_token, args.database_url
        started = time.monotonic()
        print(f"Running {len(chosen)} discussions ({sum(len(e['turns']) for e in chosen)} turns) at {urls['rasa']}",
              file=sys.stderr)
        try:
            results = [run_discussion(urls, db_url, token, ex, args.timeout) for ex in chosen]
        except Unreachable as e:
            print(f"eval_assessor: {e}", file=sys.stderr)
            return 2
    finally:
        if stack:
            stack.stop()
            shutil.rmtree(stack.var, ignore_errors=True)
    took = time.monotonic() - started
    report(results)
    print(f"({len(results)} discussions, {sum(len(r['turns']) for r in results)} turns, {took:.0f} s)")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"seconds": round(took, 1), "results": results}, indent=1, ensure_ascii=False),
                         encoding="utf-8")
    print(f"Details: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
