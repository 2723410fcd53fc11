"""Starts, watches and stops the assistant's three processes.

- the action server (rasa-sdk, application environment .venv),
- the Rasa server (REST and socket.io channels, engine environment .venv-rasa),
- the FastAPI app (HTTP API and the browser chat page, .venv).

Used by `make run` / `make shell` and by the end-to-end tests, so both start the services the same
way. Standard library only: this runs before anything else is known to work.
"""
from __future__ import annotations

import ipaddress
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bot.launch import profile
from bot.launch.service import PORTS, ROOT, Service, StackError, port_is_free

LISTEN = "LISTEN_ADDRESS"  # where Rasa and the action server listen; loopback unless this says otherwise


def listen_address(env: dict[str, str]) -> str:
    value = (env.get(LISTEN) or "127.0.0.1").strip()
    try:
        ipaddress.ip_address(value)
    except ValueError:
        raise StackError(f"{LISTEN}={value!r} is not an IP address (for example 127.0.0.1, or 0.0.0.0 for every "
                         "interface behind a firewall).") from None
    return value


def api_origins(env: dict[str, str], api_port: int) -> list[str]:
    """The only origins whose pages may call the Rasa server from a browser: the API's own."""
    origins = [f"http://127.0.0.1:{api_port}", f"http://localhost:{api_port}"]
    public = urllib.parse.urlsplit(env.get("API_PUBLIC_URL") or "")
    if public.scheme and public.netloc:
        origins.insert(0, f"{public.scheme}://{public.netloc}")
    return origins


