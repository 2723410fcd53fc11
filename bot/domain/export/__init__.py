"""Exports of one discussion record: `to_pdf`, `to_csv`, `to_json` -> bytes.

Each takes a DiscussionRecord (bot.flows.export.record_of reads one from the records).
"""
from bot.domain.export.pdf import to_pdf
from bot.domain.export.tabular import to_csv, to_json

__all__ = ["to_pdf", "to_csv", "to_json"]

MEDIA_TYPES = {"pdf": "application/pdf", "csv": "text/csv; charset=utf-8", "json": "application/json"}
EXPORTERS = {"pdf": to_pdf, "csv": to_csv, "json": to_json}
