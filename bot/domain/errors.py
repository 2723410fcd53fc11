"""Domain errors of the records layer.

Each carries a message written for the person at the keyboard (assessor, learner or admin),
so the API and the chat can show `str(error)` as it is. `status` is the HTTP status the API maps it to.
"""
from __future__ import annotations


class RecordsError(Exception):
    status = 400

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


class NotFound(RecordsError):
    """An unknown learner, assessor, unit, criterion or discussion."""

    status = 404


class Forbidden(RecordsError):
    """The person may not do this (wrong role, not their discussion)."""

    status = 403


class Conflict(RecordsError):
    """The record's state does not allow this now (signed, not yet signed, already signed)."""

    status = 409


class Invalid(RecordsError):
    """The input itself is unusable (empty, too long, unknown status)."""

    status = 422
