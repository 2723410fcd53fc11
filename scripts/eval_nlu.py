"""Evaluate the NLU: held-out test set (default) or k-fold cross-validation (--cv).

    .venv/bin/python scripts/eval_nlu.py                 # held-out set against models/current.tar.gz
    .venv/bin/python scripts/eval_nlu.py --cv            # 5-fold cross-validation on data/nlu
    .venv/bin/python scripts/eval_nlu.py --min-f1 0.95   # exit 1 if held-out intent macro-F1 is lower
    .venv/bin/python scripts/eval_nlu.py --set tests/nlu/heldout_blind.yml   # the blind second set

Held-out mode runs `rasa test nlu` on tests/nlu/heldout.yml (written independently of the training
data) and on tests/nlu/fallback.yml (keyboard mash that must end in nlu_fallback), and checks that no
held-out message also appears in the training data. It prints intent macro-F1, accuracy, entity
micro-F1 and the worst intents with what they were confused with, and merges its figures into
results/nlu-summary.json (the other mode's section is kept).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
RESULTS = ROOT / "results"
SUMMARY = RESULTS / "nlu-summary.json"
HELDOUT = ROOT / "tests" / "nlu" / "heldout.yml"
FALLBACK = ROOT / "tests" / "nlu" / "fallback.yml"
TRAIN_DIR = ROOT / "data" / "nlu"
AGGREGATES = {"accuracy", "macro avg", "weighted avg", "micro avg"}
NEAR_DUPLICATE = 92  # rapidfuzz ratio at or above which a held-out message counts as a copy


def run_rasa(args: list[str], out: Path) -> float:
    """Run `rasa test nlu ...`; its log goes to out/rasa.log. Returns the wall time in seconds."""
    out.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", PYTHONWARNINGS="ignore")
    cmd = [str(RASA), "test", "nlu", *args, "--domain", str(ROOT / "domain"), "--out", str(out), "--no-plot",
           "--successes"]
    print("$ " + " ".join(str(Path(c).relative_to(ROOT)) if c.startswith(str(ROOT)) else c for c in cmd),
          flush=True)
    start = time.monotonic()
    with open(out / "rasa.log", "w", encoding="utf-8") as log:
        proc = subprocess.run(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    took = time.monotonic() - start
    if proc.returncode != 0:
        tail = (out / "rasa.log").read_text(encoding="utf-8", errors="replace").splitlines()[-30:]
        sys.exit(f"rasa test nlu failed (exit {proc.returncode}); last lines of {out / 'rasa.log'}:\n"
                 + "\n".join(tail))
    return took


def parse_runtime(model: Path, files: list[Path]) -> list[dict]:
    """Predictions as the running bot makes them (scripts/nlu_parse.py in the engine environment)."""
    cmd = [str(ROOT / ".venv-rasa" / "bin" / "python"), str(ROOT / "scripts" / "nlu_parse.py"), str(model),
           *map(str, files)]
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONWARNINGS="ignore")
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit("nlu_parse.py failed:\n" + "\n".join(proc.stderr.splitlines()[-20:]))
    return [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]


def simulate_fallback(rows: list[dict], thresholds=(0.45, 0.5, 0.6, 0.7), ambiguity: float = 0.08) -> dict:
    """What the FallbackClassifier would do at other thresholds, from the runtime rankings:
    right / wrong / gibberish messages that would go to nlu_fallback."""
    table = {}
    for t in thresholds:
        c = {"right": 0, "right_to_fallback": 0, "wrong": 0, "wrong_to_fallback": 0, "gibberish": 0,
             "gibberish_to_fallback": 0}
        for r in rows:
            rank = [x for x in r["ranking"] if x["name"] != "nlu_fallback"]
            top = rank[0]["confidence"] if rank else 0.0
            gap = top - rank[1]["confidence"] if len(rank) > 1 else 1.0
            falls = top < t or gap < ambiguity
            kind = "gibberish" if r["file"] == str(FALLBACK) else ("right" if rank and rank[0]["name"] == r["gold"]
                                                                    else "wrong")
            c[kind] += 1
            c[kind + "_to_fallback"] += falls
        table[str(t)] = c
    return table


# --- reading the reports -------------------------------------------------------------------

def _entity_report(out: Path) -> dict | None:
    for name in ("DIETClassifier_report.json", "CRFEntityExtractor_report.json"):
        if (out / name).exists():
            return json.loads((out / name).read_text(encoding="utf-8"))
    return None


def figures(out: Path) -> dict:
    """Intent macro-F1, accuracy, entity micro-F1 and per-intent figures from rasa's reports."""
    intents = json.loads((out / "intent_report.json").read_text(encoding="utf-8"))
    per_intent = {k: v for k, v in intents.items() if k not in AGGREGATES and isinstance(v, dict)}
    result = {
        "intent_macro_f1": round(intents["macro avg"]["f1-score"], 4),
        "intent_weighted_f1": round(intents["weighted avg"]["f1-score"], 4),
        "intent_accuracy": round(intents.get("accuracy", intents.get("micro avg", {}).get("f1-score", 0.0)), 4),
        "examples": int(intents["macro avg"]["support"]),
        "per_intent": {
            name: {"f1": round(v["f1-score"], 4), "precision": round(v["precision"], 4),
                   "recall": round(v["recall"], 4), "support": int(v["support"]),
                   "confused_with": v.get("confused_with", {})}
            for name, v in sorted(per_intent.items())
        },
    }
    ents = _entity_report(out)
    if ents:
        micro = ents.get("micro avg") or {}
        result["entity_micro_f1"] = round(micro.get("f1-score", ents.get("accuracy", 0.0)), 4)
        result["entity_macro_f1"] = round(ents.get("macro avg", {}).get("f1-score", 0.0), 4)
        result["per_entity"] = {k: {"f1": round(v["f1-score"], 4), "support": int(v["support"])}
                                for k, v in sorted(ents.items()) if k not in AGGREGATES and isinstance(v, dict)}
    return result


