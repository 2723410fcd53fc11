"""Fuzz the HTTP API from its own OpenAPI schema with schemathesis, once per role (no token, learner,
assessor, admin), against the real app on a free loopback port with a small world of records.

Checks: no 5xx (not_a_server_error) and no schema violation (status codes, content types, headers
and bodies as documented). Erasure is excluded from the admin's run so the world survives it;
its own tests are tests/production/test_privacy*.py.

    .venv/bin/python scripts/fuzz_api.py --max-examples 60 --seed 1 --out var/bench/fuzz_api.json

Bounded: --max-time seconds per role (default 150). Exit status 0 only if every role passed.
schemathesis is a benchmark tool, not in the lock file: `.venv/bin/pip install schemathesis` first.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import ADMIN_TOKEN, ROOT, http_json, log  # noqa: E402
from bot.launch.service import Service, free_port  # noqa: E402

CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance," \
         "response_schema_conformance"
UNIT = "J/506/2910"


def seed_world(api: str) -> dict[str, str]:
    """An assessor, a learner enrolled with them, a discussion with an answer; a token for each role."""
    tokens = {"admin": ADMIN_TOKEN}
    ids = {}
    for role, name in (("assessor", "Sam Assessor"), ("learner", "Priya Learner")):
        status, person = http_json("POST", f"{api}/api/people", {"display_name": name, "role": role}, ADMIN_TOKEN)
        assert status == 201, person
        ids[role] = person["id"]
        status, token = http_json("POST", f"{api}/api/people/{person['id']}/tokens", None, ADMIN_TOKEN)
        assert status == 201, token
        tokens[role] = token["token"]
    status, body = http_json("POST", f"{api}/api/enrolments", {"learner_id": ids["learner"], "source_id": "habc-l3",
                                                               "assessor_id": ids["assessor"]}, ADMIN_TOKEN)
    assert status == 201, body
    status, d = http_json("POST", f"{api}/api/discussions", {"learner_id": ids["learner"], "unit_refs": [UNIT]},
                          tokens["assessor"])
    if status == 201:
        http_json("POST", f"{api}/api/discussions/{d['id']}/answers", {"criterion_ref": "1.1", "text": "An answer"},
                  tokens["assessor"])
    return tokens


def run_role(api: str, role: str, token: str | None, args, report_dir: Path) -> dict:
    cmd = [str(ROOT / ".venv" / "bin" / "schemathesis"), "run", f"{api}/openapi.json", "--checks", CHECKS,
           "--max-examples", str(args.max_examples), "--seed", str(args.seed), "--max-time", str(int(args.max_time)),
           "--workers", "1", "--no-color", "--generation-database", "none", "--request-timeout", "30",
           "--report", "junit", "--report-junit-path", str(report_dir / f"{role}.xml"),
           "--suppress-health-check", "all", "--warnings", "off"]
    if role == "admin":
        cmd += ["--exclude-path-regex", r".*/erasure$"]
    if token:
        cmd += ["-H", f"Authorization: Bearer {token}"]
    started = time.monotonic()
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env={**os.environ, "NO_COLOR": "1"},
                          timeout=args.max_time + 300)
    out = done.stdout + done.stderr
    summary = [line.strip() for line in out.splitlines() if re.match(r"\s*(❌|✅|⚠️)?\s*ST\d+|.*\b\d+ (passed|failed)\b", line)][-8:]
    cases = re.search(r"(\d+)\s+(?:test cases|generated)", out)
    return {"role": role, "exit_code": done.returncode, "seconds": round(time.monotonic() - started, 1),
            "test_cases": int(cases.group(1)) if cases else None, "summary": summary,
            "failures": junit_failures(report_dir / f"{role}.xml")}


def junit_failures(path: Path) -> list[dict]:
    """Per failing operation: the checks that failed and what was seen (from schemathesis' JUnit report)."""
    import html
    import xml.etree.ElementTree as ET

    if not path.exists():
        return []
    out = []
    for case in ET.parse(path).getroot().iter("testcase"):
        for failure in list(case.iter("failure")) + list(case.iter("error")):
            text = html.unescape(failure.text or "")
            checks = sorted(set(re.findall(r"- (ST\d+ [^\n]+)", text)))
            seen = re.findall(r"Received: (\d+)\s+Documented: ([\d, ]+)", text)
            out.append({"operation": case.get("name"), "checks": checks[:4],
                        "received_vs_documented": [f"{r} not in [{d}]" for r, d in seen[:2]],
                        "reproduce": (re.findall(r"curl [^\n]*", text) or [""])[0][:300]})
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--max-examples", type=int, default=60)
    p.add_argument("--max-time", type=float, default=150, help="seconds per role")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--database-url", help="default: a fresh SQLite file")
    p.add_argument("--roles", default="anonymous,learner,assessor,admin")
    p.add_argument("--out", type=Path, default=ROOT / "var" / "bench" / "fuzz_api.json")
    args = p.parse_args(argv)
    if not (ROOT / ".venv" / "bin" / "schemathesis").exists():
        raise SystemExit("schemathesis is not installed: run `.venv/bin/pip install schemathesis` first.")
    var = Path(tempfile.mkdtemp(prefix="fuzz-api-"))
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "API_ADMIN_TOKEN": ADMIN_TOKEN,
           "DATABASE_URL": args.database_url or f"sqlite:///{var / 'assistant.db'}", "RASA_URL": "http://127.0.0.1:9"}
    api = Service("api", [str(ROOT / ".venv" / "bin" / "python"), "-m", "uvicorn", "bot.api.app:app", "--host",
                          "127.0.0.1", "--port", str(port)], port, "/health", env, var / "api.log")
    api.start()
    try:
        deadline = time.monotonic() + 120
        while not api.ready():
            if not api.alive() or time.monotonic() > deadline:
                raise SystemExit(f"the API did not start:\n{api.log_tail()}")
            time.sleep(0.3)
        tokens = seed_world(api.url)
        results = []
        for role in args.roles.split(","):
            log(f"schemathesis as {role} ...")
            results.append(run_role(api.url, role, tokens.get(role), args, var))
            log(f"  {role}: exit {results[-1]['exit_code']} {results[-1]['summary'][-2:]}")
        server_errors = [line for line in api.log.read_text(errors="replace").splitlines() if " 500 " in line]
    finally:
        api.stop()
    report = {"command": " ".join(["scripts/fuzz_api.py", *(argv if argv is not None else sys.argv[1:])]),
              "checks": CHECKS.split(","), "roles": results, "server_500_lines_in_log": len(server_errors),
              "passed": all(r["exit_code"] == 0 for r in results)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1))
    log(f"written {args.out}: passed={report['passed']}")
    return 0 if report["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
