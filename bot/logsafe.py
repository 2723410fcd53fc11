"""Nothing personal in any process's log (issue 14.8): ids, lengths, error types and code
locations, never message text, names or chat account ids. Standard library only: the Rasa
engine, the action server and the API all install it.

`failure(error)` is how an error is logged: its type and the frames it passed through, never its
message (an exception's message may quote what someone typed, or a database row with their name).
`install()` applies the same rule to every log record of the process, whoever logs it (Rasa,
Sanic, uvicorn, rasa-sdk, our own code): a record's exception keeps only its type and frames, and
uvicorn's access log drops query strings (a search may carry a name). What is never logged need
never be erased from logs (docs/security.md, "What is logged").
"""
from __future__ import annotations

import logging
import traceback

_installed = False


def failure(error: BaseException) -> str:
    """An error as the logs may show it: type and frames, not its message."""
    return f"{type(error).__name__} (message withheld)\n" + "".join(traceback.format_tb(error.__traceback__)).rstrip()


def _without_query(path):
    return path.split("?", 1)[0] if isinstance(path, str) else path


def install() -> None:
    """Make every log record of this process follow the rule above (idempotent)."""
    global _installed
    if _installed:
        return
    base = logging.getLogRecordFactory()

    def record(*args, **kwargs) -> logging.LogRecord:
        rec = base(*args, **kwargs)
        if rec.exc_info and rec.exc_info[1] is not None:
            rec.exc_text = failure(rec.exc_info[1])
            rec.exc_info = None
        if rec.name == "uvicorn.access" and isinstance(rec.args, tuple) and len(rec.args) >= 3:
            rec.args = rec.args[:2] + (_without_query(rec.args[2]),) + rec.args[3:]
        return rec

    logging.setLogRecordFactory(record)
    _installed = True
