"""Measure model training: wall time from an empty cache, and what the trained model scores.

    .venv/bin/python scripts/bench_training.py                          # config.yml, held-out NLU F1
    .venv/bin/python scripts/bench_training.py --config config.yml other.yml --stock --answers
    .venv/bin/python scripts/bench_training.py --config config.yml --warm --split

For each configuration it trains `rasa train` on this repository's domain and data into a temporary
directory with an empty Rasa training cache (RASA_CACHE_DIRECTORY), timing the wall clock and the CPU
seconds of the training process, and sampling the machine's load average while it runs (the machine may
be shared, so compare configurations measured in the same run). Then it scores the model: intent
macro-F1 on the held-out NLU sets (scripts/eval_nlu.py) and, with --answers, the held-out answer
evaluation (scripts/eval_answers.py --start --model ...). Options:
  --stock   also train the stock `rasa init` project (moodbot) the same way, as the yardstick
  --warm    also retrain with the training cache kept: after one NLU example is added, and unchanged
  --split   also time `rasa train nlu` and `rasa train core` alone (what each part costs)
  --skip-validation  train with `rasa train --skip-validation` (the data check `make validate` runs)
  --rounds  measure everything N times, alternating the order of the configurations
Writes results/bench-training.json and prints a Markdown table for docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts import eval_answers, eval_nlu  # noqa: E402

RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
STOCK = ROOT / ".venv-rasa" / "lib" / "python3.11" / "site-packages" / "rasa" / "cli" / "initial_project"
HELDOUT_SETS = (eval_nlu.HELDOUT, ROOT / "tests" / "nlu" / "heldout_blind.yml")
OUT = ROOT / "results" / "bench-training.json"


def log(*parts) -> None:
    print(time.strftime("%H:%M:%S"), *parts, file=sys.stderr, flush=True)


class LoadSampler(threading.Thread):
    """The 1-minute load average every 2 s while a training runs (others' work on a shared machine)."""

    def __init__(self):
        super().__init__(daemon=True)
        self.samples: list[float] = []
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(2.0):
            self.samples.append(os.getloadavg()[0])

    def stop(self) -> dict:
        self._done.set()
        self.join()
        s = self.samples or [os.getloadavg()[0]]
        return {"load_mean": round(statistics.mean(s), 2), "load_max": round(max(s), 2)}


def timed_rasa(args: list[str], cwd: Path, cache: Path, log_file: Path) -> dict:
    """Run one `rasa ...` command; wall seconds, CPU seconds of the process tree, load while it ran."""
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", PYTHONWARNINGS="ignore", RASA_CACHE_DIRECTORY=str(cache),
               RASA_TELEMETRY_ENABLED="false")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    sampler = LoadSampler()
    sampler.start()
    start = time.monotonic()
    with open(log_file, "w", encoding="utf-8") as out:
        proc = subprocess.run([str(RASA), *args], cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    wall = time.monotonic() - start
    load = sampler.stop()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        tail = log_file.read_text(encoding="utf-8", errors="replace").splitlines()[-25:]
        sys.exit(f"rasa {' '.join(args[:2])} failed (exit {proc.returncode}):\n" + "\n".join(tail))
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"seconds": round(wall, 1), "cpu_seconds": round(cpu, 1), **load}


def train(config: Path, domain: Path, data: Path, work: Path, cache: Path, name: str, kind: str = "",
          extra: tuple[str, ...] = ()) -> dict:
    """`rasa train [nlu|core]` into work/, with the given cache directory."""
    sub = [kind, *extra] if kind else list(extra)
    paths = {"": ["--domain", str(domain), "--data", str(data)],
             "nlu": ["--nlu", str(data)],
             "core": ["--domain", str(domain), "--stories", str(data)]}[kind]
    args = ["train", *sub, "--config", str(config), *paths, "--out", str(work), "--fixed-model-name", name]
    result = timed_rasa(args, cwd=work, cache=cache, log_file=work / f"{name}.log")
    result["model"] = work / f"{name}.tar.gz"
    return result


def nlu_scores(model: Path, work: Path) -> dict:
    """Intent macro-F1 (and runtime accuracy) on each held-out set, through scripts/eval_nlu.py."""
    scores = {}
    for test_file in HELDOUT_SETS:
        with contextlib.redirect_stdout(sys.stderr):  # its report is progress here; the table goes to stdout
            f = eval_nlu.heldout(model, test_file, out=work / f"nlu-{test_file.stem}")
        scores[test_file.stem] = {"intent_macro_f1": f["intent_macro_f1"], "intent_accuracy": f["intent_accuracy"],
                                  "runtime_accuracy": f["runtime"]["accuracy"],
                                  "gibberish_to_fallback": f["fallback"]["rate"]}
    return scores


def answer_scores(model: Path, work: Path, workers: int) -> dict:
    out = work / "answers.json"
    with contextlib.redirect_stdout(sys.stderr):
        code = eval_answers.main(["--start", "--workers", str(workers), "--model", str(model), "--json", str(out)])
    if code != 0:
        sys.exit(f"the answer evaluation could not run (exit {code})")
    results = json.loads(out.read_text(encoding="utf-8"))["results"]
    return {"passed": sum(r["passed"] for r in results), "total": len(results)}


