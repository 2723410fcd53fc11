"""The Kubernetes manifests (deploy/kubernetes): every overlay renders with `kubectl kustomize` and
passes the Kubernetes schemas (kubernetes-validate, strict), and each container's ports, probes and
environment are the ones the code listens on and reads. The tools come from .venv-tools
(deploy/tools-requirements.lock; `make unit` builds it)."""
from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ROOT / ".venv-tools" / "bin"
OVERLAYS = ["default", "production"]
SECRET, SETTINGS = "cs-assistant-secrets", "cs-assistant-settings"
# container -> (image, port, health path): what deploy/docker/*.Dockerfile and the launcher use
SERVES = {"rasa": ("cs-assistant-engine", 5005, "/"), "actions": ("cs-assistant-app", 5055, "/health"),
          "api": ("cs-assistant-app", 8000, "/health")}

pytestmark = pytest.mark.skipif(not (TOOLS / "kubectl").exists(), reason="run `CSA_ENVS=tools bash scripts/setup.sh` first")


def render(overlay: str) -> list[dict]:
    done = subprocess.run([str(TOOLS / "kubectl"), "kustomize", str(ROOT / "deploy" / "kubernetes" / "overlays" / overlay)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    as_json = subprocess.run([str(TOOLS / "python"), "-c", "import json, sys, yaml; json.dump(list(yaml.safe_load_all(sys.stdin)), sys.stdout)"],
                             input=done.stdout, capture_output=True, text=True, check=True)
    return [d for d in json.loads(as_json.stdout) if d]


@pytest.fixture(scope="module", params=OVERLAYS)
def manifests(request, tmp_path_factory):
    docs = render(request.param)
    path = tmp_path_factory.mktemp("k8s") / f"{request.param}.json"
    path.write_text("\n".join(json.dumps(d) for d in docs))  # one JSON document per line is valid YAML too
    return request.param, docs, path


def by_kind(docs, kind):
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def test_every_overlay_passes_the_kubernetes_schemas(manifests, tmp_path):
    overlay, docs, _path = manifests
    path = tmp_path / f"{overlay}.yaml"
    path.write_text("\n---\n".join(json.dumps(d) for d in docs))
    done = subprocess.run([str(TOOLS / "kubernetes-validate"), "--strict", "--quiet", str(path)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    kinds = sorted({d["kind"] for d in docs})
    assert kinds == ["ConfigMap", "Deployment", "HorizontalPodAutoscaler", "Ingress", "PodDisruptionBudget", "Service"]
    assert all(d["metadata"]["namespace"] == "cs-assistant" for d in docs)


def engine_reads() -> set[str]:
    """What the Rasa engine reads: its settings (bot/engine/settings.py: pydantic 1, not importable
    here), the variables of endpoints.production.yml, and Rasa's own."""
    source = (ROOT / "bot" / "engine" / "settings.py").read_text()
    fields = re.findall(r"^    ([a-z_]+): [A-Za-z]", source.split("class EngineSettings", 1)[1], re.M)
    return {f.upper() for f in fields} | endpoint_vars() | {"SQL_POOL_SIZE", "SQL_MAX_OVERFLOW", "RASA_TELEMETRY_ENABLED"}


def endpoint_vars() -> set[str]:
    return set(re.findall(r"\$\{([A-Z_]+)\}", (ROOT / "endpoints.production.yml").read_text()))


def app_reads() -> set[str]:
    names = {(f.validation_alias or n).upper() for n, f in Settings.model_fields.items()}
    return names | {"PORT"}  # PORT: the image's health check (deploy/docker/app.Dockerfile)


def test_each_container_listens_and_is_probed_where_the_code_serves(manifests):
    _overlay, docs, _ = manifests
    deployments, services = by_kind(docs, "Deployment"), by_kind(docs, "Service")
    assert set(deployments) == set(SERVES)
    for name, (image, port, health) in SERVES.items():
        [c] = deployments[name]["spec"]["template"]["spec"]["containers"]
        assert c["image"].endswith("/" + image + ":latest"), c["image"]
        assert c["ports"] == [{"name": "http", "containerPort": port}]
        argv = c.get("command", []) + c.get("args", [])
        assert not argv or argv[argv.index("--port") + 1] == str(port), argv
        for probe in ("readinessProbe", "livenessProbe"):
            assert c[probe]["httpGet"] == {"path": health, "port": "http"}, (name, probe)
        assert c["resources"]["requests"]["memory"] and c["resources"]["limits"]["memory"]
        assert services[name]["spec"]["ports"] == [{"name": "http", "port": port, "targetPort": "http"}]
        assert services[name]["spec"]["selector"] == deployments[name]["spec"]["selector"]["matchLabels"]
    rasa = deployments["rasa"]["spec"]["template"]["spec"]["containers"][0]
    assert rasa["startupProbe"]["httpGet"]["path"] == "/" and rasa["resources"]["requests"]["memory"] == "1500Mi"
    config = by_kind(docs, "ConfigMap")[SETTINGS]["data"]
    assert config["ACTION_SERVER_URL"] == "http://actions:5055/webhook" and config["RASA_URL"] == "http://rasa:5005"


def test_each_container_gets_only_what_its_code_reads_from_the_settings_and_the_secret(manifests):
    _overlay, docs, _ = manifests
    config = by_kind(docs, "ConfigMap")[SETTINGS]["data"]
    reads = {"rasa": engine_reads(), "actions": app_reads(), "api": app_reads(), "migrate": app_reads()}
    for d in by_kind(docs, "Deployment").values():
        spec = d["spec"]["template"]["spec"]
        for c in spec.get("initContainers", []) + spec["containers"]:
            names = [e["name"] for e in c["env"]]
            assert len(names) == len(set(names)) and set(names) <= reads[c["name"]], (c["name"], set(names) - reads[c["name"]])
            for e in c["env"]:
                ref = e.get("valueFrom", {})
                if "configMapKeyRef" in ref:
                    assert ref["configMapKeyRef"]["name"] == SETTINGS and ref["configMapKeyRef"]["key"] in config
                if "secretKeyRef" in ref:
                    assert ref["secretKeyRef"]["name"] == SECRET and ref["secretKeyRef"]["key"] == e["name"]
                assert "value" not in e or e["name"] == "PORT"  # settings from the ConfigMap, secrets from the Secret
            if c["name"] == "rasa":
                assert endpoint_vars() <= set(names), endpoint_vars() - set(names)  # every ${VAR} Rasa expands
    assert "DATABASE_URL" not in config and not any(re.search(r"TOKEN|SECRET|PASSWORD", k) for k in config)


def test_the_ingress_publishes_only_the_api_the_web_chat_and_the_verified_webhooks(manifests):
    _overlay, docs, _ = manifests
    [ingress] = by_kind(docs, "Ingress").values()
    paths = {(p["path"], p["pathType"]): p["backend"]["service"]["name"]
             for rule in ingress["spec"]["rules"] for p in rule["http"]["paths"]}
    assert paths == {("/", "Prefix"): "api", ("/webhooks/slack/webhook", "Exact"): "rasa",
                     ("/webhooks/teams/webhook", "Exact"): "rasa"}


def test_every_server_scales_and_keeps_one_up_through_a_disruption(manifests):
    overlay, docs, _ = manifests
    deployments = by_kind(docs, "Deployment")
    for name, hpa in by_kind(docs, "HorizontalPodAutoscaler").items():
        assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": name}
        assert hpa["spec"]["minReplicas"] == (2 if overlay == "production" else 1) < hpa["spec"]["maxReplicas"]
    for name, pdb in by_kind(docs, "PodDisruptionBudget").items():
        assert pdb["spec"]["selector"]["matchLabels"] == deployments[name]["spec"]["selector"]["matchLabels"]
        assert pdb["spec"]["maxUnavailable"] == 1
    assert set(by_kind(docs, "HorizontalPodAutoscaler")) == set(by_kind(docs, "PodDisruptionBudget")) == set(deployments)
    assert deployments["rasa"]["spec"]["strategy"]["rollingUpdate"] == {"maxSurge": 1, "maxUnavailable": 0}
