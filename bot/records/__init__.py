"""Records: people, enrolments, unit progress and professional-discussion records (SQLAlchemy 2).

Services are plain functions taking a Session; every change runs in a savepoint of the caller's
transaction (db.write) and adds an AuditEntry. The unit of work commits once: a chat turn in
db.transaction(), an API request in its session dependency (bot/api/auth.py). Nothing here imports Rasa.
"""
