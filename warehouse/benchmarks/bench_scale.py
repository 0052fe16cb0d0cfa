"""Benchmark at scale: the raw tables at 10x and 100x their live sizes, the build beside its floor.

The generator writes every raw table with its real schema (the table a source's loader creates)
at ``factor`` times the size a live refresh loads, by recycling the rows of a built offline
warehouse: key columns get a suffix per copy so keys stay unique, and the rows are spread over
every LatAm country with weights close to the region's economic weight (Brazil and Mexico first,
the small Caribbean economies last), and organisation names get the copy's number, so each copy is
another organisation rather than one organisation with `factor` times its claims (the year of history is
bench_year.py's). Nothing here is data: the warehouse it builds is thrown away.

Live sizes (rows a live refresh loads; the sources that say so in their module docstrings or the
real captures in ../shared/samples): PeeringDB facilities, exchanges and organisations in LatAm,
TeleGeography's LatAm cables and landings, every YC company with a LatAm location, ten years of
funding news, a year of ECB rates for every currency.

For each factor it reports: rows written, `dbt build` wall time, the floor (the same compiled
SQL run in one DuckDB connection, see bench_refresh.py), their ratio, peak memory of the build,
and p50/p95 latency of the dashboard's mart queries on the built file. Results go to
``RESULTS_SCALE.md``.

    uv run python warehouse/benchmarks/bench_scale.py --factor 10 --factor 100
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
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
sys.path.insert(0, str(HERE))

from bench_refresh import floor, run_refresh  # noqa: E402

# Rows a live refresh loads, per raw table (orders of magnitude, from the sources' docstrings and captures).
LIVE_ROWS = {
    ("raw_peeringdb", "facilities"): 900, ("raw_peeringdb", "internet_exchanges"): 150,
    ("raw_peeringdb", "ix_facilities"): 600, ("raw_peeringdb", "organizations"): 2_500,
    ("raw_telegeography", "cables"): 120, ("raw_telegeography", "landing_points"): 300,
    ("raw_telegeography", "cable_landings"): 700, ("raw_yc", "companies"): 450,
    ("raw_news", "articles"): 30_000, ("raw_news", "funding_events"): 6_000,
    ("raw_ecb_fx", "rates"): 10_000, ("raw_world_bank", "observations"): 9_000,
    ("raw_wikidata", "organizations"): 4_000, ("raw_openalex", "institutions"): 800,
    ("raw_openalex", "works_by_country_year"): 600, ("raw_sec_form_d", "offerings"): 300,
    ("raw_azure_retail_prices", "prices"): 600, ("raw_aws_ec2_gpu", "offers"): 400,
    ("raw_epoch_notable_models", "models"): 60, ("raw_epoch_gpu_clusters", "clusters"): 40,
    ("raw_top500", "systems"): 500, ("raw_licensed_exports", "rounds"): 3_000,
}
# Organisation names the copies vary ("Acme" -> "Acme 7"): each copy is another organisation, as at real scale,
# instead of one organisation gathering `factor` times its claims (and funding rounds clustering them all).
NAME_COLUMNS = {
    ("raw_news", "funding_events"): ("company_name",), ("raw_licensed_exports", "rounds"): ("organization_name",),
    ("raw_sec_form_d", "offerings"): ("entity_name",), ("raw_yc", "companies"): ("name",),
    ("raw_peeringdb", "organizations"): ("name",), ("raw_peeringdb", "facilities"): ("name", "org_name"),
    ("raw_openalex", "institutions"): ("display_name",), ("raw_wikidata", "organizations"): ("label", "name"),
}
# Share of organisations/facilities per country: the region's economic weight, roughly.
COUNTRY_WEIGHTS = {"BR": 34, "MX": 25, "AR": 8, "CO": 6, "CL": 5, "PE": 4, "EC": 2, "DO": 2, "GT": 2, "CR": 1.5,
                   "PA": 1.5, "UY": 1.5, "BO": 1, "PY": 1, "SV": 0.6, "HN": 0.6, "NI": 0.3, "CU": 1, "VE": 2,
                   "JM": 0.3, "TT": 0.4, "PR": 2}


ID_LIKE = ("_id", "id", "_key", "url", "number", "qid", "slug")


def _copy_column(keys: set[str], types: dict[str, str]) -> str:
    """The key column the copies' suffix goes into: an id-like text, else a number, else a date."""
    ordered = sorted(keys)
    for test in (lambda c: types[c].startswith("VARCHAR") and c.endswith(ID_LIKE),
                 lambda c: types[c] in ("BIGINT", "INTEGER"), lambda c: types[c] == "DATE",
                 lambda c: types[c].startswith("VARCHAR")):
        found = [c for c in ordered if test(c)]
        if found:
            return found[0]
    return ordered[0]


