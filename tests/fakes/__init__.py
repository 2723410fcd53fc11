"""Local fakes of the outside services the chat channels talk to (see notes/e2e.md).

`start_fakes()` starts them on 127.0.0.1 free ports and returns a `Fakes` whose `env` is handed to
the Rasa server so the channels talk to the fakes instead of Slack and Microsoft. Needs PyJWT and
cryptography (both in the engine environment; test extras of the application environment).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from tests.fakes.botframework import FakeBotFramework
from tests.fakes.slack import FakeSlack


@dataclass
class Fakes:
    slack: FakeSlack
    teams: FakeBotFramework
    env: dict[str, str] = field(default_factory=dict)

    def stop(self) -> None:
        self.slack.stop()
        self.teams.stop()


def start_fakes(teams_tenant_id: str | None = None) -> Fakes:
    """Start every fake. The Teams bot is single-tenant unless teams_tenant_id == "" (multi-tenant)."""
    slack = FakeSlack()
    teams = FakeBotFramework(tenant_id=teams_tenant_id)
    env = {
        "SLACK_API_URL": slack.api_url,
        "SLACK_BOT_TOKEN": slack.token,
        "SLACK_SIGNING_SECRET": slack.signing_secret,
        **teams.env(),
    }
    return Fakes(slack=slack, teams=teams, env=env)


__all__ = ["Fakes", "FakeBotFramework", "FakeSlack", "start_fakes"]
