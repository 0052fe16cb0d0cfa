"""Compare the marts of two published warehouses: same tables, same rows?

Used to show that a refactor changes no data: build the offline warehouse at the
commit before the change and at the change, then compare the two publications::

    git worktree add /tmp/before <commit-before> && ln -s "$PWD/.venv" /tmp/before/.venv
    (cd /tmp/before && PYTHONPATH=/tmp/before CADENA_WAREHOUSE_DIR=/tmp/before_wh \\
        .venv/bin/python -m orchestration.cli refresh --offline)
    CADENA_WAREHOUSE_DIR=/tmp/after_wh uv run cadena refresh --offline
    uv run python warehouse/benchmarks/compare_builds.py /tmp/before_wh/cadena.duckdb /tmp/after_wh/cadena.duckdb

Columns that differ by construction between two builds (snapshot ids, fetch and build
times, publication ids, dbt snapshot bookkeeping) are left out of the comparison; every
other column of every mart is compared row for row (as a multiset). Exit status 1 when
any mart differs.
"""

from __future__ import annotations

import re
import sys

import duckdb

MART = re.compile(r"^(dim|fct|bridge|mart)_")
VOLATILE = re.compile(r"(snapshot_id|retrieved_at|_built_at|published_at|publication|^dbt_|loaded_at|changed_at"
                      r"|valid_from|valid_to|as_of_build|checked_at|built_at|data_retrieved_at|change_id)")


def marts(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    rows = con.execute("""select table_name, list(column_name order by ordinal_position)
                          from information_schema.columns where table_schema = 'main'
                          group by table_name""").fetchall()
    return {t: cols for t, cols in rows if MART.match(t)}


def fingerprint(con: duckdb.DuckDBPyConnection, table: str, columns: list[str]) -> tuple[int, str]:
    kept = [c for c in columns if not VOLATILE.search(c)]
    cols = ", ".join(f'"{c}"' for c in kept) or "1"
    count, digest = con.execute(
        f"select count(*), coalesce(sum(hash(row({cols}))), 0)::varchar from (select {cols} from \"{table}\")"
    ).fetchone()
    return count, digest


def compare(before: str, after: str) -> list[str]:
    with duckdb.connect(before, read_only=True) as a, duckdb.connect(after, read_only=True) as b:
        ma, mb = marts(a), marts(b)
        problems = [f"{t}: only in {before}" for t in sorted(set(ma) - set(mb))]
        problems += [f"{t}: only in {after}" for t in sorted(set(mb) - set(ma))]
        for table in sorted(set(ma) & set(mb)):
            shared = [c for c in ma[table] if c in mb[table]]
            if set(ma[table]) != set(mb[table]):
                problems.append(f"{table}: columns differ {sorted(set(ma[table]) ^ set(mb[table]))}")
            fa, fb = fingerprint(a, table, shared), fingerprint(b, table, shared)
            if fa != fb:
                problems.append(f"{table}: {fa[0]} rows before, {fb[0]} after; contents differ")
        print(f"compared {len(set(ma) & set(mb))} marts")
    return problems


if __name__ == "__main__":
    found = compare(sys.argv[1], sys.argv[2])
    print("\n".join(found) or "every mart has the same rows")
    sys.exit(1 if found else 0)
