"""README, section "Identity and roles", followed literally (#18.2): every ```sh block of the section
is run, in order, by bash in the clone against a fresh database and the real API (uvicorn, over HTTP),
as a new centre would after `make run` with no API_ADMIN_TOKEN. The only change is the API's address
(the README's http://127.0.0.1:8000 becomes this test's free port). Then the records are checked: the
assessor reached her learner with the token the README issued, the accounts are linked, the tokens
revoked."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from bot.launch.service import ROOT, Service, free_port
from bot.records import audit, people
from bot.records.db import dispose, session_factory
from bot.records.models import Person

pytestmark = pytest.mark.e2e

README_API = "http://127.0.0.1:8000"


def section_commands() -> list[str]:
    text = (ROOT / "README.md").read_text("utf-8")
    section = text.split("\n## Identity and roles\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    assert len(blocks) >= 3, "the section has its set-up, Slack/Teams and token commands"
    return blocks


@pytest.fixture
def fresh_api(tmp_path):
    url = f"sqlite:///{tmp_path / 'assistant.db'}"
    env = {k: v for k, v in os.environ.items() if k not in ("API_ADMIN_TOKEN", "DATABASE_URL")}
    env |= {"DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    port = free_port()
    api = Service("api", [sys.executable, "-m", "uvicorn", "bot.api.app:app", "--host", "127.0.0.1",
                          "--port", str(port)], port, "/health", env, tmp_path / "api.log")
    api.start()
    try:
        import time

        deadline = time.monotonic() + 120
        while not api.ready():
            assert api.alive() and time.monotonic() < deadline, api.log_tail()
            time.sleep(0.5)
        yield api, url, env
    finally:
        api.stop()
        dispose(url)


def test_the_readme_takes_a_new_centre_to_an_assessor_reaching_her_learner(fresh_api):
    api, url, env = fresh_api
    script = "\n".join(block.replace(README_API, api.url) for block in section_commands())
    assert README_API not in script
    # the venv's python stands for .venv/bin/python (the same interpreter in a clone after `make setup`)
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, f"stdout:\n{done.stdout}\nstderr:\n{done.stderr}"
    assert "Traceback" not in done.stderr

    out = done.stdout
    assert "Created Dana Okafor (id 1, admin)." in out
    assert "Sam Patel (id 3) is enrolled on sfj-l2 with Asha Khan (id 2) as assessor." in out
    # step 4's curl printed Sam's progress, fetched with Asha's token (curl -f fails the script on a 401/403)
    progress, _ = json.JSONDecoder().raw_decode(out[out.index('{"learner_id"'):])
    assert progress["learner_id"] == 3 and progress["learner"] == "Sam Patel"
    assert [e["source_id"] for e in progress["enrolments"]] == ["sfj-l2"]
    assert "Linked slack account T0123ABCD:U0456EFGH to Asha Khan (id 2, assessor)." in out
    assert "Revoked 1 token of Asha Khan (id 2)." in out

    with session_factory(url)() as s:
        asha = s.get(Person, 2)
        assert asha.display_name == "Asha Khan" and asha.role == "assessor"
        assert people.person_for_sender(s, "slack", "T0123ABCD:U0456EFGH") == asha
        assert people.account_owner(s, "teams", "72f988bf-86f1-41af-91ab-2d7cd011db47:"
                                               "29a4c1d2-0c7e-4b6a-9f0e-1b2c3d4e5f60").display_name == "Sam Patel"
        assert all(not people.is_valid(t) for t in people.tokens_of(s, asha, asha))  # the README revoked them
        assert {e.actor_id for e in audit.entries(s)} == {1}  # every change audited, as the admin
