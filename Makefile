# The two commands a new user needs:  make run   and   make test
# Everything they need (environments, database, trained model) is created on first use.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PY := .venv/bin/python
RASA := .venv-rasa/bin/rasa
export PYTHONPATH := $(CURDIR)
export TF_CPP_MIN_LOG_LEVEL := 2
# endpoints.yml reads these; Rasa commands run from here (validate, test) get harmless values.
export ACTION_SERVER_URL ?= http://127.0.0.1:5055/webhook
export TRACKER_DB ?= $(CURDIR)/var/tracker.db
export ACTION_SERVER_TOKEN ?= not-a-secret-for-offline-rasa-commands

.PHONY: help setup model run shell test validate stories unit channels e2e bench clean

help:
	@echo "make run    start the assistant (action server, Rasa server, API + web chat) on SQLite"
	@echo "make shell  chat with the assistant in this terminal"
	@echo "make test   run the whole test suite (validate, unit, channels, end-to-end)"
	@echo "make model  train the Rasa model if the training data changed"
	@echo "make bench  run the benchmark scripts"

setup:
	@bash scripts/setup.sh

model: setup
	@bash scripts/train.sh

run: model
	@$(PY) -m bot.launch.stack run

shell: model
	@$(PY) -m bot.launch.stack shell

# The whole suite. Each stage stops the run on failure; CI (.ci/run) calls exactly this.
test: model validate stories unit channels e2e
	@echo "==> make test: all stages passed"

validate: setup
	@echo "==> rasa data validate"
	@$(RASA) data validate --config config.yml --domain domain --data data --fail-on-warnings 2>&1 \
	  | grep -vE 'DeprecationWarning|warnings.warn|declare_namespace|pkg_resources' ; exit $${PIPESTATUS[0]}

# Rasa test stories: every conversation's dialogue path, with the trained model (NLU included).
stories: model
	@echo "==> rasa test stories (tests/rasa/test_stories.yml)"
	@mkdir -p results
	@$(RASA) test core --stories tests/rasa/test_stories.yml --model models/current.tar.gz \
	  --out results/stories --fail-on-prediction-errors >results/stories.log 2>&1 \
	  || { grep -vE 'Warning|warn\(' results/stories.log | tail -40; exit 1; }
	@grep -E 'Correct:|Accuracy:' results/stories.log | head -2 | sed 's/.*INFO *rasa.core.test *- */    /'

unit: setup
	@CSA_ENVS=tools bash scripts/setup.sh --production
	@echo "==> unit and integration tests (application environment)"
	@$(PY) -m pytest tests -m "not e2e" --ignore=tests/channels --ignore=tests/engine --ignore=tests/e2e -q

channels: setup
	@echo "==> channel connector and engine tests (Rasa engine environment)"
	@.venv-rasa/bin/python -m pytest tests/channels tests/engine -q -p no:cacheprovider

e2e: model
	@bash scripts/setup.sh --test-tools
	@echo "==> end-to-end tests (trained model, real servers over HTTP, Chromium for the web chat, 2 Rasa + 2 action servers on PostgreSQL and Redis)"
	@$(PY) -m pytest tests/e2e tests/production/test_two_by_two.py -q

bench: model
	@$(PY) scripts/bench_catalogue.py

clean:
	rm -rf var/ models/ .pytest_cache
