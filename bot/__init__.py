"""The assistant's application code, one folder per kind of code (docs/architecture.md):

- domain/   conversation and record logic with no I/O (no SQLAlchemy, Rasa, rasa-sdk or FastAPI)
- records/  persistence only: models, sessions, migrations and the records services
- flows/    one unit of work per chat turn or API request: identity -> records -> domain -> saved
- api/      the FastAPI app: routers, schemas, auth and the web chat
- engine/   code that runs inside the Rasa engine environment (channels, stores, patches)
- launch/   starting and stopping the processes (standard library only)
"""
