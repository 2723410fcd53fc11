"""Measure `make run` as a new user meets it: from a fresh clone to the first answer.

    .venv/bin/python scripts/bench_startup.py            # warm pip cache, empty project cache
    .venv/bin/python scripts/bench_startup.py --cold     # empty pip cache too (downloads everything)
    .venv/bin/python scripts/bench_startup.py --reuse    # the project cache as it is (second run)

It clones this repository into a temporary directory, gives it its own (empty) environment and
model cache, runs `make run` on free ports, and reports: time to the first answer, model training
time, Rasa server start-up, resident memory of each of the three processes, and whether Ctrl-C
stopped everything (ports free again, no process left). Loopback only; bounded in time.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bot.launch.service import free_port, port_is_free  # noqa: E402


def rss_mb(port: int) -> float | None:
    """Resident memory (MB) of the process group serving `port` (found by its command line)."""
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if str(port).encode() in cmd and b"make" not in cmd[0]:
            group = os.getpgid(int(pid))
            total = 0
            for other in os.listdir("/proc"):
                if other.isdigit():
                    try:
                        if os.getpgid(int(other)) == group:
                            status = Path(f"/proc/{other}/status").read_text()
                            total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
                    except (OSError, AttributeError):
                        pass
            return round(total / 1024, 1)
    return None


def ask(rasa_port: int) -> list:
    body = json.dumps({"sender": "bench-startup", "message": "hello"}).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook", data=body,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cold", action="store_true", help="use an empty pip cache as well")
    ap.add_argument("--reuse", action="store_true", help="keep the project cache (CSA_CACHE_DIR) as it is")
    ap.add_argument("--timeout", type=float, default=2400)
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="csa-startup-"))
    clone = work / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    ports = {"RASA_PORT": free_port(), "ACTION_PORT": free_port(), "API_PORT": free_port()}
    env = {**os.environ, **{k: str(v) for k, v in ports.items()}}
    env.pop("VIRTUAL_ENV", None)
    if not args.reuse:
        env["CSA_CACHE_DIR"] = str(work / "cache")
    if args.cold:
        env["PIP_CACHE_DIR"] = str(work / "pip-cache")
    lines: list[tuple[float, str]] = []
    start = time.monotonic()
    proc = subprocess.Popen(["make", "run"], cwd=clone, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    first_answer = None

    def read_output() -> None:  # a thread, so the main loop can poll the bot meanwhile
        for line in proc.stdout:
            lines.append((time.monotonic() - start, line.rstrip()))
            print(f"[{time.monotonic() - start:7.1f}s] {line.rstrip()}", flush=True)

    threading.Thread(target=read_output, daemon=True).start()
    try:
        while time.monotonic() - start < args.timeout:
            if proc.poll() is not None:
                print("make run exited early", file=sys.stderr)
                return 1
            if any("The assistant is running" in l for _, l in lines):
                try:
                    if ask(ports["RASA_PORT"]):
                        first_answer = time.monotonic() - start
                        break
                except OSError:
                    pass
            time.sleep(0.5)
        memory = {name: rss_mb(ports[var]) for name, var in
                  (("action server", "ACTION_PORT"), ("rasa server", "RASA_PORT"), ("api", "API_PORT"))}
    finally:
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in the terminal sends
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    time.sleep(1)
    stopped = all(port_is_free(p) for p in ports.values())
    text = "\n".join(l for _, l in lines)
    trained = re.search(r"model: trained in (\d+)s", text)
    rasa_ready = re.search(r"rasa ready after (\d+)s", text)
    result = {
        "mode": "cold pip cache" if args.cold else ("reused project cache" if args.reuse else "warm pip cache"),
        "first_answer_s": round(first_answer, 1) if first_answer else None,
        "model_training_s": int(trained.group(1)) if trained else "cached",
        "rasa_startup_s": int(rasa_ready.group(1)) if rasa_ready else None,
        "rss_mb": memory,
        "ctrl_c_stopped_everything": stopped,
    }
    print(json.dumps(result, indent=2))
    return 0 if first_answer and stopped else 1


if __name__ == "__main__":
    sys.exit(main())