def print_figures(title: str, f: dict, worst: int = 6) -> None:
    print(f"\n== {title} ({f['examples']} messages)")
    print(f"intent macro-F1  {f['intent_macro_f1']:.3f}")
    print(f"intent accuracy  {f['intent_accuracy']:.3f}")
    if "entity_micro_f1" in f:
        print(f"entity micro-F1  {f['entity_micro_f1']:.3f}   (macro {f['entity_macro_f1']:.3f}: "
              + ", ".join(f"{k} {v['f1']:.2f}" for k, v in f["per_entity"].items()) + ")")
    ranked = sorted(f["per_intent"].items(), key=lambda kv: (kv[1]["f1"], kv[0]))
    print("worst intents:")
    for name, v in ranked[:worst]:
        conf = ", ".join(f"{k} x{n}" for k, n in sorted(v["confused_with"].items(), key=lambda kv: -kv[1]))
        print(f"  {name:24s} F1 {v['f1']:.3f}  P {v['precision']:.2f} R {v['recall']:.2f}  n={v['support']}"
              + (f"  confused with: {conf}" if conf else ""))


def misclassified(out: Path, limit: int = 25) -> list[dict]:
    path = out / "intent_errors.json"
    if not path.exists():
        return []
    errors = json.loads(path.read_text(encoding="utf-8"))
    return [{"text": e["text"], "intent": e["intent"], "predicted": (e.get("intent_prediction") or {}).get("name"),
             "confidence": round((e.get("intent_prediction") or {}).get("confidence") or 0.0, 3)}
            for e in errors[:limit]]


def threshold_table(out: Path, thresholds=(0.45, 0.5, 0.6, 0.7, 0.8)) -> dict:
    """How many right and wrong predictions have a top confidence below each fallback threshold
    (rasa test nlu reports the top intent with the fallback undone, so this shows the trade-off)."""
    rows = []
    for name, right in (("intent_successes.json", True), ("intent_errors.json", False)):
        if (out / name).exists():
            rows += [(right, (p.get("intent_prediction") or {}).get("confidence") or 0.0)
                     for p in json.loads((out / name).read_text(encoding="utf-8"))]
    table = {}
    for t in thresholds:
        table[str(t)] = {"right_below": sum(1 for r, c in rows if r and c < t),
                         "wrong_below": sum(1 for r, c in rows if not r and c < t)}
    right, wrong = sum(1 for r, _ in rows if r), sum(1 for r, _ in rows if not r)
    print(f"fallback threshold trade-off ({right} right, {wrong} wrong): "
          + "; ".join(f"<{t}: {v['right_below']} right, {v['wrong_below']} wrong" for t, v in table.items()))
    return table


