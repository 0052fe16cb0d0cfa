"""Benchmark at scale: the raw tables at 10x and 100x their live sizes, the build beside its floor.

One command measures every factor and writes ``RESULTS_SCALE.md`` (after each factor, so a run cut short
still leaves the factors it finished, and a factor that fails gets a row saying where):

    uv run python warehouse/benchmarks/bench_scale.py --factor 10 --factor 100 [--timeout 5400]

For each factor, in a temporary warehouse grown from one offline refresh (``scale_data.py`` says how the
synthetic rows are made and which tables are bounded):

* **raw**: rows of the grown raw tables, the working file's size, and how long generating took;
* **build**: ``dbt build`` on that file, wall time, and peak memory (the resident memory of the dbt process
  and its children, summed, sampled every 0.2 s from /proc); the slowest nodes, from dbt's own per-node times;
* **floor**: the compiled SQL of every SQL model and test run in one DuckDB connection on a copy of the built
  file (bench_refresh.py's ``floor``; Python models are left as built, so the build/floor ratio counts the
  Python models' whole time against the build: the table also gives the ratio with them added to the floor);
* **publish**: ``ingestors.core.publish.publish`` of the built file (the database, the exports, the market map);
* **dashboard**: every query the dashboard's pages run (captured by running each page script in Streamlit's
  bare mode against the publication), each run ``--runs`` times (or as many rounds as fit in four minutes, at
  least 3) as the app runs it on a cache miss: a new in-memory DuckDB, the published file attached read-only,
  the query, the result as a DataFrame; and again on one open connection (the query alone). p50/p95 are over
  all those timings.

"Python models (s)" sums the six Python models' own times; dbt runs two nodes at once, so the build can take
less than the floor plus that sum (which is what running the SQL and the Python one after another would cost).

``--raw-only F`` generates factor F without building it (rows and size only), for a factor whose build does not
fit the time; ``--timeout`` stops a build and records how far it got.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))

from bench_refresh import floor, run_refresh  # noqa: E402
from scale_data import GRIDS, scale_raw  # noqa: E402

# "12 of 459 OK created sql table model main.fct_x ..... [OK in 0.30s]", "13 of 459 FAIL 2 test_y .. [FAIL 2 in 0.1s]"
DBT_DONE = re.compile(r"\d+ of \d+ (OK|PASS|ERROR|FAIL|WARN)\S*(?: \d+)?\s+(.*?)[\s.]*\[(\w+)(?: \d+)? in ([\d.]+)s\]")
DBT_START = re.compile(r"\d+ of (\d+) START (.*?)[\s.]*\[RUN\]")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


class TreeMemory:
    """Peak resident memory (MB) of a process and all its descendants, sampled from /proc."""

    def __init__(self, pid: int, every: float = 0.2):
        self.pid, self.every, self.peak_mb = pid, every, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        page_kb = os.sysconf("SC_PAGE_SIZE") // 1024
        while not self._stop.is_set():
            parents, rss = {}, {}
            for entry in os.listdir("/proc"):
                if entry.isdigit():
                    try:
                        stat = Path(f"/proc/{entry}/stat").read_text()
                    except OSError:
                        continue
                    fields = stat[stat.rindex(")") + 2:].split()  # after the command name, which may hold spaces
                    parents[int(entry)], rss[int(entry)] = int(fields[1]), int(fields[21]) * page_kb
            tree, grew = {self.pid}, True
            while grew:
                more = {p for p, parent in parents.items() if parent in tree} - tree
                tree |= more
                grew = bool(more)
            self.peak_mb = max(self.peak_mb, sum(rss.get(p, 0) for p in tree) / 1024)
            self._stop.wait(self.every)


@dataclass
class Build:
    wall_s: float = 0.0
    peak_mb: float = 0.0
    ok: bool = False
    nodes_done: int = 0
    nodes_total: int = 0
    failures: list[str] = field(default_factory=list)
    times: dict[str, float] = field(default_factory=dict)  # node -> its own seconds
    where: str = ""  # for a build that did not finish: what it was running


def dbt_build(db: Path, timeout: float | None) -> Build:
    """`dbt build` on ``db``, its output read line by line (what finished, what failed, each node's time)."""
    env = {**os.environ, "CADENA_DB_PATH": str(db), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    dbt = Path(sys.executable).with_name("dbt")
    result, running = Build(), {}
    start = time.perf_counter()
    command = [str(dbt), "--no-use-colors", "build", "--profiles-dir", ".", "--target-path",
               str(db.parent / "target"), "--log-path", str(db.parent / "logs")]
    proc = subprocess.Popen(command, cwd=REPO / "dbt_project", env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    killer = threading.Timer(timeout, lambda: os.killpg(proc.pid, signal.SIGTERM)) if timeout else None
    if killer:
        killer.start()
    with TreeMemory(proc.pid) as memory:
        for line in proc.stdout:
            line = ANSI.sub("", line)
            if match := DBT_START.search(line):
                result.nodes_total = int(match.group(1))
                running[match.group(2).split()[-1]] = time.perf_counter()
            elif match := DBT_DONE.search(line):
                node = match.group(2).split()[-1]
                running.pop(node, None)
                result.nodes_done += 1
                result.times[node] = float(match.group(4))
                if match.group(3) in ("ERROR", "FAIL"):
                    result.failures.append(f"{match.group(3)} {node}")
        proc.wait()
    if killer:
        killer.cancel()
    result.wall_s, result.peak_mb = time.perf_counter() - start, memory.peak_mb
    result.ok = proc.returncode == 0
    if running:
        now = time.perf_counter()
        result.where = ", ".join(f"{node} (running {now - t0:.0f} s)" for node, t0 in running.items())
    return result


def dashboard_queries(published: Path) -> list[tuple[str, tuple]]:
    """The SQL the dashboard's pages run, captured by running each page script in Streamlit's bare mode
    against ``published`` (no server, no browser): every query the pages send through ``cadena_dashboard.data``."""
    import logging
    import runpy
    import warnings

    warnings.filterwarnings("ignore")  # pandas' deprecations inside DuckDB's .df()
    sys.path.insert(0, str(REPO / "warehouse" / "dashboard"))
    import streamlit.logger
    from cadena_dashboard import data, ui

    streamlit.logger.set_log_level("critical")  # bare mode says "missing ScriptRunContext" at every element
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.CRITICAL)

    captured: list[tuple[str, tuple]] = []
    original = data._query

    def recording(path, key, sql, params=()):
        captured.append((sql, tuple(params)))
        return original(path, key, sql, params)

    data._query = recording  # query(), scalar() and table() all go through it
    errors, saved = [], os.dup(2)
    try:
        ui.set_publication(data.current_publication(published))
        sys.stderr.flush()
        os.dup2(os.open(os.devnull, os.O_WRONLY), 2)  # Streamlit's bare-mode chatter, one line per element
        for page in sorted((REPO / "warehouse" / "dashboard" / "views").glob("*.py")):
            try:
                runpy.run_path(str(page), run_name="__main__")
            except Exception as exc:  # a page that needs a live session: its queries so far still count
                errors.append(f"{page.name}: {type(exc).__name__}: {exc}")
    finally:
        data._query = original
        sys.stderr.flush()
        os.dup2(saved, 2)
    for error in errors:
        print(error, file=sys.stderr)
    return list(dict.fromkeys(captured))


def _percentiles(timings: list[float]) -> tuple[float, float]:
    timings = sorted(timings)
    return (statistics.median(timings), timings[int(0.95 * (len(timings) - 1))]) if timings else (0.0, 0.0)


def dashboard_latency(published: Path, runs: int, budget_s: float = 240.0) -> dict:
    """p50 and p95 (ms) of the dashboard's queries on ``published``: as the app runs one on a cache miss (a new
    in-memory DuckDB attaching the file, the query, a DataFrame), and the query alone on an open connection."""
    queries = dashboard_queries(published)
    cold, warm, slowest = [], [], {}
    with duckdb.connect() as open_con:
        open_con.execute("attach ? as pub (read_only)", [str(published)])
        open_con.execute("use pub")
        started, done = time.perf_counter(), 0
        # every query ``runs`` times, or as many rounds as fit in ``budget_s`` (at least 3): a page that reads a
        # whole mart takes seconds at 100x, and 20 rounds of it would take longer than the build
        while done < runs and (done < 3 or time.perf_counter() - started < budget_s):
            done += 1
            for sql, params in queries:
                start = time.perf_counter()
                with duckdb.connect() as con:
                    con.execute("attach ? as pub (read_only)", [str(published)])
                    con.execute("use pub")
                    con.execute(sql, list(params)).df()
                ms = (time.perf_counter() - start) * 1000
                cold.append(ms)
                slowest[sql] = max(slowest.get(sql, 0.0), ms)
                start = time.perf_counter()
                open_con.execute(sql, list(params)).df()
                warm.append((time.perf_counter() - start) * 1000)
    (p50, p95), (warm_p50, warm_p95) = _percentiles(cold), _percentiles(warm)
    worst = sorted(slowest.items(), key=lambda kv: -kv[1])[:3]
    return {"queries": len(queries), "runs": done, "p50": p50, "p95": p95, "warm_p50": warm_p50, "warm_p95": warm_p95,
            "slowest": [(" ".join(sql.split())[:100], ms) for sql, ms in worst]}


@dataclass
class Row:
    factor: int
    raw_rows: int = 0
    raw_mb: float = 0.0
    generate_s: float = 0.0
    build: Build | None = None
    floor_s: float | None = None
    python_s: float = 0.0
    publish_s: float | None = None
    published_mb: float | None = None
    latency: dict | None = None
    note: str = ""
    tables: dict[str, int] = field(default_factory=dict)


def python_models() -> set[str]:
    return {p.stem for p in (REPO / "dbt_project" / "models").rglob("*.py")}


def measure(factor: int, base: Path, tmp: Path, *, build: bool, timeout: float | None, runs: int,
            keep: Path | None) -> Row:
    row = Row(factor)
    work = tmp / f"x{factor}"
    work.mkdir()
    db = work / "cadena_work.duckdb"
    shutil.copy(base, db)
    start = time.perf_counter()
    row.tables = scale_raw(str(db), factor)
    row.generate_s = time.perf_counter() - start
    with duckdb.connect(str(db)) as con:
        con.execute("checkpoint")
    row.raw_rows, row.raw_mb = sum(row.tables.values()), db.stat().st_size / 2**20
    report(f"x{factor}: {row.raw_rows:,} raw rows in the grown tables, {row.raw_mb:.0f} MB, "
           f"generated in {row.generate_s:.1f} s")
    if not build:
        row.note = "generated only (--raw-only): not built"
        return row
    row.build = dbt_build(db, timeout)
    row.python_s = sum(s for node, s in row.build.times.items() if node.split(".")[-1] in python_models())
    report(f"x{factor}: build {'ok' if row.build.ok else 'FAILED'} in {row.build.wall_s:.1f} s, peak "
           f"{row.build.peak_mb:.0f} MB, {row.build.nodes_done}/{row.build.nodes_total} nodes "
           f"{row.build.failures or ''} {row.build.where}")
    if not row.build.ok and (row.build.where or any(not f.startswith("FAIL ") for f in row.build.failures)
                             or not row.build.failures):
        return row  # stopped, or a model did not build: nothing to publish
    # (a build whose models all built but a data test failed is measured on: its figures hold, the row says which)
    row.floor_s = floor(db, work)["floor_s"]
    report(f"x{factor}: floor {row.floor_s:.1f} s")
    from ingestors.core.publish import publish

    published = work / "published" / "cadena.duckdb"
    start = time.perf_counter()
    publish(db, published)
    row.publish_s = time.perf_counter() - start
    row.published_mb = published.resolve().stat().st_size / 2**20
    row.latency = dashboard_latency(published, runs)
    report(f"x{factor}: published in {row.publish_s:.1f} s ({row.published_mb:.0f} MB); dashboard "
           f"{row.latency['queries']} queries, p50 {row.latency['p50']:.1f} ms, p95 {row.latency['p95']:.1f} ms")
    if keep:
        shutil.copytree(work, keep / f"x{factor}", symlinks=True, dirs_exist_ok=True)
    return row


def report(message: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {message} (load {os.getloadavg()[0]:.1f})", file=sys.stderr, flush=True)


def fmt(value, spec: str = ".1f") -> str:
    return "-" if value is None else format(value, spec)


def write_results(rows: list[Row], loads: list[float], command: str, started: datetime) -> None:
    lines = [
        "# Scale benchmark",
        "",
        f"Measured {started:%Y-%m-%d %H:%M}-{datetime.now(UTC):%H:%M} UTC on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, DuckDB {duckdb.__version__}; load average "
        f"{min(loads):.1f}-{max(loads):.1f} during the run (other work on the machine slows every figure; the "
        "ratios are measured in one run). Written by `warehouse/benchmarks/bench_scale.py`; re-run with:",
        "",
        f"    {command}",
        "",
        "| scale | raw rows (grown tables) | working file (MB) | dbt build (s) | peak memory (MB) | floor (s) | "
        "build / floor | Python models (s) | build / (floor + Python) | publish (s) | dashboard queries | "
        "p50 (ms) | p95 (ms) | p95 on an open connection (ms) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        b = r.build
        if b is None:
            cells = ["not built"] + ["-"] * 10
        elif r.floor_s is None:
            cells = [f"{'stopped' if b.where else 'failed'} at {b.wall_s:.0f} s", f"{b.peak_mb:.0f}"] + ["-"] * 9
        else:
            lat = r.latency or {}
            cells = [f"{b.wall_s:.1f}", f"{b.peak_mb:.0f}", fmt(r.floor_s), fmt(b.wall_s / r.floor_s),
                     f"{r.python_s:.1f}", fmt(b.wall_s / (r.floor_s + r.python_s)), fmt(r.publish_s),
                     str(lat.get("queries", "-")), fmt(lat.get("p50")), fmt(lat.get("p95")), fmt(lat.get("warm_p95"))]
        lines.append(f"| {r.factor}x | {r.raw_rows:,} | {r.raw_mb:.0f} | " + " | ".join(cells) + " |")
    lines += ["", "Targets at 100x: build <= 1.5x its floor, peak memory <= 2 GB, dashboard p95 < 100 ms.", ""]
    for r in rows:
        b = r.build
        lines.append(f"## {r.factor}x")
        lines.append("")
        lines.append(f"- Raw tables grown in {r.generate_s:.1f} s: " + ", ".join(
            f"{name} {n:,}" for name, n in r.tables.items()) + ".")
        if r.note:
            lines.append(f"- {r.note}.")
        if b is not None:
            state = ("finished" if b.ok else "stopped by --timeout" if b.where else
                     "finished with failing data tests" if r.floor_s is not None else "failed")
            lines.append(f"- dbt build {state} after {b.wall_s:.0f} s: {b.nodes_done} of {b.nodes_total} nodes done"
                         + (f"; failing: {', '.join(b.failures)}" if b.failures else "")
                         + (f"; still running: {b.where}" if b.where else "") + ".")
            if r.floor_s is None:
                lines.append(f"- Not measured at {r.factor}x, as the build did not finish: the floor, the publication "
                             "and the dashboard's latency on it.")
            top = sorted(b.times.items(), key=lambda kv: -kv[1])[:8]
            lines.append("- Slowest nodes (their own seconds): " + ", ".join(f"{n} {s:.1f}" for n, s in top) + ".")
        if r.latency:
            lat = r.latency
            lines.append(f"- Dashboard: published file {r.published_mb:.0f} MB; {lat['queries']} queries x "
                         f"{lat['runs']} runs. As the app runs them on a cache miss (attach + query + DataFrame): p50 "
                         f"{lat['p50']:.1f} ms, p95 {lat['p95']:.1f} ms; the query alone on an open connection: p50 "
                         f"{lat['warm_p50']:.1f} ms, p95 {lat['warm_p95']:.1f} ms. Slowest (cache miss): "
                         + "; ".join(f"{ms:.0f} ms `{sql}...`" for sql, ms in lat["slowest"]) + ".")
        lines.append("")
    bounded = ", ".join(f"{s}.{t}" for s, t in GRIDS)
    lines += [
        "Bounded tables (" + bounded + ") are filled to their live extent (every LatAm country x year for each "
        "indicator, every weekday of ten years for each currency) and are the same size at every factor: they "
        "are keyed by country or currency and year, so they do not grow with the ecosystem. "
        "`scale_data.py` describes the generator.",
        "",
    ]
    (HERE / "RESULTS_SCALE.md").write_text("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--factor", type=int, action="append", default=[], help="build and measure this factor")
    parser.add_argument("--raw-only", type=int, action="append", default=[], help="only generate this factor")
    parser.add_argument("--timeout", type=float, default=None, help="stop a build after this many seconds")
    parser.add_argument("--runs", type=int, default=20, help="runs of each dashboard query")
    parser.add_argument("--keep", type=Path, default=None, help="keep each factor's warehouse under this folder")
    args = parser.parse_args()
    if not args.factor and not args.raw_only:
        args.factor = [10, 100]
    command = "uv run python warehouse/benchmarks/bench_scale.py " + " ".join(sys.argv[1:])
    started = datetime.now(UTC)

    from orchestration.dbt_manifest import ensure_manifest

    ensure_manifest()
    rows, loads = [], [os.getloadavg()[0]]
    sampler = threading.Thread(target=lambda: [loads.append(os.getloadavg()[0]) or time.sleep(30)
                                               for _ in iter(int, 1)], daemon=True)
    sampler.start()
    with tempfile.TemporaryDirectory(prefix="bench_scale_") as tmp_name:
        tmp = Path(tmp_name)
        run_refresh(tmp / "base")
        base = tmp / "base" / "work" / "cadena_work.duckdb"
        plan = sorted([(f, True) for f in args.factor] + [(f, False) for f in args.raw_only])
        for factor, build in plan:
            rows.append(measure(factor, base, tmp, build=build, timeout=args.timeout, runs=args.runs,
                                keep=args.keep))
            write_results(rows, loads, command, started)
            shutil.rmtree(tmp / f"x{factor}", ignore_errors=True)
    print((HERE / "RESULTS_SCALE.md").read_text())


if __name__ == "__main__":
    main()
