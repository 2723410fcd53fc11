"""End-to-end fixtures: the real trained model and the three real servers, started once per session.

The servers run on free ports with their own SQLite database and tracker store in a temporary
directory (or PostgreSQL when E2E_DATABASE_URL is set), with the local fakes of Slack and the
Bot Framework standing in for the outside services.
"""
from __future__ import annotations

import itertools
import os
import shutil
import uuid
from pathlib import Path

import pytest

from bot.launch.service import ROOT, StackError, free_port
from bot.launch.stack import Stack
from tests.fakes import start_fakes

pytestmark = pytest.mark.e2e

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# npm packages the browser tests inject into pages (axe-core, rasa-webchat): `bash scripts/setup.sh --test-tools`
BROWSER_TOOLS = Path(__file__).resolve().parent / "js" / "node_modules"


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright (one per test session)."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip package playwright (application test extras)")
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium not installed (apt-get install -y chromium)")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--headless", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-extensions", "--no-first-run"])
        yield browser
        browser.close()


def browser_tool(relative: str) -> Path:
    """A file of an npm package installed for the browser tests; fails with the command if missing."""
    path = BROWSER_TOOLS / relative
    if not path.exists():
        pytest.fail(f"{path} is missing: run `bash scripts/setup.sh --test-tools` (npm ci in tests/e2e/js)")
    return path


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    model = ROOT / "models" / "current.tar.gz"
    if not model.exists():
        pytest.fail("No trained model: run `make model` first (make test and make e2e do).")
    var = tmp_path_factory.mktemp("var")
    fakes = start_fakes()
    env = {**fakes.env, "API_ADMIN_TOKEN": "e2e-admin-token"}
    env["DATABASE_URL"] = os.environ.get("E2E_DATABASE_URL", f"sqlite:///{var / 'assistant.db'}")
    env["TRACKER_DB"] = str(var / "tracker.db")
    s = Stack(ports={n: free_port() for n in ("actions", "rasa", "api")}, env=env, model=model, var=var)
    s.fakes = fakes
    try:
        s.start(say=lambda m: print(m, flush=True))
    except StackError as e:
        fakes.stop()
        pytest.fail(str(e))
    yield s
    s.stop()
    fakes.stop()


_ids = itertools.count()


@pytest.fixture
def sender() -> str:
    """A fresh REST sender id per test, so conversations never leak between tests."""
    return f"e2e-{next(_ids)}-{uuid.uuid4().hex[:8]}"


def texts(messages: list[dict]) -> str:
    """All the bot's text in one string, for content assertions."""
    return "\n".join(m.get("text") or "" for m in messages)


ADMIN_TOKEN = "e2e-admin-token"


def api(stack, method: str, path: str, body: dict | None = None, token: str = ADMIN_TOKEN):
    """Call the FastAPI app over HTTP; returns (status, parsed JSON or raw bytes)."""
    import json
    import urllib.error
    import urllib.request

    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(stack.services["api"].url + path, data=data, method=method,
                                 headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            raw, status, ctype = r.read(), r.status, r.headers.get("content-type", "")
    except urllib.error.HTTPError as e:
        raw, status, ctype = e.read(), e.code, e.headers.get("content-type", "")
    return status, (json.loads(raw) if "json" in ctype and raw else raw)


@pytest.fixture
def assessor_and_learner(stack, sender):
    """An assessor chatting as `sender` over REST with their API token ("token"), and a learner with a
    unique name enrolled on the SFJ Level 2 Diploma with that assessor (set up through the admin API,
    as a provider would)."""
    suffix = uuid.uuid4().hex[:6]
    status, assessor = api(stack, "POST", "/api/people", {"display_name": f"Asha Assessor {suffix}", "role": "assessor"})
    assert status == 201, assessor
    status, token = api(stack, "POST", f"/api/people/{assessor['id']}/tokens")
    assert status == 201, token
    name = f"Sam Q{suffix}"
    status, learner = api(stack, "POST", "/api/people", {"display_name": name, "role": "learner"})
    assert status == 201, learner
    status, enrolment = api(stack, "POST", "/api/enrolments", {"learner_id": learner["id"], "source_id": "sfj-l2",
                                                               "assessor_id": assessor["id"]})
    assert status == 201, enrolment
    return {"assessor": assessor, "learner": learner, "name": name, "token": token["token"]}
