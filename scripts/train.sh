#!/usr/bin/env bash
# Trains the Rasa model only when the training data, domain or config changed.
# Models are keyed by the hash of those files and cached outside the clone; models/current.tar.gz
# points at the one for the checked-out data. A missing or corrupt model is rebuilt.
set -Eeuo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${CSA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/cs-assistant}
cd "$ROOT"
trap 'echo "train: FAILED (see the output above). Run \"make model\" again after fixing it." >&2' ERR

hash=$(find config.yml domain data -type f \( -name '*.yml' -o -name '*.yaml' \) -print0 | sort -z \
        | xargs -0 sha256sum | sha256sum | cut -c1-16)
engine_hash=$(sha256sum engine-requirements.lock | cut -c1-8)
name="model-$hash-$engine_hash"
cached="$CACHE/models/$name.tar.gz"
mkdir -p "$CACHE/models" models

if [ -f "$cached" ] && gzip -t "$cached" 2>/dev/null; then
  echo "==> model: up to date ($name)"
else
  [ -f "$cached" ] && echo "==> model: cached model is corrupt, retraining"
  echo "==> model: training $name (training data, domain or config changed; takes a few minutes)"
  start=$(date +%s)
  tmp=$(mktemp -d)
  # Progress as it happens: each component as it starts, and every 10th epoch of the progress bar
  # (tqdm redraws one line with \r, so split on \r and flush each line).
  PYTHONUNBUFFERED=1 .venv-rasa/bin/rasa train --config config.yml --domain domain --data data \
      --out "$tmp" --fixed-model-name "$name" 2>&1 | stdbuf -oL tr '\r' '\n' | awk '
    /DeprecationWarning|warnings.warn/ { next }
    /Epochs:/ {
      if (match($0, /[0-9]+\/[0-9]+ \[/)) {
        split(substr($0, RSTART, RLENGTH - 2), n, "/")
        if (n[1] > 0 && n[1] % 10 == 0 && n[1] != last) { last = n[1]; printf "    epoch %d of %d\n", n[1], n[2]; fflush() }
      }
      next
    }
    /Starting to train component|Finished training component|Error|Exception/ {
      last = ""; sub(/^.* - /, ""); print "    " $0; fflush()
    }' || true
  [ -f "$tmp/$name.tar.gz" ] || { echo "train: rasa train produced no model" >&2; exit 1; }
  mv "$tmp/$name.tar.gz" "$cached.part" && mv "$cached.part" "$cached"
  rm -rf "$tmp"
  echo "==> model: trained in $(( $(date +%s) - start ))s"
fi
ln -sfn "$cached" models/current.tar.gz
