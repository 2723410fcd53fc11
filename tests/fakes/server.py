"""A small threaded HTTP server on 127.0.0.1 (free port) for the fake outside services."""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))

    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode("utf-8")).items()}


# A handler returns (status, JSON-able body) and may raise nothing.
Handler = Callable[[Request], "tuple[int, Any]"]


class FakeServer:
    """Routes requests to `handle(request)`; subclasses implement it. Keeps a log of requests."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self._cond = threading.Condition()
        owner = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                parts = urlsplit(self.path)
                request = Request(self.command, parts.path, parse_qs(parts.query),
                                  {k.lower(): v for k, v in self.headers.items()},
                                  self.rfile.read(length) if length else b"")
                with owner._cond:
                    owner.requests.append(request)
                try:
                    status, body = owner.handle(request)
                except Exception as error:  # a bug in a fake must show, not hang the client
                    status, body = 500, {"error": repr(error)}
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                with owner._cond:
                    owner._cond.notify_all()

            do_GET = do_POST = do_PUT = _serve

            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name=type(self).__name__, daemon=True)
        self._thread.start()

    def handle(self, request: Request) -> tuple[int, Any]:
        raise NotImplementedError

    def wait_until(self, condition: Callable[[], Any], timeout: float = 30.0) -> Any:
        """Block until condition() is truthy (re-checked whenever a request was served)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                result = condition()
                if result:
                    return result
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"{type(self).__name__}: condition not met within {timeout}s")
                self._cond.wait(min(remaining, 0.5))

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
