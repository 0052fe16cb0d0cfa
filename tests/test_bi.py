"""What BI tools see in the published file: every mart reflected through SQLAlchemy, with its descriptions.

Superset and most Python BI tools reach DuckDB through duckdb-engine, a SQLAlchemy dialect built on
SQLAlchemy's PostgreSQL one. Reflection (``Table(autoload_with=...)``, ``pandas.read_sql_table``,
primary and foreign key lookups) runs PostgreSQL catalogue queries against DuckDB's ``pg_catalog``
emulation; SQLAlchemy 2.0.55 added a ``CAST(... AS REGCLASS)`` to them, which DuckDB has no type for,
hence the pin in pyproject.toml. These tests catch the next such change.

The dialect runs in a subprocess: it keeps DuckDB objects alive until exit, which nanobind reports.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import textwrap

import duckdb
import pytest

from ingestors.core.publish import MART_PREFIXES

REFLECT_EVERY_MART = textwrap.dedent("""
    import json, sys, warnings
    import pandas, sqlalchemy
    warnings.simplefilter("ignore")  # duckdb-engine warns that it cannot reflect indexes; there are none
    engine = sqlalchemy.create_engine(f"duckdb:///{sys.argv[1]}", connect_args={"read_only": True})
    marts = json.loads(sys.argv[2])
    inspector = sqlalchemy.inspect(engine)
    out = {"tables": sorted(inspector.get_table_names()), "marts": {}, "errors": {}}
    # What a BI tool does on connecting: reflect the schema in one go (SQLAlchemy 2 batches the
    # catalogue queries over every table: one query per kind, not one per table and kind).
    metadata = sqlalchemy.MetaData()
    metadata.reflect(engine, only=marts)
    keys = {name: pk["constrained_columns"] for (_, name), pk in inspector.get_multi_pk_constraint(
        filter_names=marts).items()}
    foreign = {name: len(fks) for (_, name), fks in inspector.get_multi_foreign_keys(filter_names=marts).items()}
    # read_sql_table reflects its table again: once is enough to show that path works
    by_name = {marts[0]: pandas.read_sql_table(marts[0], engine)}
    for name in marts:
        table = metadata.tables[name]
        try:
            frame = by_name.get(name)
            if frame is None:
                frame = pandas.read_sql_query(table.select(), engine)
            out["marts"][name] = {
                "columns": [c.name for c in table.columns],
                "described_columns": sum(1 for c in table.columns if c.comment),
                "comment": table.comment,
                "rows": len(frame),
                "frame_columns": list(frame.columns),
                "primary_key": keys[name],
                "foreign_keys": foreign[name],
            }
        except Exception as exc:  # one line per mart: the assertion below lists them all
            out["errors"][name] = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
    print(json.dumps(out))
""")



def _published_marts(settings) -> dict[str, tuple[int, int]]:
    """mart -> (columns, rows), read with DuckDB itself."""
    with duckdb.connect(str(settings.published_db), read_only=True) as con:
        names = [r[0] for r in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'main' order by 1").fetchall()]
        return {n: (len(con.execute(f'describe main."{n}"').fetchall()),
                    con.execute(f'select count(*) from main."{n}"').fetchone()[0])
                for n in names if n.startswith(MART_PREFIXES)}


@pytest.fixture(scope="module")
def reflected(offline_warehouse):
    if importlib.util.find_spec("duckdb_engine") is None:  # not imported here: see the module docstring
        pytest.skip("duckdb-engine is not installed (uv sync installs the dev group)")
    settings, _ = offline_warehouse
    marts = _published_marts(settings)
    args = [sys.executable, "-c", REFLECT_EVERY_MART, str(settings.published_db), json.dumps(list(marts))]
    proc = subprocess.run(args, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return marts, json.loads(proc.stdout.splitlines()[-1])


def test_every_mart_reflects_through_sqlalchemy(reflected):
    marts, result = reflected
    assert len(marts) >= 39
    assert result["errors"] == {}, "\n".join(f"{k}: {v}" for k, v in result["errors"].items())
    assert set(marts) <= set(result["tables"])
    for name, (columns, rows) in marts.items():
        got = result["marts"][name]
        assert len(got["columns"]) == columns, name
        assert got["frame_columns"] == got["columns"], name
        assert got["rows"] == rows, name
        # lookups answer (empty: the marts declare no key constraints; uniqueness is a dbt test)
        assert isinstance(got["primary_key"], list) and got["foreign_keys"] >= 0, name


def test_bi_tools_see_the_dbt_descriptions(reflected):
    marts, result = reflected
    for name in marts:
        got = result["marts"][name]
        assert got["comment"], f"{name} has no table comment in the published file"
        assert got["described_columns"] == len(got["columns"]), f"{name}: a column has no comment"


def test_descriptions_are_in_the_published_file(offline_warehouse):
    """persist_docs writes every model's, seed's and snapshot's description as a COMMENT; the publication keeps them."""
    settings, _ = offline_warehouse
    with duckdb.connect(str(settings.published_db), read_only=True) as con:
        missing = con.execute("""
            select schema_name || '.' || table_name || coalesce('.' || column_name, '') from (
                select schema_name, table_name, null as column_name, comment from duckdb_tables()
                union all select schema_name, view_name, null, comment from duckdb_views() where not internal
                union all select schema_name, table_name, column_name, comment from duckdb_columns() where not internal)
            where schema_name in ('main', 'reference', 'staging', 'intermediate', 'snapshots')
              and (comment is null or comment = '')
            order by 1""").fetchall()
        assert missing == []
        comment = con.execute("""select comment from duckdb_columns()
            where table_name = 'dim_country' and column_name = 'country_iso2'""").fetchone()[0]
    assert "ISO 3166-1 alpha-2" in comment
