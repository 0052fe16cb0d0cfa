"""Benchmark: cold offline refresh vs. no-change refresh.

Each run is a separate `cadena refresh --offline --json` process (so Python and
Dagster start-up count), in a fresh temporary warehouse for cold runs and in an
already built one for no-change runs. The dbt manifest is prepared once before
timing, as a deployment would. Results (median of --runs) go to RESULTS.md.

    uv run python warehouse/benchmarks/bench_refresh.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
PHASES = ["dagster_start_s", "ingest_s", "dbt_load_s", "dbt_s", "published_warehouse_s"]


def run_refresh(warehouse: Path, *extra: str) -> tuple[float, dict]:
    env = {**os.environ, "CADENA_WAREHOUSE_DIR": str(warehouse)}
    env.pop("DAGSTER_HOME", None)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "orchestration.cli", "refresh", "--offline", "--json", *extra],
                          env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"refresh failed:\n{proc.stderr[-3000:]}")
    return wall, json.loads(proc.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from orchestration.dbt_manifest import ensure_manifest

    ensure_manifest()
    cold, nochange = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.runs):
            wall, report = run_refresh(Path(tmp) / f"cold-{i}")
            cold.append((wall, report["timings"]))
            print(f"cold {i + 1}: {wall:.2f}s", file=sys.stderr)
        built = Path(tmp) / "cold-0"
        for i in range(args.runs):
            wall, report = run_refresh(built)
            assert not report["built"], "a no-change refresh must not rebuild"
            nochange.append((wall, report["timings"]))
            print(f"no-change {i + 1}: {wall:.2f}s", file=sys.stderr)

    def med(runs, key=None):
        values = [w if key is None else t.get(key, 0.0) for w, t in runs]
        return statistics.median(values)

    cold_s, nochange_s = med(cold), med(nochange)
    lines = [
        "# Refresh benchmark",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}; median of {args.runs} runs each.",
        "Each run is a separate `cadena refresh --offline --json` process (start-up included), "
        "with the dbt manifest already prepared. Produced by `warehouse/benchmarks/bench_refresh.py`.",
        "",
        "| run | wall (s) | Dagster start | fetch/parse/load | dbt load | dbt build | publish |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, runs in (("cold", cold), ("no-change", nochange)):
        cells = [f"{med(runs, k):.2f}" if any(k in t for _, t in runs) else "-" for k in PHASES]
        lines.append(f"| {name} | {med(runs):.2f} | " + " | ".join(cells) + " |")
    lines += [
        "",
        f"- Cold: **{cold_s:.1f} s** (goal <= 30 s).",
        f"- No-change: **{nochange_s:.1f} s**, {100 * nochange_s / cold_s:.0f} % of cold (goal <= 25 %).",
        "- A no-change refresh fetches (offline: reads) every source, recognises identical payloads by "
        "their content hash, and skips dbt and the publication entirely.",
        "",
    ]
    (HERE / "RESULTS.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
