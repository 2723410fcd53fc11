"""The HTTP API (FastAPI): catalogue look-ups, learner progress, discussion records and administration.

`bot.api.app.create_app()` builds the app; `bot.api.app:app` is the module-level instance for uvicorn.
Every write goes through the same records services (bot/records) the chat bot uses.
"""
