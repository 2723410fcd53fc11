"""The app manifests in docs/channels agree with what the connectors serve and handle."""
from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest

from tests.fakes.slack import FakeSlack

DOCS = Path(__file__).resolve().parents[2] / "docs" / "channels"


def load_yaml(path: Path):
    try:
        import yaml
        return yaml.safe_load(path.read_text())
    except ImportError:
        ruamel = pytest.importorskip("ruamel.yaml")
        return ruamel.YAML(typ="safe").load(path.read_text())


def png_size_and_mode(path: Path) -> tuple[int, int, int]:
    """(width, height, colour type) from the PNG header: 2 = RGB, 6 = RGBA."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, _, colour_type = struct.unpack(">IIBB", data[16:26])
    return width, height, colour_type


def test_slack_manifest_points_both_request_urls_at_the_slack_webhook_and_asks_only_needed_scopes():
    manifest = load_yaml(DOCS / "slack-app-manifest.yml")
    settings = manifest["settings"]
    assert settings["event_subscriptions"]["request_url"].endswith("/webhooks/slack/webhook")
    assert settings["interactivity"]["request_url"] == settings["event_subscriptions"]["request_url"]
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["socket_mode_enabled"] is False  # the connector speaks HTTP, not Socket Mode
    assert set(settings["event_subscriptions"]["bot_events"]) == {"app_mention", "message.im"}
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == {"app_mentions:read", "im:history", "chat:write"}
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True


def test_slack_manifest_events_are_the_ones_the_connector_answers():
    slack = pytest.importorskip("bot.engine.channels.slack", reason="connector needs the engine environment")
    dm = FakeSlack.event("hi", kind="message", channel_type="im")
    mention = FakeSlack.event("<@U0CSBOT01> hi", kind="app_mention", channel="C1")
    assert slack.incoming_from_event(dm) and slack.incoming_from_event(mention)


def test_teams_app_package_has_a_valid_manifest_and_icons():
    folder = DOCS / "teams-app"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["manifestVersion"] == "1.16" and manifest["$schema"].endswith("/v1.16/MicrosoftTeams.schema.json")
    [bot] = manifest["bots"]
    assert bot["botId"] == manifest["id"]  # both are replaced by the Azure bot's app id
    assert set(bot["scopes"]) == {"personal", "team", "groupChat"}
    assert len(manifest["name"]["short"]) <= 30 and len(manifest["description"]["short"]) <= 80
    assert len(manifest["description"]["full"]) <= 4000
    assert png_size_and_mode(folder / manifest["icons"]["color"]) == (192, 192, 2)
    assert png_size_and_mode(folder / manifest["icons"]["outline"]) == (32, 32, 6)  # transparent outline
    assert sorted(p.name for p in folder.iterdir()) == ["color.png", "manifest.json", "outline.png"]
