"""Domain logic with no I/O: learner answers, the discussion interpreter, records as documents
(exports), replies. Imports neither SQLAlchemy, Rasa, rasa-sdk nor FastAPI (tests/test_layout.py)."""
