"""Benchmark: the refresh beside its floor, in one run.

For each of ``--runs`` rounds, in fresh temporary warehouses:

* **cold**: `cadena refresh --offline --json` in a new warehouse (a separate process, so
  Python, Dagster and dbt start-up count);
* **floor**: the compiled SQL of every dbt SQL model and test of that same build, run in one
  DuckDB connection on a copy of its working file (what the build would cost without dbt's
  per-node overhead; Python models and snapshots are left as built);
* **no-change**: the same refresh again, nothing new;
* **one source changed**: one source's sample payload is altered (a copy of the samples with one
  more World Bank observation) and the refresh republishes: the time from that source's change
  to its publication.

The medians, the node counts and the build/floor ratio go to ``RESULTS.md``.

    uv run python warehouse/benchmarks/bench_refresh.py [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PHASES = ["dagster_start_s", "ingest_s", "dbt_load_s", "dbt_s", "published_warehouse_s"]


def run_refresh(warehouse: Path, *extra: str, env_extra: dict | None = None) -> tuple[float, dict]:
    env = {**os.environ, "CADENA_WAREHOUSE_DIR": str(warehouse), **(env_extra or {})}
    env.pop("DAGSTER_HOME", None)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "orchestration.cli", "refresh", "--offline", "--json", *extra],
                          env=env, capture_output=True, text=True, cwd=REPO)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"refresh failed:\n{proc.stderr[-3000:]}")
    return wall, json.loads(proc.stdout)


def floor(working_db: Path, tmp: Path) -> dict:
    """The compiled SQL of every model and test, run in one connection on a copy of ``working_db``."""
    copy = tmp / "floor.duckdb"
    shutil.copy(working_db, copy)
    target = tmp / "floor_target"
    env = {**os.environ, "CADENA_DB_PATH": str(copy), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    dbt = Path(sys.executable).with_name("dbt")
    subprocess.run([str(dbt), "compile", "--quiet", "--target-path", str(target), "--profiles-dir", "."],
                   cwd=REPO / "dbt_project", env=env, check=True, capture_output=True)
    nodes = json.loads((target / "manifest.json").read_text())["nodes"]
    order, seen = [], set()

    def visit(uid: str) -> None:
        if uid in seen or uid not in nodes:
            return
        seen.add(uid)
        for dep in nodes[uid].get("depends_on", {}).get("nodes", []):
            visit(dep)
        order.append(uid)

    for uid in nodes:
        visit(uid)
    con = duckdb.connect()
    con.execute(f"attach '{copy}' as floor")
    con.execute("use floor")
    t0 = time.perf_counter()
    models = tests = 0
    for uid in order:
        node = nodes[uid]
        if node["resource_type"] == "model" and node.get("language") != "python":
            kind = "view" if node["config"]["materialized"] == "view" else "table"
            con.execute(f"create or replace {kind} {node['relation_name']} as {node['compiled_code']}")
            models += 1
    t1 = time.perf_counter()
    for uid in order:
        node = nodes[uid]
        if node["resource_type"] == "test" and node.get("compiled_code"):
            con.execute(f"select count(*) from ({node['compiled_code']}) t").fetchone()
            tests += 1
    t2 = time.perf_counter()
    counts = {kind: sum(1 for n in nodes.values() if n["resource_type"] == kind)
              for kind in ("model", "test", "seed", "snapshot")}
    return {"floor_s": t2 - t0, "floor_models_s": t1 - t0, "floor_tests_s": t2 - t1, "sql_models": models,
            "tests": tests, "nodes": counts}


HISTORY_MARKER = ("<!-- Below: the history of this benchmark, kept by hand; "
                  "bench_refresh.py rewrites only what is above. -->")


def changed_samples(tmp: Path) -> Path:
    """A copy of the shipped samples with one more World Bank observation (a changed payload)."""
    samples = tmp / "samples"
    shutil.copytree(REPO / "ingestors" / "samples", samples)
    path = samples / "world_bank" / "SP.POP.TOTL.json"
    body = json.loads(path.read_text())
    extra = dict(body[1][0])
    extra["date"], extra["value"] = "1960", 1000.0
    body[1].append(extra)
    body[0]["total"] += 1
    path.write_text(json.dumps(body))
    # and APNIC's IPv6 series for Uruguay measured one more browser on its first day: a source that feeds seven
    # models, against World Bank's eighty
    path = samples / "apnic_ipv6" / "UY.json"
    path.write_text(path.read_text().replace('"seen": 880.5', '"seen": 881.5', 1))
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from orchestration.dbt_manifest import ensure_manifest

    ensure_manifest()
    cold, nochange, one_source, small_source, floors = [], [], [], [], []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        samples = changed_samples(tmp)
        for i in range(args.runs):
            warehouse = tmp / f"cold-{i}"
            wall, report = run_refresh(warehouse)
            cold.append((wall, report["timings"]))
            floors.append(floor(warehouse / "work" / "cadena_work.duckdb", tmp))
            wall, report = run_refresh(warehouse)
            assert not report["built"], "a no-change refresh must not rebuild"
            nochange.append((wall, report["timings"]))
            wall, report = run_refresh(warehouse, "--source", "world_bank",
                                       env_extra={"CADENA_SAMPLES_DIR": str(samples)})
            assert report["published"] and report["build_scope"] == "subset", report
            one_source.append((wall, report["timings"]))
            wall, report = run_refresh(warehouse, "--source", "apnic_ipv6",
                                       env_extra={"CADENA_SAMPLES_DIR": str(samples)})
            assert report["published"] and report["build_scope"] == "subset", report
            small_source.append((wall, report["timings"]))
            print(f"round {i + 1}: cold {cold[-1][0]:.1f}s, floor {floors[-1]['floor_s']:.1f}s, "
                  f"no-change {nochange[-1][0]:.1f}s, one source {one_source[-1][0]:.1f}s, "
                  f"a small source {small_source[-1][0]:.1f}s", file=sys.stderr)

    def med(runs, key=None):
        return statistics.median(w if key is None else t.get(key, 0.0) for w, t in runs)

    floor_s = statistics.median(f["floor_s"] for f in floors)
    nodes = floors[0]["nodes"]
    cold_s = med(cold)
    lines = [
        "# Refresh benchmark",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}; median of {args.runs} rounds; "
        f"load average {os.getloadavg()[0]:.1f} at the end (other work on the machine slows every figure).",
        "Each refresh is a separate `cadena refresh --offline --json` process (start-up included), "
        "with the dbt manifest already prepared. Produced by `warehouse/benchmarks/bench_refresh.py`.",
        "",
        f"dbt project: {nodes['model']} models ({floors[0]['sql_models']} SQL), {nodes['seed']} seeds, "
        f"{nodes['snapshot']} snapshots, {nodes['test']} tests.",
        "",
        "| run | wall (s) | Dagster start | fetch/parse/load | dbt load | dbt build | publish |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, runs in (("cold", cold), ("no-change", nochange), ("one source changed (World Bank)", one_source),
                       ("one small source changed (APNIC IPv6)", small_source)):
        cells = [f"{med(runs, k):.2f}" if any(k in t for _, t in runs) else "-" for k in PHASES]
        lines.append(f"| {name} | {med(runs):.2f} | " + " | ".join(cells) + " |")
    lines += [
        "",
        f"- Floor (the same compiled SQL of every SQL model and test in one DuckDB connection): "
        f"**{floor_s:.2f} s** (models {statistics.median(f['floor_models_s'] for f in floors):.2f} s, "
        f"tests {statistics.median(f['floor_tests_s'] for f in floors):.2f} s).",
        f"- Cold refresh: **{cold_s:.1f} s**, **{cold_s / floor_s:.0f}x** its floor "
        f"(dbt build alone {med(cold, 'dbt_s'):.1f} s, {med(cold, 'dbt_s') / floor_s:.0f}x). "
        "Targets: <= 15 s and <= 10x.",
        f"- One source changed to its publication (target <= 8 s): World Bank, which feeds 80 dbt nodes, "
        f"**{med(one_source):.1f} s**; APNIC IPv6, which feeds 7, **{med(small_source):.1f} s**.",
        f"- No-change: **{med(nochange):.1f} s**.",
        "",
    ]
    results = HERE / "RESULTS.md"
    # the hand-kept history below the marker (earlier runs, what changed between them) survives a new run
    previous = results.read_text() if results.exists() else ""
    history = previous[previous.index(HISTORY_MARKER):] if HISTORY_MARKER in previous else HISTORY_MARKER + "\n"
    results.write_text("\n".join(lines) + "\n" + history)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