# --- training data vs held-out overlap ------------------------------------------------------

_ANNOT = re.compile(r"\[([^\]]+)\]\((?:[^)]+)\)|\[([^\]]+)\]\{[^}]*\}")


def examples(path: Path) -> list[tuple[str, str]]:
    """(intent, plain text) pairs of one Rasa NLU YAML file (annotations stripped)."""
    pairs, intent = [], None
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\s*- (intent|lookup|regex|synonym):\s*(\S+)", line)
        if m:
            intent = m.group(2) if m.group(1) == "intent" else None
            continue
        m = re.match(r"\s{6}- (.*)$", line)
        if m and intent:
            pairs.append((intent, _ANNOT.sub(lambda a: a.group(1) or a.group(2), m.group(1))))
    return pairs


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w/&.]+", " ", text.lower()).split())


def overlap(heldout_file: Path) -> dict:
    from rapidfuzz import fuzz, process

    train = [t for f in sorted(TRAIN_DIR.glob("*.yml")) for _, t in examples(f)]
    train_norm = [_norm(t) for t in train]
    exact, near = [], []
    for _, text in examples(heldout_file):
        n = _norm(text)
        if n in train_norm:
            exact.append(text)
            continue
        hit = process.extractOne(n, train_norm, scorer=fuzz.ratio, score_cutoff=NEAR_DUPLICATE)
        if hit and len(n) > 12:
            near.append({"heldout": text, "training": train[hit[2]], "ratio": round(hit[1], 1)})
    return {"training_examples": len(train), "exact_copies": exact, "near_copies": near}


def training_counts() -> dict[str, dict[str, int]]:
    """Examples per intent: hand-written, and generated unit-title variants."""
    counts: dict[str, dict[str, int]] = {}
    for f in sorted(TRAIN_DIR.glob("*.yml")):
        kind = "generated" if f.name.startswith("generated_") else "hand_written"
        for intent, _ in examples(f):
            c = counts.setdefault(intent, {"hand_written": 0, "generated": 0})
            c[kind] += 1
    return dict(sorted(counts.items()))


# --- modes ---------------------------------------------------------------------------------

def heldout(model: Path, test_file: Path, out: Path | None = None) -> dict:
    if not model.exists():
        sys.exit(f"no model at {model}: run `bash scripts/train.sh` first")
    ov = overlap(test_file)
    print(f"training examples {ov['training_examples']}; held-out copies of training lines: "
          f"{len(ov['exact_copies'])} exact, {len(ov['near_copies'])} near (ratio >= {NEAR_DUPLICATE})")
    for t in ov["exact_copies"]:
        print(f"  EXACT COPY: {t!r}")
    for n in ov["near_copies"]:
        print(f"  near copy ({n['ratio']}): {n['heldout']!r} ~ {n['training']!r}")

    out = out or RESULTS / ("nlu-" + test_file.stem.replace("_", "-"))
    took = run_rasa(["--nlu", str(test_file), "--model", str(model)], out)
    f = figures(out)
    f["errors"] = misclassified(out, limit=60)
    f["seconds"] = round(took, 1)
    print_figures(f"held-out set {test_file.relative_to(ROOT)}", f)
    f["thresholds"] = threshold_table(out)
    if f["errors"]:
        print("misclassified:")
        for e in f["errors"]:
            print(f"  {e['intent']:22s} -> {e['predicted']} ({e['confidence']:.2f}): {e['text']}")

    # `rasa test nlu` undoes fallback predictions, so the runtime behaviour (nlu_fallback below the
    # FallbackClassifier thresholds) is measured by parsing with the model as the bot does.
    runtime = parse_runtime(model, [test_file, FALLBACK])
    (out / "runtime.jsonl").write_text("".join(json.dumps(r) + "\n" for r in runtime), encoding="utf-8")
    gib = [r for r in runtime if r["file"] == str(FALLBACK)]
    held = [r for r in runtime if r["file"] == str(test_file)]
    wrong = [{"text": r["text"], "predicted": r["predicted"], "confidence": r["confidence"]}
             for r in gib if r["predicted"] != "nlu_fallback"]
    f["fallback"] = {"messages": len(gib), "to_nlu_fallback": len(gib) - len(wrong),
                     "rate": round((len(gib) - len(wrong)) / len(gib), 4) if gib else None,
                     "confident_intents": wrong}
    fell = [r for r in held if r["predicted"] == "nlu_fallback"]
    f["runtime"] = {"accuracy": round(sum(r["predicted"] == r["gold"] for r in held) / len(held), 4),
                    "to_nlu_fallback": len(fell),
                    "fallback_top_correct": sum(r["ranking"][1]["name"] == r["gold"] for r in fell
                                                if len(r["ranking"]) > 1)}
    print(f"\n== as the bot runs it (FallbackClassifier on): held-out accuracy {f['runtime']['accuracy']:.3f}, "
          f"{len(fell)} held-out messages go to nlu_fallback ({f['runtime']['fallback_top_correct']} of them "
          f"with the right intent first in 'did you mean')")
    f["fallback_simulation"] = simulate_fallback(runtime)
    print("FallbackClassifier threshold simulation (held-out right / wrong / gibberish sent to nlu_fallback): "
          + "; ".join(f"{t}: {c['right_to_fallback']}/{c['right']}, {c['wrong_to_fallback']}/{c['wrong']}, "
                      f"{c['gibberish_to_fallback']}/{c['gibberish']}" for t, c in f["fallback_simulation"].items()))
    print(f"== gibberish tests/nlu/fallback.yml: {len(gib) - len(wrong)}/{len(gib)} end in nlu_fallback")
    for e in wrong:
        print(f"  {e['text']!r} -> {e['predicted']} ({e['confidence']:.2f})")
    f["overlap"] = {"exact": len(ov["exact_copies"]), "near": len(ov["near_copies"])}
    f["model"] = os.path.realpath(model)
    return f


