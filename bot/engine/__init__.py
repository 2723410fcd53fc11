"""Code that runs inside the Rasa engine environment (.venv-rasa): channel connectors, tracker and
lock stores, and the Rasa server's entry point (`python -m bot.engine run ...`, see patches.py).

Keep this file import-free: Rasa imports the package while loading credentials.yml and endpoints.yml,
and nothing here may need the application environment."""
