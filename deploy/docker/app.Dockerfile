# The application image: the HTTP API and web chat (the default command) and the action server
# (`python -m rasa_sdk --actions actions --port 5055`, with PORT=5055 for the health check). The
# environment comes from requirements.lock through the same script as `make setup`, so a change
# to either is a change to both. Build from the repository root:
#   docker build -f deploy/docker/app.Dockerfile -t cs-assistant-app .
# No secret is built in: tokens and database URLs come from the environment at run time.
FROM python:3.11.7-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PYTHONPATH=/srv/assistant CSA_CACHE_DIR=/opt/cs-assistant \
    HOME=/home/csa PORT=8000
RUN useradd --uid 10001 --user-group --create-home --home-dir /home/csa csa
WORKDIR /srv/assistant

# The lock file as reviewed: the build stops here if it changed and this hash was not updated
# (tests/deploy/test_images.py checks the hash against the file).
COPY requirements.lock ./
RUN echo "8f959edb3f17b7d9926e63691669424fdd8d7e28d9ed193cfb2ae70fddeaf184  requirements.lock" | sha256sum -c -
COPY scripts/setup.sh scripts/
RUN CSA_ENVS=app bash scripts/setup.sh

COPY bot bot
COPY actions actions
COPY catalogue catalogue
COPY rasa_sdk_plugins rasa_sdk_plugins
COPY domain domain
COPY data data

USER 10001:10001
EXPOSE 8000 5055
# the API and the action server both answer GET /health on their port
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["/srv/assistant/.venv/bin/python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ['PORT'], timeout=4)"]
CMD ["/srv/assistant/.venv/bin/python", "-m", "uvicorn", "bot.api.app:app", "--host", "0.0.0.0", "--port", "8000"]
