"""The Rasa server's entry point: Rasa 3.6's own `rasa` command, with fixes for its hot paths
applied first (runs in the Rasa engine environment). bot/launch/stack.py starts every Rasa server this way:

    .venv-rasa/bin/python -m bot.engine run --model models/current.tar.gz ...

The fixes change how fast Rasa does something, never what it does (docs/deployment.md, "Where
the time goes", has the profile that found them):

- A custom action's reply is checked against Rasa's response schema, as before, but with one
  validator built once. Rasa calls jsonschema.validate(), which first re-validates the schema
  itself against the JSON Schema metaschema on every call: a third of a Rasa server's CPU under
  load went there.
- Once the model is loaded, everything alive is moved out of the garbage collector's sight
  (gc.freeze). The model leaves millions of objects that live as long as the server; a full
  collection walked them all, holding up every conversation on the server for about 0.3 s.

And one that changes what Rasa accepts: request bodies are limited to MAX_REQUEST_BYTES (default
1 MiB) instead of Sanic's 100 MB, refused with a 413 that says so (bot/engine/limits.py); and
the log holds nothing personal (bot/engine/logs.py).
"""
from __future__ import annotations

import functools
import gc
import sys


@functools.lru_cache(maxsize=None)
def action_response_validator():
    """The validator for Rasa's action-server response format, built (and its schema checked) once."""
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _validate_action_result(self, result) -> bool:
    """RemoteAction._validate_action_result with the validator built once: the same checks, the
    same ValidationError and message when an action server's reply does not fit the schema."""
    from jsonschema import ValidationError, exceptions
    from rasa.shared.constants import DOCS_BASE_URL

    error = exceptions.best_match(action_response_validator().iter_errors(result))
    if error is None:
        return True
    assert isinstance(error, ValidationError)
    error.message += (". Failed to validate Action server response from API, make sure your response from the "
                      f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions")
    raise error


def _freezing_after(load_agent):
    """Rasa's load_agent_on_start, then gc.freeze(): what the model left behind is kept for good."""

    @functools.wraps(load_agent)
    async def load_and_freeze(*args, **kwargs):
        agent = await load_agent(*args, **kwargs)
        gc.collect()
        gc.freeze()
        return agent

    return load_and_freeze


def apply() -> None:
    from rasa.core import run
    from rasa.core.actions.action import RemoteAction

    from bot.engine import logs
    from bot.engine.limits import limiting

    logs.install()  # nothing personal in the log (bot/engine/logs.py)

    RemoteAction._validate_action_result = _validate_action_result
    if not getattr(run.load_agent_on_start, "__wrapped__", None):
        run.load_agent_on_start = _freezing_after(run.load_agent_on_start)
    if not getattr(run.configure_app, "__wrapped__", None):
        run.configure_app = limiting(run.configure_app)  # one body limit (bot/engine/limits.py)


def main() -> None:
    apply()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()