@dataclass
class Stack:
    ports: dict[str, int]
    env: dict[str, str] = field(default_factory=dict)  # extra variables for every service
    model: Path = ROOT / "models" / "current.tar.gz"
    var: Path = ROOT / "var"
    services: dict[str, Service] = field(default_factory=dict)

    @classmethod
    def from_environment(cls, env: dict[str, str] | None = None) -> "Stack":
        env = dict(os.environ if env is None else env)
        ports = {}
        for name, (var, default) in PORTS.items():
            raw = env.get(var, str(default))
            if not raw.isdigit() or not 0 < int(raw) < 65536:
                raise StackError(f"{var}={raw!r} is not a port number (1-65535).")
            ports[name] = int(raw)
        return cls(ports=ports, env=env)

    def _build(self) -> None:
        logs = self.var / "logs"
        base = {**os.environ, **self.env, "PYTHONPATH": str(ROOT)}
        base.setdefault("DATABASE_URL", f"sqlite:///{self.var / 'assistant.db'}")
        base["ACTION_SERVER_URL"] = f"http://127.0.0.1:{self.ports['actions']}/webhook"
        base["RASA_URL"] = f"http://127.0.0.1:{self.ports['rasa']}"
        base.setdefault("TRACKER_DB", str(self.var / "tracker.db"))
        base.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        endpoints = base.get("RASA_ENDPOINTS", str(ROOT / "endpoints.yml"))
        # Rasa proves itself to the action server with this secret; a fresh one per run unless set
        base["ACTION_SERVER_TOKEN"] = base.get("ACTION_SERVER_TOKEN") or secrets.token_urlsafe(32)
        listen = listen_address(base)
        base["SANIC_HOST"] = listen  # rasa-sdk's own setting for the action server's address
        py, engine = str(ROOT / ".venv" / "bin" / "python"), str(ROOT / ".venv-rasa" / "bin" / "python")
        self.services = {
            "actions": Service("actions", [py, "-m", "rasa_sdk", "--actions", "actions",
                                           "--port", str(self.ports["actions"])],
                               self.ports["actions"], "/health", base, logs / "actions.log"),
            # Rasa's own `rasa run`, with the fixes in bot/engine/patches.py applied first
            "rasa": Service("rasa", [engine, "-m", "bot.engine", "run", "--model", str(self.model),
                                     "--port", str(self.ports["rasa"]), "--endpoints", endpoints,
                                     "--credentials", str(ROOT / "credentials.yml"),
                                     "--interface", listen, "--cors", *api_origins(base, self.ports["api"])],
                            self.ports["rasa"], "/", base, logs / "rasa.log"),
            "api": Service("api", [py, "-m", "uvicorn", "bot.api.app:app", "--host", "127.0.0.1",
                                   "--port", str(self.ports["api"])],
                           self.ports["api"], "/health", base, logs / "api.log"),
        }
        profile.extend(self, base)  # CSA_PROFILE=production: shared stores, several servers (docs/deployment.md)

    def check(self) -> None:
        if not self.model.exists():
            raise StackError(f"No trained model at {self.model}. Run `make model` (or `make run`, which trains it).")
        for name, port in self.ports.items():
            if not port_is_free(port):
                var = PORTS[name][0]
                raise StackError(f"Port {port} is already in use, so the {name} server cannot start. "
                                 f"Stop whatever is using it, or choose another port with {var}=<port>.")

    def start(self, say=print, timeout: float = 240.0) -> None:
        self.check()
        self.var.mkdir(parents=True, exist_ok=True)
        self._build()
        self.migrate(say)
        for svc in self.services.values():
            say(f"==> starting {svc.name} server on port {svc.port} (log: {svc.log})")
            svc.start()
        self.wait_ready(say, timeout)

    def migrate(self, say=print) -> None:
        """Create or upgrade the records database once, before the services that share it start."""
        env = self.services["api"].env
        say(f"==> database: migrating {env['DATABASE_URL'].split('@')[-1]}")
        done = subprocess.run([self.services["api"].argv[0], "-c", "from bot.records.db import migrate; migrate()"],
                              cwd=ROOT, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise StackError(f"The database migration failed:\n{done.stderr[-2000:]}")

    def wait_ready(self, say=print, timeout: float = 240.0, names: list[str] | None = None) -> None:
        pending = {n: self.services[n] for n in (names or self.services)}
        started, last_note = time.monotonic(), 0.0
        while pending:
            for name, svc in list(pending.items()):
                if not svc.alive():
                    self.stop()
                    raise StackError(f"The {name} server exited during start-up. Last lines of "
                                     f"{svc.log}:\n{svc.log_tail()}")
                if svc.ready():
                    say(f"    {name} ready after {time.monotonic() - started:.0f}s")
                    del pending[name]
            elapsed = time.monotonic() - started
            if elapsed > timeout:
                self.stop()
                raise StackError(f"Timed out after {timeout:.0f}s waiting for {', '.join(pending)}.")
            if pending and elapsed - last_note > 15:
                say(f"    waiting for {', '.join(pending)} ({elapsed:.0f}s; the Rasa server takes about a minute)")
                last_note = elapsed
            time.sleep(0.5)

    def restart(self, name: str, kill: bool = False, say=lambda *_: None) -> None:
        svc = self.services[name]
        svc.kill() if kill else svc.stop()
        svc.start()
        self.wait_ready(say, names=[name])

    def stop(self) -> None:
        for svc in reversed(list(self.services.values())):
            svc.stop()

    def say(self, sender: str, text: str, timeout: float = 30.0, token: str | None = None) -> list[dict]:
        """Send one message over the REST channel and return the bot's messages. `token`: a staff
        member's API token (without one, the sender is an anonymous learner)."""
        body = json.dumps({"sender": sender, "message": text}).encode()
        headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
        req = urllib.request.Request(f"{self.services['rasa'].url}/webhooks/rest/webhook", data=body, headers=headers)
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return json.loads(r.read() or b"[]")


def _run(stack: Stack) -> int:
    stopping = False

    def on_signal(signum, _frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        stack.start()
    except StackError as e:
        print(f"\nrun: {e}", file=sys.stderr)
        return 1
    api, rasa = stack.services["api"].url, stack.services["rasa"].url
    print(f"""
The assistant is running.
  Chat in your browser:  {api}/chat
  HTTP API and docs:     {api}/docs
  Rasa REST channel:     {rasa}/webhooks/rest/webhook
  Action server:         {", ".join(s.url for n, s in stack.services.items() if n.startswith("actions"))}
Press Ctrl-C to stop all three.""", flush=True)

    while not stopping:
        for svc in stack.services.values():
            if not svc.alive() and not profile.revive(stack, svc):
                print(f"\nrun: the {svc.name} server stopped unexpectedly. Last lines of {svc.log}:\n"
                      f"{svc.log_tail()}", file=sys.stderr)
                stopping = True
        time.sleep(0.5)
    print("\nStopping...", flush=True)
    stack.stop()
    print("Stopped.")
    return 0


def _shell(stack: Stack) -> int:
    try:
        stack.start()
    except StackError as e:
        print(f"\nshell: {e}", file=sys.stderr)
        return 1
    print("\nTerminal chat with the assistant. Type /quit (or Ctrl-D) to stop.\n")
    sender = f"shell:{os.getpid()}"
    try:
        while True:
            try:
                text = input("you> ").strip()
            except (EOFError, KeyboardInterrupt):
                break
            if text in {"/quit", "/exit"}:
                break
            if not text:
                continue
            try:
                replies = stack.say(sender, text)
            except OSError as e:
                print(f"bot> (could not reach the Rasa server: {e})")
                continue
            for m in replies:
                if m.get("text"):
                    print("bot> " + m["text"].replace("\n", "\n     "))
                for i, b in enumerate(m.get("buttons") or [], 1):
                    print(f"     [{i}] {b['title']}")
    finally:
        print("Stopping...")
        stack.stop()
    return 0


def main(argv: list[str]) -> int:
    cmd = argv[1] if len(argv) > 1 else "run"
    try:
        stack = Stack.from_environment()
    except StackError as e:
        print(f"{cmd}: {e}", file=sys.stderr)
        return 2
    if cmd == "run":
        return _run(stack)
    if cmd == "shell":
        return _shell(stack)
    print("usage: python -m bot.launch.stack run|shell", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
