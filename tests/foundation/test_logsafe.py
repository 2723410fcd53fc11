"""bot/logsafe.py (#14.8): once installed, no log record of the process carries an exception's
message (it may quote what someone typed) or a query string in uvicorn's access log."""
from __future__ import annotations

import logging

from bot import logsafe


def formatted(logger_name: str, emit) -> str:
    logsafe.install()
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    logger = logging.getLogger(logger_name)
    handler, level = Keep(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        emit(logger)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    return "\n".join(logging.Formatter("%(message)s").format(r) for r in records)


def test_an_exception_is_logged_without_its_message():
    said = "I shouted at Mrs Okafor, said Sam Patel"  # kept off the raising line: frames show source lines

    def emit(logger):
        try:
            raise ValueError(f"could not store {said!r}")
        except ValueError:
            logger.exception("answer not stored")

    text = formatted("tests.logsafe", emit)
    assert "answer not stored" in text and "ValueError (message withheld)" in text
    assert "test_logsafe.py" in text  # the frames stay: where it failed
    assert "Okafor" not in text and "Sam Patel" not in text and "shouted" not in text


def test_failure_names_type_and_frames_only():
    name = "Priya Shah"
    try:
        raise KeyError(name)
    except KeyError as error:
        text = logsafe.failure(error)
    assert text.startswith("KeyError (message withheld)") and "Priya" not in text


def test_uvicorn_access_log_drops_query_strings():
    def emit(logger):
        logger.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", "/api/search?q=Sam+Patel", "1.1", 200)

    text = formatted("uvicorn.access", emit)
    assert '"GET /api/search HTTP/1.1" 200' in text and "Sam" not in text