def cross_validation(folds: int) -> dict:
    """k-fold CV on the hand-written data and the lookups. The generated unit-title variants are left
    out: a variant in a test fold would share its phrasing with its original in the training folds."""
    out = RESULTS / "nlu-cv"
    with tempfile.TemporaryDirectory() as tmp:
        for f in TRAIN_DIR.glob("*.yml"):
            if not f.name.startswith("generated_"):
                shutil.copy(f, tmp)
        took = run_rasa(["--nlu", tmp, "--config", str(ROOT / "config.yml"),
                         "--cross-validation", "--folds", str(folds)], out)
    f = figures(out)
    f["folds"] = folds
    f["seconds"] = round(took, 1)
    f["errors"] = misclassified(out, limit=40)
    print_figures(f"{folds}-fold cross-validation on data/nlu (test folds)", f)
    f["thresholds"] = threshold_table(out)
    return f


def main() -> int:
    ap = argparse.ArgumentParser(description="Evaluate the Rasa NLU (held-out set or cross-validation).")
    ap.add_argument("--cv", action="store_true", help="k-fold cross-validation on the training data instead")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--model", type=Path, default=ROOT / "models" / "current.tar.gz")
    ap.add_argument("--set", type=Path, default=HELDOUT, dest="test_file",
                    help="held-out file (default tests/nlu/heldout.yml; tests/nlu/heldout_blind.yml is the blind set)")
    ap.add_argument("--min-f1", type=float, default=None,
                    help="exit 1 if the intent macro-F1 is below this (held-out or CV)")
    args = ap.parse_args()

    summary = json.loads(SUMMARY.read_text(encoding="utf-8")) if SUMMARY.exists() else {}
    summary["training_examples_per_intent"] = training_counts()
    test_file = args.test_file.resolve()
    key = "cv" if args.cv else test_file.stem
    summary[key] = cross_validation(args.folds) if args.cv else heldout(args.model, test_file)
    summary[key]["when"] = time.strftime("%Y-%m-%d %H:%M:%S")
    RESULTS.mkdir(exist_ok=True)
    SUMMARY.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nsummary written to {SUMMARY.relative_to(ROOT)}")
    if args.min_f1 is not None and summary[key]["intent_macro_f1"] < args.min_f1:
        print(f"FAIL: intent macro-F1 {summary[key]['intent_macro_f1']:.3f} < {args.min_f1}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
