"""The Rasa server's logs follow bot/logsafe.py: nothing personal, whoever logs.

Rasa logs partly through the standard library (covered by logsafe.install()) and partly through
structlog, configured by rasa.utils.log_utils.configure_structlog. That configuration would put a
failed REST message's text in the log ("rest.message.received.failure", text=...) and render an
exception with its message and local variables (structlog's dict_tracebacks). After Rasa has
configured structlog, two processors take over: every string value outside a short list of safe
keys is replaced by its length, and an exception becomes its type and frames.
(Rasa's own anonymization hook is not used: it reads the tracker again on every message.)
"""
from __future__ import annotations

import functools
import sys

from bot.logsafe import failure, install as install_stdlib

SAFE_KEYS = {"event", "event_info", "event_key", "level", "timestamp", "logger", "exception",
             "action_name", "intent_name", "policy_name", "model", "status", "channel", "input_channel"}


def withhold(_logger, _name, event_dict: dict) -> dict:
    for key, value in list(event_dict.items()):
        if key in SAFE_KEYS or key == "exc_info" or value is None or isinstance(value, (bool, int, float)):
            continue
        event_dict[key] = f"<withheld: {len(str(value))} chars>"
    return event_dict


def frames_only(_logger, _name, event_dict: dict) -> dict:
    exc_info = event_dict.pop("exc_info", None)
    if exc_info:
        if exc_info is True:
            exc_info = sys.exc_info()
        error = exc_info if isinstance(exc_info, BaseException) else exc_info[1]
        if error is not None:
            event_dict["exception"] = failure(error)
    return event_dict


def safe_structlog(configure):
    """rasa's configure_structlog, then its anonymizer and traceback renderer replaced by ours."""

    @functools.wraps(configure)
    def configure_safely(*args, **kwargs):
        import structlog

        configure(*args, **kwargs)
        processors = list(structlog.get_config()["processors"])
        processors = [p for p in processors if p is not structlog.processors.dict_tracebacks
                      and getattr(p, "__name__", "") != "_anonymizer"]
        processors[-1:-1] = [frames_only, withhold]  # just before the renderer
        structlog.configure(processors=processors)

    return configure_safely


def install() -> None:
    install_stdlib()
    from rasa.utils import log_utils

    if not getattr(log_utils.configure_structlog, "__wrapped__", None):
        log_utils.configure_structlog = safe_structlog(log_utils.configure_structlog)
    main = sys.modules.get("rasa.__main__")
    if main is not None and not getattr(main.configure_structlog, "__wrapped__", None):
        main.configure_structlog = log_utils.configure_structlog
