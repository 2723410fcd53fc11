"""The launcher and setup fail clearly on bad input (foundation issue: Bad input)."""
from __future__ import annotations

import os
import signal
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from bot.launch.service import ROOT, StackError
from bot.launch.stack import Stack


def test_port_in_use_names_port_and_variable(tmp_path):
    model = tmp_path / "model.tar.gz"
    model.write_bytes(b"x")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        stack = Stack(ports={"actions": port, "rasa": 1, "api": 2}, model=model, var=tmp_path)
        with pytest.raises(StackError) as err:
            stack.check()
    message = str(err.value)
    assert f"Port {port} is already in use" in message
    assert "ACTION_PORT=" in message


def test_bad_port_variable_is_explained():
    with pytest.raises(StackError, match=r"RASA_PORT='abc' is not a port number"):
        Stack.from_environment({"RASA_PORT": "abc"})


def test_missing_model_says_what_to_run(tmp_path):
    stack = Stack(ports={"actions": 1, "rasa": 2, "api": 3}, model=tmp_path / "absent.tar.gz", var=tmp_path)
    with pytest.raises(StackError, match="make model"):
        stack.check()


def _copy_scripts(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "setup.sh", repo / "scripts")
    shutil.copy(ROOT / "scripts" / "train.sh", repo / "scripts")
    return repo


def test_failed_install_stops_and_names_the_step(tmp_path):
    repo = _copy_scripts(tmp_path)
    (repo / "requirements.lock").write_text("this-package-does-not-exist-csa==0.0.1\n")
    (repo / "engine-requirements.lock").write_text("")
    done = subprocess.run(["bash", "scripts/setup.sh"], cwd=repo, capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin:" + str(Path(shutil.which("python3")).parent),
                               "HOME": str(tmp_path), "CSA_CACHE_DIR": str(tmp_path / "cache")}, timeout=300)
    assert done.returncode != 0
    assert "FAILED at step: installing packages into the app environment" in done.stderr
    # nothing half-built is used: no completion marker, no link
    assert not list((tmp_path / "cache" / "envs").glob("*/.complete"))
    assert not (repo / ".venv").exists()


def test_corrupt_cached_model_is_retrained_not_used(tmp_path):
    """train.sh checks the cached model's integrity; a corrupt one triggers retraining."""
    repo = _copy_scripts(tmp_path)
    for name in ("config.yml",):
        shutil.copy(ROOT / name, repo / name)
    shutil.copytree(ROOT / "domain", repo / "domain")
    shutil.copytree(ROOT / "data", repo / "data")
    shutil.copy(ROOT / "engine-requirements.lock", repo / "engine-requirements.lock")
    cache = tmp_path / "cache"
    # Find the model name train.sh would use, and plant a corrupt file there.
    script = (repo / "scripts" / "train.sh").read_text()
    assert "gzip -t" in script
    (repo / ".venv-rasa" / "bin").mkdir(parents=True)
    fake_rasa = repo / ".venv-rasa" / "bin" / "rasa"
    fake_rasa.write_text("#!/bin/bash\necho fake-rasa-called \"$@\" >&2\nexit 3\n")
    fake_rasa.chmod(0o755)
    first = subprocess.run(["bash", "scripts/train.sh"], cwd=repo, capture_output=True, text=True,
                           env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "CSA_CACHE_DIR": str(cache)})
    assert first.returncode != 0  # the fake engine cannot train
    name = next(line for line in first.stdout.splitlines() if "training model-" in line).split("training ")[1].split()[0]
    (cache / "models" / f"{name}.tar.gz").write_bytes(b"not a gzip file")
    second = subprocess.run(["bash", "scripts/train.sh"], cwd=repo, capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "CSA_CACHE_DIR": str(cache)})
    assert "cached model is corrupt, retraining" in second.stdout
    assert second.returncode != 0 and "rasa train produced no model" in second.stderr


def test_training_progress_is_shown_while_it_happens(tmp_path):
    """train.sh passes on each component and every 10th epoch as they come, not when training ends."""
    repo = _copy_scripts(tmp_path)
    shutil.copy(ROOT / "config.yml", repo / "config.yml")
    shutil.copytree(ROOT / "domain", repo / "domain")
    shutil.copytree(ROOT / "data", repo / "data")
    shutil.copy(ROOT / "engine-requirements.lock", repo / "engine-requirements.lock")
    (repo / ".venv-rasa" / "bin").mkdir(parents=True)
    fake_rasa = repo / ".venv-rasa" / "bin" / "rasa"
    # Rasa's log line, then a tqdm bar redrawn with \r, then a long pause: training still under way
    fake_rasa.write_text("#!/bin/bash\n"
                         "echo \"INFO rasa.engine.training.hooks  - Starting to train component 'DIETClassifier'.\" >&2\n"
                         "for i in $(seq 1 25); do printf '\\rEpochs:  %d%%|##  | %d/80 [00:05<00:35, t_loss=1.2]' "
                         "$((i*100/80)) $i >&2; done\nsleep 60\n")
    fake_rasa.chmod(0o755)
    proc = subprocess.Popen(["bash", "scripts/train.sh"], cwd=repo, stdout=subprocess.PIPE, text=True,
                            env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "CSA_CACHE_DIR": str(tmp_path / "c")},
                            start_new_session=True)
    try:
        lines = [proc.stdout.readline().strip() for _ in range(4)]
        assert proc.poll() is None, "the progress arrived only after training ended"
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
    assert lines[1:] == ["Starting to train component 'DIETClassifier'.", "epoch 10 of 80", "epoch 20 of 80"]