def one_config(config: Path, args, round_no: int) -> dict:
    work = Path(tempfile.mkdtemp(prefix="bench-training-"))
    try:
        log(f"round {round_no}: training {config.name} (empty cache)")
        extra = ("--skip-validation",) if args.skip_validation else ()
        row = {"config": str(config) + (" --skip-validation" if extra else ""), "round": round_no}
        row["cold"] = train(config, ROOT / "domain", ROOT / "data", work, work / "cache", "cold", extra=extra)
        log(f"  {config.name}: {row['cold']['seconds']} s wall, {row['cold']['cpu_seconds']} s CPU, "
            f"load {row['cold']['load_mean']}")
        if args.warm:
            data = work / "data"
            shutil.copytree(ROOT / "data", data)
            (data / "nlu" / "zz_bench_extra.yml").write_text(
                'version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hello there, bench\n', encoding="utf-8")
            row["warm_nlu_changed"] = train(config, ROOT / "domain", data, work, work / "cache", "warm-nlu")
            row["warm_unchanged"] = train(config, ROOT / "domain", data, work, work / "cache", "warm-same")
            log(f"  warm: NLU changed {row['warm_nlu_changed']['seconds']} s, unchanged "
                f"{row['warm_unchanged']['seconds']} s")
        if args.split:
            row["nlu_only"] = train(config, ROOT / "domain", ROOT / "data", work, work / "cache-nlu", "nlu", "nlu")
            row["core_only"] = train(config, ROOT / "domain", ROOT / "data", work, work / "cache-core", "core", "core")
            log(f"  split: nlu {row['nlu_only']['seconds']} s, core {row['core_only']['seconds']} s")
        if not args.no_eval:
            row["nlu"] = nlu_scores(row["cold"]["model"], work)
            if args.answers:
                row["answers"] = answer_scores(row["cold"]["model"], work, args.workers)
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            shutil.copy(row["cold"]["model"], args.keep / f"{config.stem}-r{round_no}.tar.gz")
        for part in ("cold", "warm_nlu_changed", "warm_unchanged", "nlu_only", "core_only"):
            if part in row:
                row[part].pop("model", None)
        return row
    finally:
        shutil.rmtree(work, ignore_errors=True)


def stock(round_no: int) -> dict:
    """The stock `rasa init` project, trained the same way (a copy of Rasa's bundled template)."""
    work = Path(tempfile.mkdtemp(prefix="bench-training-stock-"))
    try:
        project = work / "moodbot"
        shutil.copytree(STOCK, project, ignore=shutil.ignore_patterns("__pycache__", "tests"))
        log(f"round {round_no}: training the stock rasa init bot (empty cache)")
        row = {"config": "stock rasa init (moodbot)", "round": round_no}
        row["cold"] = train(project / "config.yml", project / "domain.yml", project / "data", work, work / "cache",
                            "stock")
        row["cold"].pop("model")
        log(f"  stock: {row['cold']['seconds']} s wall, load {row['cold']['load_mean']}")
        return row
    finally:
        shutil.rmtree(work, ignore_errors=True)


def table(rows: list[dict]) -> str:
    lines = ["| configuration | round | training wall s (CPU s) | load during | F1 heldout | F1 blind | answers |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        c = r["cold"]
        nlu = r.get("nlu", {})
        f1 = [f"{nlu[k]['intent_macro_f1']:.3f}" if k in nlu else "-" for k in ("heldout", "heldout_blind")]
        ans = f"{r['answers']['passed']}/{r['answers']['total']}" if "answers" in r else "-"
        lines.append(f"| {Path(r['config']).name} | {r['round']} | {c['seconds']} ({c['cpu_seconds']}) | "
                     f"{c['load_mean']} (max {c['load_max']}) | {f1[0]} | {f1[1]} | {ans} |")
        for part in ("warm_nlu_changed", "warm_unchanged", "nlu_only", "core_only"):
            if part in r:
                p = r[part]
                lines.append(f"| &nbsp;&nbsp;{part.replace('_', ' ')} | {r['round']} | {p['seconds']} "
                             f"({p['cpu_seconds']}) | {p['load_mean']} | | | |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--config", nargs="+", type=Path, default=[ROOT / "config.yml"])
    ap.add_argument("--stock", action="store_true", help="also train the stock rasa init bot")
    ap.add_argument("--answers", action="store_true", help="also run the held-out answer evaluation")
    ap.add_argument("--workers", type=int, default=2, help="answer evaluation workers")
    ap.add_argument("--warm", action="store_true", help="also retrain with Rasa's training cache kept")
    ap.add_argument("--split", action="store_true", help="also time rasa train nlu / core alone")
    ap.add_argument("--skip-validation", action="store_true",
                    help="train with rasa's --skip-validation (make validate checks the data separately)")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--no-eval", action="store_true", help="time the training only")
    ap.add_argument("--keep", type=Path, help="copy each trained model into this directory")
    ap.add_argument("--json", type=Path, default=OUT)
    args = ap.parse_args(argv)

    configs = [c.resolve() for c in args.config]
    for c in configs:
        if not c.is_file():
            ap.error(f"no such configuration file: {c}")
    rows = []
    for n in range(1, args.rounds + 1):
        order = configs if n % 2 else configs[::-1]
        if args.stock:
            rows.append(stock(n))
        rows.extend(one_config(c, args, n) for c in order)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"when": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "cores": os.cpu_count(),
                                     "rows": rows}, indent=1) + "\n", encoding="utf-8")
    print(table(rows))
    print(f"\nDetails: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