def scale_raw(db: Path, factor: int, seed: int = 7) -> int:
    """Grow every listed raw table to ``factor`` x its live size; returns the rows written."""
    rng = random.Random(seed)
    countries = list(COUNTRY_WEIGHTS)
    weights = list(COUNTRY_WEIGHTS.values())
    written = 0
    with duckdb.connect(str(db)) as con:
        # Every table of a source gets the same number of copies, so ids that tables of one source share
        # (a cable and its landings) stay consistent within each copy.
        sizes = {}
        for (schema, table), live in LIVE_ROWS.items():
            exists = con.execute("select count(*) from duckdb_tables() where schema_name = ? and table_name = ?",
                                 [schema, table]).fetchone()[0]
            have = con.execute(f"select count(*) from {schema}.{table}").fetchone()[0] if exists else 0
            if have:
                sizes[(schema, table)] = (have, max(0, -(-live * factor // have) - 1))
        per_source = {}
        for (schema, _), (_, copies) in sizes.items():
            per_source[schema] = max(per_source.get(schema, 0), copies)
        for schema, table in sizes:
            copies = per_source[schema]
            columns = con.execute("select column_name, data_type from duckdb_columns() "
                                  "where schema_name = ? and table_name = ?", [schema, table]).fetchall()
            keys = {c for c, in con.execute(
                "select unnest(constraint_column_names) from duckdb_constraints() "
                "where schema_name = ? and table_name = ? and constraint_type = 'PRIMARY KEY'",
                [schema, table]).fetchall()}
            types = dict(columns)
            # One key column per table tells the copies apart: an identifier if the key has one, never a
            # categorical column of the key (a price type, an indicator code), whose values tests check.
            copy_keys = {_copy_column(keys, types)} if keys else set()
            originals = " and ".join(
                f"not contains(\"{k}\", '~')" if types[k].startswith("VARCHAR") else
                f"\"{k}\" < 10000000" if types[k] in ("BIGINT", "INTEGER") else "true" for k in copy_keys) or "true"
            # countries are reassigned only where they are not part of the key (two originals must not collide)
            country_cols = [c for c, _ in columns
                            if c in ("country_iso2", "country_code", "country") and c not in keys]
            # One statement per table: the original rows x copy numbers 1..copies. Copy n gets key suffix n
            # and a country drawn from the weights (a fixed draw per n, so a copy is one country).
            draws = ", ".join(f"'{c}'" for c in rng.choices(countries, weights, k=min(copies, 5000)) or ["BR"])
            select = []
            for name, dtype in columns:
                quoted = f't."{name}"'
                if name in copy_keys and dtype.startswith("VARCHAR"):
                    select.append(f"{quoted} || '~' || r.n")
                elif name in copy_keys and dtype in ("BIGINT", "INTEGER"):
                    select.append(f"{quoted} + r.n * 10000000")
                elif name in copy_keys and dtype == "DATE":
                    select.append(f"{quoted} - cast(r.n as integer)")
                elif name in NAME_COLUMNS.get((schema, table), ()) and dtype.startswith("VARCHAR"):
                    select.append(f"{quoted} || ' ' || r.n")
                elif name in country_cols and dtype.startswith("VARCHAR"):
                    pick = f"([{draws}])[1 + r.n % {min(copies, 5000) or 1}]"
                    select.append(f"case when {quoted} is not null then {pick} end")
                else:
                    select.append(quoted)
            if copies:
                con.execute(f"insert or ignore into {schema}.{table} select {', '.join(select)} "
                            f"from (select * from {schema}.{table} where {originals}) as t, "
                            f"range(1, {copies + 1}) as r(n)")
            written += con.execute(f"select count(*) from {schema}.{table}").fetchone()[0]
    return written


def dbt_build(db: Path) -> tuple[float, int]:
    """`dbt build` on ``db``: wall seconds and peak resident memory of the process in MB."""
    env = {**os.environ, "CADENA_DB_PATH": str(db), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    dbt = Path(sys.executable).with_name("dbt")
    start = time.perf_counter()
    proc = subprocess.run([str(dbt), "build", "--quiet", "--profiles-dir", ".", "--target-path",
                           str(db.parent / "target")], cwd=REPO / "dbt_project", env=env, capture_output=True,
                          text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"dbt build failed at scale:\n{proc.stdout[-3000:]}")
    return wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024


def dashboard_queries(published: Path) -> list[tuple[str, tuple]]:
    """The SQL the dashboard's pages run, captured by running each page script in Streamlit's bare
    mode against ``published`` (no server, no browser): every call of ``cadena_dashboard.data.query``."""
    import logging
    import runpy

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    sys.path.insert(0, str(REPO / "warehouse" / "dashboard"))
    os.environ["CADENA_WAREHOUSE_DIR"] = str(published.parent)
    from cadena_dashboard import data

    captured: list[tuple[str, tuple]] = []
    original = data.query

    def recording(pub, sql, params=()):
        captured.append((sql, tuple(params)))
        return original(pub, sql, params)

    data.query = recording
    try:
        for page in sorted((REPO / "warehouse" / "dashboard" / "views").glob("*.py")):
            try:
                runpy.run_path(str(page), run_name="__main__")
            except Exception as exc:  # a page that needs a live session: its queries so far still count
                print(f"{page.name}: {type(exc).__name__}: {exc}", file=sys.stderr)
    finally:
        data.query = original
    return list(dict.fromkeys(captured))


def dashboard_latency(published: Path, runs: int = 20) -> tuple[float, float, int]:
    """p50 and p95 (ms) of the dashboard's queries on the published file, read-only, as the app runs them."""
    queries = dashboard_queries(published)
    timings = []
    with duckdb.connect(str(published), read_only=True) as con:
        for _ in range(runs):
            for sql, params in queries:
                start = time.perf_counter()
                con.execute(sql, list(params)).fetchall()
                timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(0.95 * (len(timings) - 1))], len(queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--factor", type=int, action="append", default=[])
    args = parser.parse_args()
    factors = args.factor or [10, 100]

    from orchestration.dbt_manifest import ensure_manifest

    ensure_manifest()
    rows = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        base = tmp / "base"
        run_refresh(base)
        for factor in factors:
            work = tmp / f"x{factor}"
            work.mkdir()
            db = work / "cadena_work.duckdb"
            shutil.copy(base / "work" / "cadena_work.duckdb", db)
            written = scale_raw(db, factor)
            build_s, peak_mb = dbt_build(db)
            floor_s = floor(db, work)["floor_s"]
            published = work / "cadena.duckdb"
            shutil.copy(db, published)
            p50, p95, queries = dashboard_latency(published)
            rows.append((factor, written, build_s, floor_s, peak_mb, p50, p95, queries))
            print(f"x{factor}: {written} raw rows, build {build_s:.1f}s, floor {floor_s:.1f}s, "
                  f"peak {peak_mb} MB, dashboard p50 {p50:.1f} ms p95 {p95:.1f} ms", file=sys.stderr)
    lines = [
        "# Scale benchmark",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; load average {os.getloadavg()[0]:.1f} at the end. "
        "Produced by `warehouse/benchmarks/bench_scale.py`.",
        "",
        "| scale | raw rows | dbt build (s) | floor (s) | build / floor | peak memory (MB) | "
        "dashboard queries | p50 (ms) | p95 (ms) |",
        "|---|---|---|---|---|---|---|---|---|",
        *(f"| {f}x | {w:,} | {b:.1f} | {fl:.1f} | {b / fl:.1f} | {m} | {q} | {p50:.1f} | {p95:.1f} |"
          for f, w, b, fl, m, p50, p95, q in rows),
        "",
        "Targets at 100x: build <= 1.5x its floor, peak memory <= 2 GB, dashboard p95 < 100 ms.",
        "",
    ]
    (HERE / "RESULTS_SCALE.md").write_text("\n".join(lines))
    print("\n".join(lines))
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
