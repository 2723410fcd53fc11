"""Whether a local service the tests can use (PostgreSQL, Redis) is running. Standard library only:
imported by tests in both environments."""
from __future__ import annotations

import socket


def reachable(port: int, host: str = "127.0.0.1") -> bool:
    try:
        socket.create_connection((host, port), timeout=2).close()
        return True
    except OSError:
        return False
