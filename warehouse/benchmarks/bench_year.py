"""Benchmark: a simulated year of daily refreshes. Does history slow the refresh down, and how big does
the raw store grow?

Running 365 real refreshes would take hours, so the year is *generated*, through the same code paths
the refreshes use where it matters, and only the two refreshes being compared are real:

1. **Day 1.** A cold offline refresh in a fresh warehouse, then the day's refresh: World Bank and
   PeeringDB changed (one more observation, a facility's network count), so the build runs over a
   macro source and over a source with history (``snap_facilities`` -> ``mart_changes``). Timed.
2. **The year.** For days 2..365, every source whose cadence is due that day and whose publisher
   changed something (FX on business days, the daily sources on most days, the weekly ones on most
   weeks, ...; ``CHANGES``) gets a new raw snapshot written by the real snapshot writer
   (:class:`ingestors.core.snapshots.SnapshotStore`: one stored copy per distinct payload,
   compressed), dated on its day. A changed payload is the previous day's with a few numbers edited,
   as a price list or a register changes from one day to the next. The dbt history gets the same
   year: each snapshot table (``snapshots.snap_*``) receives, per day, new versions of a share of its
   entities (a tracked column changed; ``HISTORY_SHARE``), chained as dbt chains them
   (``dbt_valid_to`` = the next version's ``dbt_valid_from``), and ``mart_changes`` is rebuilt once
   from that history; ``meta.load_log`` gets a row per table per load.
3. **Day 365.** The same kind of refresh as on day 1 (the same two sources changed again), timed.

Reported: both refresh times and their ratio (target: at most 10 % growth), and the raw store's size
on disk beside the year's distinct payload bytes (target: at most twice) and beside what the store
would hold without sharing or compression. Results go to ``RESULTS_YEAR.md``.

    uv run python warehouse/benchmarks/bench_year.py [--days 365]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))

from bench_refresh import run_refresh  # noqa: E402

# (days between fetches, chance the publisher changed something since the last fetch), per cadence;
# the FX publishers change on business days only (``business_days``).
CHANGES = {"daily": (1, 0.6), "weekly": (7, 0.8), "monthly": (30, 0.9), "quarterly": (91, 1.0)}
BUSINESS_DAY_SOURCES = {"bcra_fx", "bcrp_fx", "co_trm", "ecb_fx"}
# Share of a snapshot table's entities that get a new version on a given day.
HISTORY_SHARE = {"snap_cloud_gpu_offers": 0.05, "snap_facilities": 0.01, "snap_organizations": 0.005}
DEFAULT_SHARE = 0.003


def perturb(content: bytes, rng: random.Random) -> bytes:
    """The payload with a few digits changed (a price, a count), the rest as before. Binary payloads
    (ZIP) are left as they are: their publishers re-issue them rarely."""
    if content.startswith(b"PK\x03\x04"):
        return content
    digits = [m.start() for m in re.finditer(rb"[0-9]", content)]
    if not digits:
        return content + b"\n"
    data = bytearray(content)
    for pos in rng.sample(digits, min(len(digits), max(1, len(content) // 4000))):
        data[pos] = ord("0") + (data[pos] - ord("0") + 1 + rng.randrange(8)) % 10
    return bytes(data)


def simulate_raw(raw_dir: Path, days: int, start: datetime, rng: random.Random) -> dict:
    """Write a year of raw snapshots (dated ``start`` + day) through the real snapshot writer."""
    from ingestors.core.snapshots import SnapshotStore
    from ingestors.sources import ALL

    store = SnapshotStore(raw_dir)
    distinct: dict[str, int] = {}
    naive = written = 0
    bases = {s.name: store.latest(s.name) for s in ALL}
    for base in filter(None, bases.values()):
        for f in base.files:
            distinct[f.sha256] = f.size
            naive += f.size
    current = {name: {f.name: base.read_bytes(f.name) for f in base.files}
               for name, base in bases.items() if base is not None}
    for day in range(1, days):
        when = start + timedelta(days=day)
        for source in ALL:
            base = bases.get(source.name)
            every, chance = CHANGES[source.cadence]
            if base is None or day % every or rng.random() > chance:
                continue
            if source.name in BUSINESS_DAY_SOURCES and when.weekday() >= 5:
                continue
            files = current[source.name]
            names = [f.name for f in base.files if not f.volatile]
            for name in rng.sample(names, max(1, len(names) // 2)):
                files[name] = perturb(files[name], rng)
            writer = store.writer(source.name, licence=base.licence, sample=base.sample)
            writer.retrieved_at = when
            for f in base.files:
                writer.add(f.name, url=f.url, query=f.query, status=f.status, headers=f.headers,
                           content=files[f.name], volatile=f.volatile)
            snap = writer.commit()
            if not snap.unchanged:
                written += 1
                for f in snap.files:
                    distinct[f.sha256] = f.size
                    naive += f.size
    inodes = {}
    for path in raw_dir.rglob("*"):
        if path.is_file():
            st = path.stat()
            inodes[st.st_ino] = st.st_size
    return {"snapshots": written, "distinct_bytes": sum(distinct.values()), "store_bytes": sum(inodes.values()),
            "naive_bytes": naive, "distinct_payloads": len(distinct)}


def simulate_history(db: Path, days: int, start: datetime) -> dict:
    """A year of versions in every dbt snapshot table, chained as dbt chains them, and the load log."""
    spec = yaml.safe_load((REPO / "dbt_project" / "snapshots" / "_snapshots.yml").read_text())["snapshots"]
    added = {}
    with duckdb.connect(str(db)) as con:
        for snap in spec:
            name, config = snap["name"], snap["config"]
            key, checks = config["unique_key"], config["check_cols"]
            share = HISTORY_SHARE.get(name, DEFAULT_SHARE)
            columns = dict(con.execute(
                "select column_name, data_type from duckdb_columns() where schema_name = 'snapshots' "
                "and table_name = ?", [name]).fetchall())
            if not columns:
                continue
            # the tracked column a new version changes: a number if there is one, else a text
            numeric = [c for c in checks if columns.get(c) in ("DOUBLE", "INTEGER", "BIGINT", "FLOAT", "HUGEINT")
                       or str(columns.get(c, "")).startswith("DECIMAL")]
            text = [c for c in checks if str(columns.get(c, "")).startswith("VARCHAR")]
            if numeric:
                changed_col, change = numeric[0], f"coalesce(s.\"{numeric[0]}\", 0) + r.d"
            elif text:
                changed_col, change = text[0], f"coalesce(s.\"{text[0]}\", '') || ' (' || r.d || ')'"
            else:
                continue
            select = []
            for column in columns:
                if column == changed_col:
                    select.append(f"cast({change} as {columns[column]}) as \"{column}\"")
                elif column in ("dbt_valid_from", "dbt_updated_at"):
                    select.append(f"cast(timestamp '{start:%Y-%m-%d %H:%M:%S}' + to_days(cast(r.d as integer)) "
                                  f"as {columns[column]}) as \"{column}\"")
                elif column == "dbt_valid_to":
                    select.append(f"cast(null as {columns[column]}) as \"{column}\"")
                elif column == "dbt_scd_id":
                    select.append(f"md5(cast(s.\"{key}\" as varchar) || '|year|' || r.d) as \"{column}\"")
                else:
                    select.append(f"s.\"{column}\"")
            con.execute(f"create temp table v as select {', '.join(select)} "
                        f"from snapshots.{name} as s, range(1, {days}) as r(d) "
                        f"where s.dbt_valid_to is null "
                        f"and hash(cast(s.\"{key}\" as varchar), r.d) % 100000 < {int(share * 100000)}")
            added[name] = con.execute("select count(*) from v").fetchone()[0]
            con.execute(f"insert into snapshots.{name} by name select * from v")
            con.execute("drop table v")
            # chain every entity's versions: each ends where the next begins (the current one stays open)
            con.execute(f"""
                update snapshots.{name} as t set dbt_valid_to = n.next_from
                from (select dbt_scd_id, lead(dbt_valid_from) over (partition by "{key}" order by dbt_valid_from)
                      as next_from from snapshots.{name}) as n
                where t.dbt_scd_id = n.dbt_scd_id and n.next_from is not null""")
        log = con.execute("select count(*) from meta.load_log").fetchone()[0]
        con.execute(f"""
            insert into meta.load_log
            select l.source, l.table_name, l.snapshot_id, l.retrieved_at,
                   l.loaded_at - to_days(cast(r.d as integer)), l.row_count, l.quarantined, l.sample
            from meta.load_log as l, range(1, {days}) as r(d) where hash(l.source, r.d) % 10 < 6""")
        added["meta.load_log"] = con.execute("select count(*) from meta.load_log").fetchone()[0] - log
    return added


def rebuild_change_feed(db: Path, target: Path) -> None:
    env = {**os.environ, "CADENA_DB_PATH": str(db), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    proc = subprocess.run([str(Path(sys.executable).with_name("dbt")), "run", "--quiet", "--full-refresh",
                           "--select", "mart_changes", "--profiles-dir", ".", "--target-path", str(target)],
                          cwd=REPO / "dbt_project", env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"mart_changes rebuild failed:\n{proc.stdout[-2000:]}")


def changed_samples(tmp: Path, variant: int) -> Path:
    """A copy of the samples where World Bank and PeeringDB changed (``variant`` makes each day's change
    a different payload)."""
    samples = tmp / f"samples-{variant}"
    shutil.copytree(REPO / "ingestors" / "samples", samples)
    path = samples / "world_bank" / "SP.POP.TOTL.json"
    body = json.loads(path.read_text())
    extra = dict(body[1][0])
    extra["date"], extra["value"] = "1960", 1000.0 + variant
    body[1].append(extra)
    body[0]["total"] += 1
    path.write_text(json.dumps(body))
    fac = samples / "peeringdb" / "fac.json"
    body = json.loads(fac.read_text())
    body["data"][0]["net_count"] += variant
    fac.write_text(json.dumps(body))
    return samples


def node_times(since: float) -> dict[str, float]:
    """Seconds per dbt node (``execution_time``) of the newest dbt run folder written after ``since``."""
    target = REPO / "dbt_project" / "target"
    runs = [d for d in target.glob("cadena_dbt-*") if (d / "run_results.json").is_file()
            and (d / "run_results.json").stat().st_mtime >= since]
    if not runs:
        return {}
    newest = max(runs, key=lambda d: (d / "run_results.json").stat().st_mtime)
    results = json.loads((newest / "run_results.json").read_text())["results"]
    return {r["unique_id"].split(".", 1)[1]: r["execution_time"] for r in results}


def node_growth(day1: dict[str, float], last: dict[str, float], top: int = 12) -> list[str]:
    """The nodes whose time grew most between the two refreshes, as Markdown table rows."""
    names = sorted(set(day1) | set(last), key=lambda n: last.get(n, 0) - day1.get(n, 0), reverse=True)
    rows = ["| node | day 1 s | last day s | growth s |", "|---|---|---|---|"]
    for name in names[:top]:
        a, b = day1.get(name), last.get(name)
        rows.append(f"| {name} | {a if a is None else f'{a:.2f}'} | {b if b is None else f'{b:.2f}'} | "
                    f"{(b or 0) - (a or 0):+.2f} |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=365)
    args = parser.parse_args()

    from orchestration.dbt_manifest import ensure_manifest

    ensure_manifest()
    rng = random.Random(365)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        warehouse = tmp / "year"
        cold_s, _ = run_refresh(warehouse)
        # a first daily refresh warms the partial-parse state for this warehouse, as any second day would
        mark = time.time()
        day1_s, day1 = run_refresh(warehouse, "--source", "world_bank", "--source", "peeringdb",
                                   env_extra={"CADENA_SAMPLES_DIR": str(changed_samples(tmp, 1))})
        day1_nodes = node_times(mark)
        assert day1["published"] and day1["build_scope"] == "subset", day1
        start = datetime.now(UTC) - timedelta(days=args.days + 1)
        t0 = time.perf_counter()
        raw = simulate_raw(warehouse / "raw", args.days, start, rng)
        db = warehouse / "work" / "cadena_work.duckdb"
        history = simulate_history(db, args.days, start)
        rebuild_change_feed(db, tmp / "target")
        with duckdb.connect(str(db), read_only=True) as con:
            changes = con.execute("select count(*) from main.mart_changes").fetchone()[0]
        generate_s = time.perf_counter() - t0
        mark = time.time()
        day365_s, day365 = run_refresh(warehouse, "--source", "world_bank", "--source", "peeringdb",
                                       env_extra={"CADENA_SAMPLES_DIR": str(changed_samples(tmp, 2))})
        day365_nodes = node_times(mark)
        assert day365["published"] and day365["build_scope"] == "subset", day365
    growth = day365_s / day1_s - 1
    ratio = raw["store_bytes"] / raw["distinct_bytes"]
    lines = [
        "# A simulated year of daily refreshes",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; load average {os.getloadavg()[0]:.1f} at the end (other work on "
        "the machine slows every figure). Produced by `warehouse/benchmarks/bench_year.py`; the method is in "
        "its docstring: the year's raw snapshots are written by the real snapshot writer and the year's dbt "
        "history is generated, then a real refresh is timed on day 1 and on day 365.",
        "",
        f"- Cold refresh (day 0): {cold_s:.1f} s.",
        f"- Daily refresh (World Bank and PeeringDB changed) on day 1: **{day1_s:.1f} s** "
        f"(dbt {day1['timings'].get('dbt_s', 0):.1f} s); on day {args.days}: **{day365_s:.1f} s** "
        f"(dbt {day365['timings'].get('dbt_s', 0):.1f} s): **{growth:+.0%}** (target: at most +10 %).",
        f"- The year generated in {generate_s:.0f} s: {raw['snapshots']} raw snapshots; history versions "
        + ", ".join(f"{k} {v:,}" for k, v in history.items()) + f"; mart_changes {changes:,} rows.",
        f"- Raw store on disk: **{raw['store_bytes'] / 1e6:.2f} MB** for {raw['distinct_payloads']:,} distinct "
        f"payloads of {raw['distinct_bytes'] / 1e6:.2f} MB: **{ratio:.2f}x** the distinct payload bytes "
        f"(target: at most 2x); without sharing or compression the {raw['snapshots']} snapshots would hold "
        f"{raw['naive_bytes'] / 1e6:.2f} MB.",
        "",
        "The samples are small (KBs per source), so the store's figures are ratios, not the live sizes: the "
        "live AWS price file is ~150 MB per change, and it compresses like the samples' JSON does.",
        "",
        f"## Where the time went: dbt nodes whose run grew most ({len(day1_nodes)} nodes on day 1, "
        f"{len(day365_nodes)} on day {args.days}; {sum(day1_nodes.values()):.1f} s and "
        f"{sum(day365_nodes.values()):.1f} s of node time on two threads)",
        "",
        *node_growth(day1_nodes, day365_nodes),
        "",
    ]
    (HERE / "RESULTS_YEAR.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
