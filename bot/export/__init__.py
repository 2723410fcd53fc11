"""Exports of one discussion record: `to_pdf`, `to_csv`, `to_json` -> bytes.

Each accepts a records-layer Discussion (attached to a session) or a ready DiscussionRecord.
"""
from bot.export.pdf import to_pdf
from bot.export.tabular import to_csv, to_json

__all__ = ["to_pdf", "to_csv", "to_json"]

MEDIA_TYPES = {"pdf": "application/pdf", "csv": "text/csv; charset=utf-8", "json": "application/json"}
EXPORTERS = {"pdf": to_pdf, "csv": to_csv, "json": to_json}
