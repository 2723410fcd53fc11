"""Records: people, enrolments, unit progress and professional-discussion records (SQLAlchemy 2).

Contract: /work/notes/records.md. Services are plain functions taking a Session; every write
commits at once and adds an AuditEntry. Nothing here imports Rasa.
"""
