"""The production profile: CSA_PROFILE=production switches the launcher (bot/launch/stack.py) from the
embedded defaults (SQLite, in-process stores, one server of each kind) to shared stores and
several servers (docs/deployment.md):

- records in PostgreSQL (DATABASE_URL), Rasa's trackers in PostgreSQL (TRACKER_DATABASE_URL),
  Rasa's conversation locks in Redis (REDIS_URL), through endpoints.production.yml;
- RASA_SERVERS Rasa servers and ACTION_SERVERS action servers (2 each by default), behind HAProxy
  (configured by bot/launch/haproxy.py), which listens where the single Rasa server would (RASA_PORT)
  and refuses a request body over MAX_MESSAGE_BYTES.

Standard library only, like bot/launch/stack.py. `python -m bot.records.provision` (application
environment) creates the two PostgreSQL databases if they are missing.
"""
from __future__ import annotations

import os
import subprocess
import sys
from urllib.parse import urlsplit

from bot.launch import haproxy
from bot.launch.service import ROOT, Service, StackError, port_is_free

PROFILE = "CSA_PROFILE"
DEFAULTS = {
    "DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:5432/csa_records",
    "TRACKER_DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/csa_tracker",
    "REDIS_URL": "redis://127.0.0.1:6379/1",
    "RASA_SERVERS": "2",
    "ACTION_SERVERS": "2",
    "MAX_MESSAGE_BYTES": "60000",
}


def is_production(env: dict[str, str]) -> bool:
    value = (env.get(PROFILE) or "default").strip().lower()
    if value not in ("default", "production"):

        raise StackError(f"{PROFILE}={value!r}: use 'production' or leave it unset.")
    return value == "production"


def settings(env: dict[str, str]) -> dict[str, str]:
    """The production variables: the environment's, else the defaults for one machine."""
    out = {k: env.get(k) or v for k, v in DEFAULTS.items()}
    redis = urlsplit(out["REDIS_URL"])
    out.update({
        "REDIS_HOST": redis.hostname or "127.0.0.1",
        "REDIS_PORT": str(redis.port or 6379),
        "REDIS_DB": (redis.path or "/1").strip("/") or "1",
        "REDIS_PASSWORD": redis.password or "",
        "REDIS_KEY_PREFIX": env.get("REDIS_KEY_PREFIX") or "csa",
    })
    return out


def server_ports(stack, kind: str, count: int) -> list[int]:
    """rasa-1.. on RASA_PORT+1..; actions-1.. on ACTION_PORT, +1..; or as given in stack.ports."""
    base = stack.ports["rasa"] + 1 if kind == "rasa" else stack.ports["actions"]
    return [stack.ports.get(f"{kind}-{i}", base + i - 1) for i in range(1, count + 1)]


def extend(stack, base: dict[str, str]) -> None:
    """Called at the end of Stack._build: in the production profile, replace the single Rasa and
    action servers with several of each behind HAProxy (which takes the name "rasa", so
    stack.say and the printed addresses stay the same)."""
    given = {**os.environ, **stack.env}  # base has the launcher's SQLite default filled in
    if not is_production(given):
        return

    conf = settings(given)
    counts = {}
    for var, top in (("RASA_SERVERS", 32), ("ACTION_SERVERS", 32), ("MAX_MESSAGE_BYTES", 60000)):
        if not conf[var].isdigit() or not 1 <= int(conf[var]) <= top:
            raise StackError(f"{var}={conf[var]!r}: give a number from 1 to {top}.")
        counts[var] = int(conf[var])
    rasa_ports = server_ports(stack, "rasa", counts["RASA_SERVERS"])
    action_ports = server_ports(stack, "actions", counts["ACTION_SERVERS"])
    front = stack.ports["rasa"]
    # Rasa's tracker pool defaults to 50 (+100 overflow) connections per server: too many for
    # PostgreSQL's default 100 once there are several servers
    pools = {"SQL_POOL_SIZE": base.get("SQL_POOL_SIZE") or "10", "SQL_MAX_OVERFLOW": base.get("SQL_MAX_OVERFLOW") or "10"}
    env = {**base, **conf, **pools, "RASA_TELEMETRY_ENABLED": "false", "RASA_ENDPOINTS": str(ROOT / "endpoints.production.yml"),
           "ACTION_SERVER_URL": f"http://127.0.0.1:{front}/webhook", "RASA_URL": f"http://127.0.0.1:{front}"}
    for port in rasa_ports + action_ports:
        if port in (front, stack.ports["api"]) or not port_is_free(port):
            raise StackError(f"Port {port} is already in use, so the production profile cannot start a server "
                             "there. Choose other ports with RASA_PORT / ACTION_PORT.")
    ensure_databases(env)

    old = stack.services
    logs = stack.var / "logs"
    services = {}
    for i, port in enumerate(action_ports, 1):
        argv = [*old["actions"].argv[:-1], str(port)]
        services[f"actions-{i}"] = Service(f"actions-{i}", argv, port, "/health", env, logs / f"actions-{i}.log")
    rasa_argv = old["rasa"].argv
    for i, port in enumerate(rasa_ports, 1):
        argv = list(rasa_argv)
        argv[argv.index("--port") + 1] = str(port)
        argv[argv.index("--endpoints") + 1] = env["RASA_ENDPOINTS"]
        services[f"rasa-{i}"] = Service(f"rasa-{i}", argv, port, "/", env, logs / f"rasa-{i}.log")
    plan = haproxy.Plan(f"127.0.0.1:{front}", rasa_ports, action_ports, counts["MAX_MESSAGE_BYTES"],
                        socket=str(stack.var / "haproxy.sock"))
    argv = haproxy.write_checked(plan, stack.var / "haproxy.cfg")
    services["rasa"] = Service("rasa", argv, front, haproxy.HEALTH, env, logs / "haproxy.log")
    services["api"] = Service("api", old["api"].argv, old["api"].port, "/health", env, old["api"].log)
    stack.services = services


_deaths: dict[str, list[float]] = {}
REVIVE_LIMIT = (5, 300.0)  # at most 5 restarts of one service in 5 minutes, then give up


def revive(stack, svc) -> bool:
    """In the production profile, start a service that died again (its peers and HAProxy
    carry on meanwhile), as a process supervisor would; False in the default profile or when it
    keeps dying, so the launcher stops as before."""
    import time

    if not is_production({**os.environ, **stack.env}):
        return False
    now = time.monotonic()
    recent = [t for t in _deaths.get(svc.name, []) if now - t < REVIVE_LIMIT[1]] + [now]
    _deaths[svc.name] = recent
    if len(recent) > REVIVE_LIMIT[0]:
        return False
    print(f"run: the {svc.name} server stopped unexpectedly; starting it again (log: {svc.log})",
          file=sys.stderr, flush=True)
    svc.start()
    return True


def ensure_databases(env: dict[str, str]) -> None:
    """Create the records and tracker databases if missing (in the application environment)."""

    done = subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "-m", "bot.records.provision"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise StackError(f"The production databases are not reachable:\n{done.stderr[-1500:]}")
