"""Regenerate docs/benchmarks.md and docs/plots/*.png.

    .venv/bin/python scripts/make_benchmarks.py --run     # run every benchmark, then write the page
    .venv/bin/python scripts/make_benchmarks.py           # write the page from the last results

--run runs, in order (each bounded in time, loopback only): the load benchmark (ours and the
minimal bot), the fault benchmark, the parser fuzzer, the API fuzzer, the bot fuzzer, a timed
training of our model and the NLU evaluation.

The plots need matplotlib and the API fuzzer schemathesis, benchmark tools that are not in the lock
file: `.venv/bin/pip install matplotlib schemathesis` first. Results are kept in var/bench/*.json (and
results/nlu-summary.json); the page and the plots are made from those files only, so the page
always shows the figures of one set of runs, with the command that produced each.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "var" / "bench"
DOCS = ROOT / "docs"
PLOTS = DOCS / "plots"
PY = str(ROOT / ".venv" / "bin" / "python")
sys.path.insert(0, str(ROOT))

RUNS = [
    ("load", [PY, "scripts/bench_load.py", "--profile", "production", "--levels", "25,50,100,200,300",
              "--level-seconds", "60", "--think", "15", "--out", "var/bench/load.json"]),
    ("faults", [PY, "scripts/bench_faults.py", "--users", "40", "--out", "var/bench/faults.json"]),
    ("fuzz_parsers", [PY, "scripts/fuzz_parsers.py", "--seconds", "180", "--seed", "1", "--out", "var/bench/fuzz_parsers.json"]),
    ("fuzz_api", [PY, "scripts/fuzz_api.py", "--max-examples", "60", "--max-time", "90", "--seed", "1",
                  "--out", "var/bench/fuzz_api.json"]),
    ("fuzz_bot", [PY, "scripts/fuzz_bot.py", "--messages", "10000", "--seed", "1", "--max-minutes", "18",
                  "--out", "var/bench/fuzz_bot.json"]),
]


def run_all() -> None:
    BENCH.mkdir(parents=True, exist_ok=True)
    for name, cmd in RUNS:
        print(f"==> {name}: {' '.join(cmd[1:])}", flush=True)
        subprocess.run(cmd, cwd=ROOT)  # a finding is a result, not a reason to stop
    print("==> training time (ours and the stock bot, empty training cache)", flush=True)
    subprocess.run([PY, "scripts/bench_training.py", "--stock", "--no-eval", "--json", str(BENCH / "training.json")],
                   cwd=ROOT)
    print("==> NLU evaluation", flush=True)
    subprocess.run([PY, "scripts/eval_nlu.py"], cwd=ROOT)


def load_json(name: str) -> dict | None:
    path = BENCH / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


# ---------------------------------------------------------------- plots


def plots(load: dict | None, faults: dict | None) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    PLOTS.mkdir(parents=True, exist_ok=True)
    made = []
    if load and load.get("minimal") and load.get("ours"):
        users = [w["users"] for w in load["ours"]]
        fig, ax = plt.subplots(figsize=(7, 4))
        for kind, style in (("ours", "-"), ("minimal", "--")):
            for q, colour in (("p50", "tab:blue"), ("p95", "tab:orange"), ("p99", "tab:red")):
                ax.plot(users, [w[f"{q}_ms"] for w in load[kind]], style, color=colour, marker="o",
                        label=f"{'ours' if kind == 'ours' else 'minimal bot'} {q}")
        ax.set_xlabel("concurrent users")
        ax.set_ylabel("reply latency (ms)")
        ax.set_yscale("log")
        ax.set_title("Reply latency against concurrent users")
        ax.legend(fontsize=7, ncol=2)
        ax.grid(alpha=0.3)
        fig.tight_layout()
        fig.savefig(PLOTS / "latency_vs_users.png", dpi=110)
        plt.close(fig)
        made.append("latency_vs_users.png")

        fig, ax = plt.subplots(figsize=(7, 4))
        ax.plot(users, [w["messages_per_second"] for w in load["ours"]], "-o", label="ours")
        ax.plot(users, [w["messages_per_second"] for w in load["minimal"]], "--o", label="minimal bot")
        ax.set_xlabel("concurrent users")
        ax.set_ylabel("messages per second")
        ax.set_title("Throughput against concurrent users")
        ax.legend()
        ax.grid(alpha=0.3)
        fig.tight_layout()
        fig.savefig(PLOTS / "throughput_vs_users.png", dpi=110)
        plt.close(fig)
        made.append("throughput_vs_users.png")

        target = min(load["ours"], key=lambda w: abs(w["users"] - 100))
        minimal = next(w for w in load["minimal"] if w["users"] == target["users"])
        fig, ax = plt.subplots(figsize=(7, 4))
        top = max(max(target["latencies_ms"] or [1]), max(minimal["latencies_ms"] or [1]))
        bins = [top * i / 60 for i in range(61)]
        ax.hist(target["latencies_ms"], bins=bins, alpha=0.6, label=f"ours (n={len(target['latencies_ms'])})")
        ax.hist(minimal["latencies_ms"], bins=bins, alpha=0.6, label=f"minimal bot (n={len(minimal['latencies_ms'])})")
        ax.set_xlabel("reply latency (ms)")
        ax.set_ylabel("messages")
        ax.set_title(f"Latency distribution at {target['users']} concurrent users")
        ax.legend()
        fig.tight_layout()
        fig.savefig(PLOTS / "latency_distribution.png", dpi=110)
        plt.close(fig)
        made.append("latency_distribution.png")
    if faults and faults.get("timeline"):
        t = faults["timeline"]
        fig, ax = plt.subplots(figsize=(8, 3.5))
        ax.bar([r[0] for r in t], [r[1] for r in t], width=1.0, color="tab:green", label="answered")
        ax.bar([r[0] for r in t], [r[2] for r in t], bottom=[r[1] for r in t], width=1.0, color="tab:red", label="failed")
        for f in faults["faults"]:
            ax.axvline(f["at"], color="black", lw=0.8)
            ax.text(f["at"], ax.get_ylim()[1] * 0.95, " " + f["fault"], rotation=90, va="top", fontsize=7)
        ax.set_xlabel("seconds into the run")
        ax.set_ylabel("requests per second")
        ax.set_title("Requests during the faults")
        ax.legend(loc="lower right", fontsize=7)
        fig.tight_layout()
        fig.savefig(PLOTS / "faults_timeline.png", dpi=110)
        plt.close(fig)
        made.append("faults_timeline.png")
    return made


# ---------------------------------------------------------------- the page


def fmt(v) -> str:
    return "–" if v is None else (f"{v:,.0f}" if isinstance(v, (int, float)) and abs(v) >= 100 else str(v))


def load_section(load: dict | None) -> list[str]:
    if not load:
        return ["No load results yet: run `scripts/bench_load.py` (or `make_benchmarks.py --run`).", ""]
    m = load["machine"]
    out = [f"Command: `.venv/bin/python {load['command']}` ({load['started']}, {m['cpus']} CPUs, {m['memory_gb']} GB, "
           f"load average at start {m['load_average_at_start'][0]}).", "",
           f"Each level runs fresh users for {load['level_seconds']:.0f} s; every user waits a think time "
           f"(exponential, mean {load['think_seconds']} s, 1-30 s) between messages: reading the reply and typing. "
           f"Ours: the **{load['profile']} profile**, {int(load['assessor_share'] * 100)} % of users assessors running "
           "professional discussions, the rest learners. Minimal bot: the stock `rasa init` moodbot (no custom "
           "actions; Rasa's default pipeline and policies), one `rasa run` with its default in-memory stores. Both "
           "run side by side on the same machine; each level runs on the minimal bot and then at once on ours.", "",
           "The machine is shared: where other work ran at the same time, latencies of both bots rise and fall "
           "together, so compare the two bots level by level rather than across levels.", "",
           "| bot | users | messages | msg/s | p50 ms | p95 ms | p99 ms | errors | machine load |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for kind, label in (("minimal", "minimal"), ("ours", "ours")):
        for w in load.get(kind, []):
            kinds = ", ".join(f"{k} {v}" for k, v in w["error_kinds"].items())
            out.append(f"| {label} | {w['users']} | {w['messages']} | {w['messages_per_second']} | {fmt(w['p50_ms'])} | "
                       f"{fmt(w['p95_ms'])} | {fmt(w['p99_ms'])} | {w['errors']}{' (' + kinds + ')' if kinds else ''} | "
                       f"{w.get('machine_load_average', '–')} |")
    out.append("")
    if load.get("ratio_p95"):
        out += ["Our p95 as a ratio to the minimal bot's (target: at most 1.5, with zero errors):", "",
                "| users | ours p95 ms | minimal p95 ms | ratio |", "|---:|---:|---:|---:|"]
        out += [f"| {r['users']} | {fmt(r['ours_p95_ms'])} | {fmt(r['minimal_p95_ms'])} | **{r['ratio']}** |"
                for r in load["ratio_p95"]]
        at100 = next((r for r in load["ratio_p95"] if r["users"] == 100), None)
        errors = sum(w["errors"] for w in load["ours"])
        if at100:
            met = at100["ratio"] is not None and at100["ratio"] <= 1.5 and errors == 0
            out += ["", f"**Target at 100 users: {'met' if met else 'not met'}** (ratio {at100['ratio']}, "
                    f"{errors} errors from our assistant over all levels). Where the time goes, what was changed "
                    "to get there, and how much the ratio varies from run to run: "
                    "[deployment.md, How far it scales](deployment.md#how-far-it-scales)."]
        out.append("")
    out += ["CPU time per message, in milliseconds, by process (PostgreSQL and Redis: the whole servers, which "
            "other work on the machine may share):", "", "| users | " + " | ".join(load["ours"][0]["cpu_ms_per_message"]) +
            " | minimal bot |", "|---:|" + "---:|" * (len(load["ours"][0]["cpu_ms_per_message"]) + 1)]
    for i, w in enumerate(load["ours"]):
        m = load.get("minimal", [{}] * len(load["ours"]))[i].get("cpu_ms_per_message", {}).get("rasa")
        out.append(f"| {w['users']} | " + " | ".join(str(v) for v in w["cpu_ms_per_message"].values()) + f" | {m} |")
    out.append("")
    last = load["ours"][-1]
    out += ["Memory (resident, MB, each process with its children, at the end of the busiest level):", "",
            "| process | MB |", "|---|---:|"]
    out += [f"| {name} | {mb} |" for name, mb in last["memory_mb"].items()]
    if load.get("minimal"):
        out.append(f"| minimal bot (rasa) | {load['minimal'][-1]['memory_mb'].get('rasa')} |")
    a = load.get("answers", {})
    out += ["", f"Professional-discussion answers the bot confirmed to the simulated assessors: "
            f"**{a.get('confirmed_by_the_bot')}**; found in the database: **{a.get('in_database')}** "
            f"(missing {a.get('missing_count')}, duplicated {a.get('duplicated_count')}).", ""]
    if load.get("minimal_training_seconds"):
        out += [f"Training the minimal bot took {load['minimal_training_seconds']} s (cached afterwards).", ""]
    return out


def faults_section(f: dict | None) -> list[str]:
    if not f:
        return ["No fault results yet: run `scripts/bench_faults.py`.", ""]
    out = [f"Command: `.venv/bin/python {f['command']}`: {f['users']} users on the production profile (2 Rasa "
           f"servers, 2 action servers, HAProxy, PostgreSQL, Redis); {f['total_requests']} requests in all, "
           f"{f['failed_before_any_fault']} failed before the first fault.", "",
           "| fault | requests in its window | failed | said \"please try again\" | unclear (empty, 5xx, timeout) | "
           "service back after | users served again after |", "|---|---:|---:|---:|---:|---:|---:|"]
    for x in f["faults"]:
        out.append(f"| {x['fault']} | {x['requests']} | {x['failed']} | {x['clear_try_again']} | {x['unclear']} | "
                   f"{x['service_back_after_s']} s | {x['users_served_again_after_s']} s |")
    a = f.get("answers", {})
    out += ["", "A request counts against the fault in force when it ended (one in flight when a fault struck is "
            "that fault's). \"Service back\" is from the kill to the restarted process answering its health check "
            "(a supervisor would restart it; the benchmark waits 2 s first); \"users served again\" is from the fault "
            "to the end of the last failed request."]
    out += ["", f"Answers the bot confirmed (\"Saved for 1.2\") during the run: **{a.get('confirmed_by_the_bot')}**, in the database: "
            f"**{a.get('in_database')}**, missing {a.get('missing_count')}, duplicated {a.get('duplicated_count')}.",
            "", "![Requests during the faults](plots/faults_timeline.png)", ""]
    return out


def fuzz_section(parsers, api, botf) -> list[str]:
    out = ["### The bot (REST channel)", ""]
    if botf:
        out += [f"Command: `.venv/bin/python {botf['command']}` ({botf.get('profile')} profile): {botf['sent']} messages "
                f"sent of {botf['planned']} planned; outcomes {botf['outcomes']}; failures {botf['failure_count']}; "
                f"slowest reply {botf['max_latency_s']} s.", "", "| kind | outcomes |", "|---|---|"]
        out += [f"| {k} | {v} |" for k, v in sorted(botf["by_kind"].items())]
        grouped: dict[tuple, int] = {}
        for x in botf["failures"]:
            key = (x["kind"], x["outcome"], x["note"], x["text"][:80])
            grouped[key] = grouped.get(key, 0) + 1
        if grouped:
            out += ["", "Failures, grouped (\"fallback\" = the user got HAProxy's \"please try again\"):", ""]
        for (kind, outcome, note, text), n in sorted(grouped.items(), key=lambda kv: -kv[1])[:15]:
            out.append(f"- {n} × {kind} → {outcome} ({note}): `{text}`")
    else:
        out.append("Not run yet: `scripts/fuzz_bot.py`.")
    out += ["", "### The HTTP API (schemathesis, from the OpenAPI schema)", ""]
    if api:
        out += [f"Command: `.venv/bin/python {api['command']}`; checks: {', '.join(api['checks'])}.", "",
                "| role | exit | summary |", "|---|---:|---|"]
        out += [f"| {r['role']} | {r['exit_code']} | {len(r['failures'])} failing operations |" for r in api["roles"]]
        out.append(f"\nServer errors (500) in the API log: {api['server_500_lines_in_log']}. Findings, by operation "
                   "(ST101 server error, ST103 undocumented status code, ST108 response not as the schema says):\n")
        found: dict[tuple, set] = {}
        for r in api["roles"]:
            for f in r["failures"]:
                for check in f["checks"] or ["(no check named)"]:
                    key = (f["operation"], check.split(" ")[0], "; ".join(f["received_vs_documented"]))
                    found.setdefault(key, set()).add(r["role"])
        out += ["| operation | check | status received vs documented | roles |", "|---|---|---|---|"]
        out += [f"| `{op}` | {check} | {seen} | {', '.join(sorted(roles))} |" for (op, check, seen), roles in sorted(found.items())]
        repro = next((f["reproduce"] for r in api["roles"] for f in r["failures"]
                      if any(c.startswith("ST101") for c in f["checks"])), None)
        if repro:
            out.append(f"\nServer error reproduced by: `{repro}`")
    else:
        out.append("Not run yet: `scripts/fuzz_api.py`.")
    out += ["", "### The specification parsers (mutated sources)", ""]
    if parsers:
        out += [f"Command: `.venv/bin/python scripts/fuzz_parsers.py --seed {parsers['seed']}`: {parsers['cases']} mutated "
                f"copies in {parsers['seconds']} s. A clean SourceError or the original counts is a pass; a crash, a hang "
                "or changed counts is a finding.", "", "| source | clean error | valid, same counts | wrong count | crash | hang |",
                "|---|---:|---:|---:|---:|---:|"]
        for s, c in parsers["by_source"].items():
            out.append(f"| {s} | {c.get('clean_error', 0)} | {c.get('valid', 0)} | {c.get('wrong_count', 0)} | "
                       f"{c.get('crash', 0)} | {c.get('hang', 0)} |")
        out += ["", f"First findings of {len(parsers['findings'])} (a replay prints the mutated lines' outcome):", ""]
        for x in parsers["findings"][:10]:
            out.append(f"- {x['source']} seed {x['seed']}: {x['outcome']} after {', '.join(x['mutations'])} "
                       f"{x.get('diff') or x.get('error', '')} (replay: `--replay {x['source']}:{x['seed']}`)")
    else:
        out.append("Not run yet: `scripts/fuzz_parsers.py`.")
    return out + [""]


def nlu_section() -> list[str]:
    out = []
    training = load_json("training")
    if training:
        from scripts.bench_training import table  # the same table bench_training prints
        out += [f"Training from an empty cache (`.venv/bin/python scripts/bench_training.py --stock --no-eval`, "
                f"{training['when']}, {training['cores']} CPUs; the load average shows the other work running):", "",
                table(training["rows"]), ""]
    summary = ROOT / "results" / "nlu-summary.json"
    if summary.exists():
        data = json.loads(summary.read_text())
        out += ["", "NLU scores (`.venv/bin/python scripts/eval_nlu.py`; all figures in results/nlu-summary.json):", "",
                "| set | measure | value |", "|---|---|---:|"]
        for section, values in data.items():
            if isinstance(values, dict) and section != "training_examples_per_intent":
                for key, value in values.items():
                    if isinstance(value, (int, float)) and not isinstance(value, bool):
                        out.append(f"| {section} | {key.replace('_', ' ')} | {value} |")
    else:
        out.append("NLU scores: run `.venv/bin/python scripts/eval_nlu.py`.")
    return out + [""]


def write_page() -> None:
    load, faults = load_json("load"), load_json("faults")
    made = plots(load, faults)
    lines = ["# Benchmarks", "",
             "Regenerate everything (about 50 minutes on 2 CPUs; loopback only; needs PostgreSQL and Redis on 127.0.0.1, "
             "and `.venv/bin/pip install matplotlib schemathesis`):",
             "", "```sh", ".venv/bin/python scripts/make_benchmarks.py --run", "```", "",
             "or rewrite this page from the last results with `.venv/bin/python scripts/make_benchmarks.py`. "
             "How the deployment works and how far it scales: [deployment.md](deployment.md).", "",
             "## Load", ""]
    lines += load_section(load)
    for name, title in (("latency_vs_users.png", "Latency against users"), ("throughput_vs_users.png", "Throughput"),
                        ("latency_distribution.png", "Latency distribution")):
        if name in made:
            lines += [f"![{title}](plots/{name})", ""]
    lines += ["## Faults", ""] + faults_section(faults)
    lines += ["## Bad input", ""] + fuzz_section(load_json("fuzz_parsers"), load_json("fuzz_api"), load_json("fuzz_bot"))
    lines += ["## Training time and NLU scores", ""] + nlu_section()
    (DOCS / "benchmarks.md").write_text("\n".join(lines))
    print(f"written {DOCS / 'benchmarks.md'} and {len(made)} plots")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--run", action="store_true", help="run every benchmark first")
    args = p.parse_args(argv)
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        print("the plots need matplotlib: .venv/bin/pip install matplotlib schemathesis", file=sys.stderr)
        return 2
    if args.run:
        run_all()
    write_page()
    return 0


if __name__ == "__main__":
    sys.exit(main())
