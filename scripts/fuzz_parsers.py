"""Fuzz the specification parsers with mutated copies of the five source texts.

Each mutated copy must give either a clean SourceError (file, line, reason) or a catalogue whose
counts are those of the unmutated text (units, outcomes and criteria per unit, groups and their
units). Anything else is a finding: a crash (any other exception), a hang (over --parse-timeout),
or a successful parse with different counts (a silently wrong count).

    .venv/bin/python scripts/fuzz_parsers.py --seconds 120 --seed 1 --out var/bench/fuzz_parsers.json

Reproducible: the seed fixes every mutation; each finding lists its seed and mutations, and
`--replay SOURCE:SEED` re-runs one case and prints the mutated lines.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from catalogue.errors import SourceError  # noqa: E402
from catalogue.parsers import SOURCES, SOURCES_DIR, parse_source  # noqa: E402

JUNK = ["", " ", "\t", "\x00", "\x0c", "\ufeff", "<br>", "Page 12 of 80", "1.1", "2", "Unit 999",
        "Learning outcome", "Assessment criteria", "K/506/2155", "LO1", "PC1", "🙂", "Ω" * 40, "x" * 5000]
REFLIKE = re.compile(r"^\s*(?:\d+(?:\.\d+)?\b|[A-Z]/\d{3}/\d{4}|Unit\b|LO\s*\d|PC\s*\d|K&U|Learning outcome|"
                     r"Group|Element|\d+\s*[a-z]\b)", re.I)


class Hang(Exception):
    pass


def signature(doc) -> dict:
    """The counts a parse must keep: per unit (in order) outcomes and criteria; groups and their units."""
    units = [(u.ref, len(u.outcomes), len(u.criteria)) for u in doc.units]
    rules = getattr(doc.qualification, "rules", None) if doc.qualification else None
    groups = [(g.id, len(g.units)) for g in rules.groups] if rules else []
    return {"units": len(units), "outcomes": sum(u[1] for u in units), "criteria": sum(u[2] for u in units),
            "per_unit": [[u[1], u[2]] for u in units], "groups": [g[1] for g in groups]}


def mutate(lines: list[str], rng: random.Random) -> tuple[list[str], list[str]]:
    """1-3 mutations, biased towards structural lines (refs, headings); returns (lines, what was done)."""
    out, done = list(lines), []
    for _ in range(rng.choice((1, 1, 2, 3))):
        if not out:
            break
        structural = [i for i, line in enumerate(out) if REFLIKE.match(line)]
        i = rng.choice(structural) if structural and rng.random() < 0.7 else rng.randrange(len(out))
        op = rng.choice(["truncate", "delete", "delete_block", "duplicate", "swap", "char", "digit",
                         "junk", "move", "crlf", "join", "split", "indent"])
        if op == "truncate":
            cut = rng.randrange(len(out))
            out = out[:cut] + ([out[cut][: rng.randrange(len(out[cut]) + 1)]] if rng.random() < 0.5 else [])
        elif op == "delete":
            del out[i]
        elif op == "delete_block":
            del out[i:i + rng.randint(2, 40)]
        elif op == "duplicate":
            out.insert(i, out[i])
        elif op == "swap" and i + 1 < len(out):
            out[i], out[i + 1] = out[i + 1], out[i]
        elif op == "char" and out[i]:
            j = rng.randrange(len(out[i]))
            out[i] = out[i][:j] + rng.choice(["", "\x00", "\x1b", "\ufffd", "é", "-", ".", " ", "\u2028", "A"]) + out[i][j + 1:]
        elif op == "digit" and re.search(r"\d", out[i]):
            digits = [m.start() for m in re.finditer(r"\d", out[i])]
            j = rng.choice(digits)
            out[i] = out[i][:j] + str(rng.randrange(10)) + out[i][j + 1:]
        elif op == "junk":
            out.insert(i, rng.choice(JUNK))
        elif op == "move":
            line = out.pop(i)
            out.insert(rng.randrange(len(out) + 1), line)
        elif op == "crlf":
            out = [line + "\r" for line in out]
        elif op == "join" and i + 1 < len(out):
            out[i:i + 2] = [out[i] + " " + out[i + 1]]
        elif op == "split" and len(out[i]) > 2:
            j = rng.randrange(1, len(out[i]))
            out[i:i + 1] = [out[i][:j], out[i][j:]]
        elif op == "indent":
            out[i] = "    " + out[i]
        else:
            continue
        done.append(f"{op}@{i + 1}")
    return out, done


def run_case(source: str, original: list[str], seed: int, expected: dict, workdir: Path, timeout: float) -> dict:
    rng = random.Random(f"{source}:{seed}")
    lines, done = mutate(original, rng)
    file, _module = SOURCES[source]
    (workdir / file).write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        doc = parse_source(source, workdir)
    except SourceError as error:
        ok = bool(error.file) and isinstance(error.line, int) and bool(error.reason)
        return {"outcome": "clean_error" if ok else "crash", "mutations": done,
                **({} if ok else {"error": f"SourceError without file/line/reason: {error!r}"})}
    except Hang:
        return {"outcome": "hang", "mutations": done}
    except Exception as error:  # noqa: BLE001 - this is what the fuzzer looks for
        return {"outcome": "crash", "mutations": done, "error": f"{type(error).__name__}: {error}"[:300]}
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    got = signature(doc)
    if got != expected:
        diff = {k: (expected[k], got[k]) for k in ("units", "outcomes", "criteria", "groups") if got[k] != expected[k]}
        return {"outcome": "wrong_count", "mutations": done, "diff": diff or {"per_unit": "differs"}}
    return {"outcome": "valid", "mutations": done}


def fuzz(seconds: float, seed: int, sources: list[str], max_cases: int | None = None,
         timeout: float = 10.0) -> dict:
    def on_alarm(*_):
        raise Hang()

    signal.signal(signal.SIGALRM, on_alarm)
    originals = {s: (SOURCES_DIR / SOURCES[s][0]).read_text(encoding="utf-8").split("\n") for s in sources}
    expected = {s: signature(parse_source(s)) for s in sources}
    results = {s: Counter() for s in sources}
    findings = []
    started, n = time.monotonic(), 0
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        while time.monotonic() - started < seconds and (max_cases is None or n < max_cases):
            source = sources[n % len(sources)]
            case_seed = seed * 1_000_003 + n
            r = run_case(source, originals[source], case_seed, expected[source], workdir, timeout)
            results[source][r["outcome"]] += 1
            if r["outcome"] not in ("clean_error", "valid"):
                findings.append({"source": source, "seed": case_seed, **r})
            n += 1
    return {"seed": seed, "cases": n, "seconds": round(time.monotonic() - started, 1),
            "by_source": {s: dict(c) for s, c in results.items()},
            "totals": dict(sum(results.values(), Counter())), "findings": findings}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--cases", type=int, default=None, help="stop after this many cases")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--sources", default=",".join(SOURCES))
    p.add_argument("--parse-timeout", type=float, default=10.0)
    p.add_argument("--out", type=Path)
    p.add_argument("--replay", help="SOURCE:SEED: show one case's mutations and outcome")
    args = p.parse_args(argv)
    if args.replay:
        source, case_seed = args.replay.split(":")
        original = (SOURCES_DIR / SOURCES[source][0]).read_text(encoding="utf-8").split("\n")
        with tempfile.TemporaryDirectory() as tmp:
            signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(Hang()))
            print(json.dumps(run_case(source, original, int(case_seed), signature(parse_source(source)),
                                      Path(tmp), args.parse_timeout), indent=2))
        return 0
    report = fuzz(args.seconds, args.seed, args.sources.split(","), args.cases, args.parse_timeout)
    text = json.dumps(report, indent=2)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text)
    print(json.dumps({k: report[k] for k in ("seed", "cases", "seconds", "by_source", "totals")}, indent=2))
    for f in report["findings"][:20]:
        print("FINDING", json.dumps(f))
    return 1 if report["findings"] else 0


if __name__ == "__main__":
    sys.exit(main())
