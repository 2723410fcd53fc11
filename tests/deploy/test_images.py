"""The container images (deploy/docker/*.Dockerfile), checked without building them (no image can be
built on these machines): each copies only files that exist, installs its environment with the
setup script `make` uses from the lock file whose current sha256 it names, runs as a non-root
user, has a health check and builds in no secret."""
from __future__ import annotations

import glob
import hashlib
import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCKER = ROOT / "deploy" / "docker"
# image -> the environment it builds (scripts/setup.sh's CSA_ENVS) and that environment's lock file
IMAGES = {"engine.Dockerfile": ("engine", "engine-requirements.lock"), "app.Dockerfile": ("app", "requirements.lock")}


def instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined, comments dropped."""
    out, pending = [], ""
    for line in path.read_text().splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        pending += line.rstrip()
        if pending.endswith("\\"):
            pending = pending[:-1] + " "
            continue
        word, _, rest = pending.strip().partition(" ")
        out.append((word.upper(), rest.strip()))
        pending = ""
    return out


def test_every_image_is_here_and_nothing_else():
    assert sorted(p.name for p in DOCKER.glob("*.Dockerfile")) == sorted(IMAGES)


@pytest.mark.parametrize("name", sorted(IMAGES))
def test_it_copies_only_files_that_exist(name):
    ignored = [line.strip().rstrip("/") for line in (ROOT / ".dockerignore").read_text().splitlines()
               if line.strip() and not line.startswith("#")]
    copies = [args for word, args in instructions(DOCKER / name) if word in ("COPY", "ADD")]
    assert copies
    for args in copies:
        parts = [p for p in shlex.split(args) if not p.startswith("--")]
        assert not any(p.startswith("--from") for p in shlex.split(args)), args  # one stage: nothing copied between
        for source in parts[:-1]:
            assert glob.glob(str(ROOT / source)), f"{name}: COPY {source}: no such file in the repository"
            top = source.split("/")[0]
            assert not any(top == pattern or top.startswith(pattern) and pattern.endswith("*") for pattern in ignored), \
                f"{name}: {source} is excluded by .dockerignore"


@pytest.mark.parametrize("name", sorted(IMAGES))
def test_it_installs_from_the_lock_file_it_names_with_its_current_hash(name):
    env, lock = IMAGES[name]
    runs = [args for word, args in instructions(DOCKER / name) if word == "RUN"]
    checks = dict((file, digest) for run in runs for digest, file in re.findall(r"([0-9a-f]{64})  ([^\s\"]+)\"? \| sha256sum -c", run))
    assert lock in checks, f"{name} does not check the hash of {lock}"
    current = hashlib.sha256((ROOT / lock).read_bytes()).hexdigest()
    assert checks[lock] == current, (f"{lock} changed: put its new sha256 ({current}) in deploy/docker/{name}, "
                                     "after checking the image still builds")
    setup = [run for run in runs if "scripts/setup.sh" in run]
    assert setup == [f"CSA_ENVS={env} bash scripts/setup.sh"], setup  # the script `make setup` runs
    assert runs.index(setup[0]) > next(i for i, r in enumerate(runs) if "sha256sum -c" in r)  # checked first


@pytest.mark.parametrize("name", sorted(IMAGES))
def test_it_runs_as_a_non_root_user_with_a_health_check_and_no_secret(name):
    steps = instructions(DOCKER / name)
    users = [args for word, args in steps if word == "USER"]
    assert users and users[-1].split(":")[0] not in ("0", "root"), users
    assert [w for w, _ in steps].index("USER") > max(i for i, (w, _) in enumerate(steps) if w in ("RUN", "COPY"))
    health = [args for word, args in steps if word == "HEALTHCHECK"]
    assert len(health) == 1 and ("/health" in health[0] or "5005/" in health[0]), health
    for word, args in steps:
        if word in ("ENV", "ARG", "LABEL"):
            names = re.findall(r"([A-Za-z_][A-Za-z0-9_]*)=", args)
            assert not [n for n in names if re.search(r"TOKEN|SECRET|PASSWORD|PRIVATE|_KEY\b", n, re.I)], args


def test_the_engine_image_trains_the_model_as_make_does_and_serves_what_the_launcher_serves():
    steps = instructions(DOCKER / "engine.Dockerfile")
    runs = [args for word, args in steps if word == "RUN"]
    assert any(r.startswith("bash scripts/train.sh") for r in runs)
    cmd = [args for word, args in steps if word == "CMD"][-1]
    assert '"--endpoints", "endpoints.production.yml"' in cmd and '"--port", "5005"' in cmd
