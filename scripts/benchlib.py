"""Shared by the benchmark and fuzzing scripts: the minimal comparison bot, starting our services on
free loopback ports, process memory, latency statistics and HTTP calls. Standard library only."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.launch.service import Service, StackError, free_port  # noqa: E402
from bot.launch.stack import Stack  # noqa: E402

CACHE = Path(os.environ.get("CSA_CACHE_DIR") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cs-assistant")
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
TEMPLATE = ROOT / ".venv-rasa" / "lib" / "python3.11" / "site-packages" / "rasa" / "cli" / "initial_project"
ADMIN_TOKEN = "bench-admin-token"
PG = "postgres@127.0.0.1:5432"


def log(*parts) -> None:
    print(time.strftime("%H:%M:%S"), *parts, flush=True)


# ---------------------------------------------------------------- the minimal Rasa bot


def _template_hash() -> str:
    h = hashlib.sha256()
    for path in sorted(TEMPLATE.rglob("*.yml")):
        h.update(str(path.relative_to(TEMPLATE)).encode() + path.read_bytes())
    h.update((ROOT / "engine-requirements.lock").read_bytes())
    return h.hexdigest()[:16]


def minimal_bot() -> tuple[Path, Path, float | None]:
    """The stock `rasa init` project (moodbot: no custom actions), trained once and cached by the
    hash of its files and the engine lock. Returns (project dir, model, training seconds or None
    if cached)."""
    key = _template_hash()
    project = CACHE / "minimal-bot" / key
    model = CACHE / "models" / f"minimal-{key}.tar.gz"
    if not project.exists():
        tmp = Path(tempfile.mkdtemp(dir=CACHE))
        shutil.copytree(TEMPLATE, tmp / "p", ignore=shutil.ignore_patterns("__pycache__", "tests"))
        project.parent.mkdir(parents=True, exist_ok=True)
        (tmp / "p").rename(project)
        shutil.rmtree(tmp)
    if model.exists():
        return project, model, None
    log(f"minimal bot: training the stock moodbot once ({project})")
    started = time.monotonic()
    out = Path(tempfile.mkdtemp())
    done = subprocess.run([str(RASA), "train", "--out", str(out), "--fixed-model-name", "minimal"], cwd=project,
                          env={**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"},
                          capture_output=True, text=True)
    if done.returncode != 0 or not (out / "minimal.tar.gz").exists():
        raise RuntimeError(f"training the minimal bot failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    model.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(out / "minimal.tar.gz"), str(model))
    seconds = time.monotonic() - started
    (model.parent / f"minimal-{key}.seconds").write_text(f"{seconds:.1f}\n")
    return project, model, seconds


def start_minimal(var: Path, port: int | None = None) -> Service:
    project, model, _ = minimal_bot()
    port = port or free_port()
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
    svc = Service("minimal", [str(RASA), "run", "--model", str(model), "--port", str(port), "--interface", "127.0.0.1"],
                  port, "/", env, var / "logs" / "minimal.log")
    svc.log.parent.mkdir(parents=True, exist_ok=True)
    with open(svc.log, "ab") as out:
        svc.proc = subprocess.Popen(svc.argv, cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT,
                                    start_new_session=True)
    deadline = time.monotonic() + 600
    while not svc.ready():
        if not svc.alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the minimal bot did not start:\n{svc.log_tail()}")
        time.sleep(0.5)
    return svc


# ---------------------------------------------------------------- our services


def pg_available() -> bool:
    for port in (5432, 6379):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
        except OSError:
            return False
    return True


def start_ours(profile: str, var: Path, run_id: str, say=log) -> Stack:
    """Our services on free loopback ports with databases of this run's own. profile: default
    (SQLite, one server of each kind) or production (PostgreSQL, Redis, 2 Rasa + 2 action servers)."""
    env = {"API_ADMIN_TOKEN": ADMIN_TOKEN, "RASA_TELEMETRY_ENABLED": "false"}
    names = ["actions", "rasa", "api"]
    if profile == "production":
        env.update({"CSA_PROFILE": "production", "REDIS_KEY_PREFIX": f"b{run_id}",
                    "DATABASE_URL": f"postgresql+psycopg://{PG}/csa_b{run_id}_records",
                    "TRACKER_DATABASE_URL": f"postgresql://{PG}/csa_b{run_id}_tracker"})
        names += ["rasa-1", "rasa-2", "actions-1", "actions-2"]
    else:
        env.update({"DATABASE_URL": f"sqlite:///{var / 'assistant.db'}", "TRACKER_DB": str(var / "tracker.db")})
    stack = Stack(ports={n: free_port() for n in names}, env=env, model=ROOT / "models" / "current.tar.gz", var=var)
    try:
        stack.start(say=say, timeout=900)
    except BaseException:  # Ctrl-C or a failed start: leave no server behind
        stack.stop()
        if profile == "production":
            drop_databases(run_id)
        raise
    stack.run_id = run_id
    return stack


def drop_databases(run_id: str, prefix: str = "b") -> None:
    for kind in ("records", "tracker"):
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc",
                        f'DROP DATABASE IF EXISTS "csa_{prefix}{run_id}_{kind}" WITH (FORCE)'], capture_output=True)


# ---------------------------------------------------------------- processes


def _tree(pid: int) -> list[int]:
    """A process and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB."""
    total = 0
    for p in _tree(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return round(total / 1024, 1)


def tree_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by a process and its descendants."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for p in _tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return total / ticks


def memory(services: dict[str, Service]) -> dict[str, float]:
    return {name: tree_rss_mb(svc.proc.pid) for name, svc in services.items() if svc.proc}


def cpu(services: dict[str, Service]) -> dict[str, float]:
    return {name: tree_cpu_seconds(svc.proc.pid) for name, svc in services.items() if svc.proc}


def postgres_redis_cpu() -> dict[str, float]:
    """CPU seconds so far of the PostgreSQL and Redis servers (all their processes)."""
    out = {"postgresql": 0.0, "redis": 0.0}
    ticks = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
            name = raw[raw.index("(") + 1: raw.rindex(")")]
            fields = raw.rsplit(")", 1)[1].split()
        except (OSError, ValueError, IndexError):
            continue
        kind = "postgresql" if name.startswith("postgres") else "redis" if name.startswith("redis") else None
        if kind:
            out[kind] += (int(fields[11]) + int(fields[12])) / ticks
    return out


# ---------------------------------------------------------------- HTTP and statistics


def http_json(method: str, url: str, body=None, token: str | None = None, timeout: float = 60):
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            raw, status = r.read(), r.status
    except urllib.error.HTTPError as e:
        raw, status = e.read(), e.code
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, raw


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    s = sorted(values)
    k = (len(s) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def summary(latencies_ms: list[float], errors: int, seconds: float) -> dict:
    return {"messages": len(latencies_ms) + errors, "ok": len(latencies_ms), "errors": errors,
            "seconds": round(seconds, 1), "messages_per_second": round((len(latencies_ms) + errors) / seconds, 2),
            **{f"p{q}_ms": (round(percentile(latencies_ms, q), 1) if latencies_ms else None) for q in (50, 95, 99)}}


@dataclass
class Reply:
    ok: bool
    ms: float
    texts: list[str]
    why: str = ""
