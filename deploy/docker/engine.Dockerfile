# The Rasa engine image: one Rasa 3.6 server with the trained model. The environment comes from
# engine-requirements.lock and the model from the training data, through the same scripts as
# `make setup` and `make model`, so a change to either is a change to both. Build from the repository root:
#   docker build -f deploy/docker/engine.Dockerfile -t cs-assistant-engine .
# No secret is built in: the action-server token, database URLs and channel keys come from the
# environment at run time (deploy/kubernetes, docs/deployment.md).
FROM python:3.11.7-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PYTHONPATH=/srv/assistant TF_CPP_MIN_LOG_LEVEL=2 \
    RASA_TELEMETRY_ENABLED=false CSA_CACHE_DIR=/opt/cs-assistant HOME=/home/csa
RUN useradd --uid 10001 --user-group --create-home --home-dir /home/csa csa
WORKDIR /srv/assistant

# The lock file as reviewed: the build stops here if it changed and this hash was not updated
# (tests/deploy/test_images.py checks the hash against the file).
COPY engine-requirements.lock ./
RUN echo "448004522c27f998967311db06999adbf55ad5c7d0b6a80de3d4e66bae55eaa5  engine-requirements.lock" | sha256sum -c -
COPY scripts/setup.sh scripts/train.sh scripts/
RUN CSA_ENVS=engine bash scripts/setup.sh

# The model, trained in the image from the data it ships with (scripts/train.sh, as `make model`)
COPY config.yml ./
COPY domain domain
COPY data data
RUN bash scripts/train.sh && test -s models/current.tar.gz

COPY bot/__init__.py bot/
COPY bot/engine bot/engine
COPY credentials.yml endpoints.yml endpoints.production.yml ./

USER 10001:10001
EXPOSE 5005
# Rasa answers GET / once the model is loaded (about a minute)
HEALTHCHECK --interval=15s --timeout=5s --start-period=180s --retries=3 \
    CMD ["/srv/assistant/.venv-rasa/bin/python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:5005/', timeout=4)"]
ENTRYPOINT ["/srv/assistant/.venv-rasa/bin/python", "-m", "bot.engine"]
CMD ["run", "--model", "models/current.tar.gz", "--port", "5005", "--interface", "0.0.0.0", \
     "--endpoints", "endpoints.production.yml", "--credentials", "credentials.yml"]
