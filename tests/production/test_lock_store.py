"""bot.engine.stores.AtomicRedisLockStore serialises one conversation across processes (real Redis, in
the Rasa engine environment): two processes, each with its own store, increment a counter with a
deliberately racy read-sleep-write inside the conversation's lock; no increment may be lost.
Rasa's own RedisLockStore loses some under the same test (the reason this class exists)."""
from __future__ import annotations

import subprocess
import uuid

import pytest

from bot.launch.service import ROOT
from tests.services import reachable

WORKER = r"""
import asyncio, sys, redis
from rasa.utils.endpoints import EndpointConfig
from bot.engine.stores import AtomicRedisLockStore
from rasa.core.lock_store import RedisLockStore
prefix, counter, kind = sys.argv[1], sys.argv[2], sys.argv[3]
red = redis.StrictRedis(host="127.0.0.1", port=6379, db=1)
if kind == "atomic":
    store = AtomicRedisLockStore(EndpointConfig(url="127.0.0.1", port=6379, db=1, key_prefix=prefix))
else:
    store = RedisLockStore(host="127.0.0.1", port=6379, db=1, key_prefix=prefix)
async def one():
    async with store.lock("conv", wait_time_in_seconds=0.01):
        value = int(red.get(counter) or 0)
        await asyncio.sleep(0.002)
        red.set(counter, value + 1)
async def main():
    await asyncio.gather(*(one() for _ in range(40)))
asyncio.run(main())
"""


READ = r"""
import sys, redis
red = redis.StrictRedis(host="127.0.0.1", port=6379, db=1)
print(int(red.get(sys.argv[2]) or 0), len(red.keys(sys.argv[1] + ":*")))
red.delete(sys.argv[2])
"""


def run_two(kind: str) -> tuple[int, int]:
    """(the counter after 2 x 40 locked increments, locks left behind)"""
    prefix, counter = f"t{uuid.uuid4().hex[:10]}", f"csa-test-counter-{uuid.uuid4().hex}"
    python = str(ROOT / ".venv-rasa" / "bin" / "python")
    procs = [subprocess.Popen([python, "-c", WORKER, prefix, counter, kind], cwd=ROOT,
                              env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    for p in procs:
        _out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()[-2000:]
    out = subprocess.run([python, "-c", READ, prefix, counter], capture_output=True, text=True, check=True).stdout
    value, left = map(int, out.split())
    return value, left


@pytest.mark.skipif(not reachable(6379), reason="needs Redis on 127.0.0.1:6379")
def test_two_processes_never_hold_one_conversation_at_once():
    assert run_two("atomic") == (80, 0)
