"""Load one snapshot's validated rows into the working DuckDB file.

All of a source's raw tables are replaced in one transaction, so a reader of
the working file (and every later publication) sees either the previous
snapshot or this one, never half of each. Tables carry their primary key, so a
duplicate that slipped past validation fails the load instead of the marts.

Also kept, in schema ``meta``:

* ``meta.quarantine``: the current quarantined records of every source;
* ``meta.load_log``: one row per table per load, for lineage and `cadena status`.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb

from ingestors.core.registry import Source
from ingestors.core.snapshots import Snapshot

PROVENANCE_COLUMNS = {
    "_source": "VARCHAR",
    "_snapshot_id": "VARCHAR",
    "_retrieved_at": "TIMESTAMPTZ",
    "_record_id": "VARCHAR",
    "_record_url": "VARCHAR",
}

META_DDL = """
create schema if not exists meta;
create table if not exists meta.quarantine (
    source varchar not null, table_name varchar not null, snapshot_id varchar not null,
    record_id varchar, reason varchar not null, raw varchar, quarantined_at timestamptz not null
);
create table if not exists meta.load_log (
    source varchar not null, table_name varchar not null, snapshot_id varchar not null,
    retrieved_at timestamptz not null, loaded_at timestamptz not null, row_count bigint not null,
    quarantined bigint not null, sample boolean not null
);
"""


def _json_default(value: Any) -> str:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _write_ndjson(rows: list[dict[str, Any]], folder: Path) -> Path:
    fd, path = tempfile.mkstemp(suffix=".ndjson", dir=folder)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, default=_json_default, ensure_ascii=False))
            fh.write("\n")
    return Path(path)


def connect_working(db_path: Path) -> duckdb.DuckDBPyConnection:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(str(db_path))


def _table_ddl(source: Source, table) -> str:
    """``schema.table (columns..., primary key (...))`` as the declaration gives it."""
    columns = {**table.duckdb_columns(), **PROVENANCE_COLUMNS}
    col_ddl = ", ".join(f"{_ident(c)} {t}" for c, t in columns.items())
    key = ", ".join(_ident(k) for k in table.key)
    return f"{_ident(source.schema)}.{_ident(table.name)} ({col_ddl}, primary key ({key}))"


def ensure_tables(db_path: Path, sources: Iterable[Source]) -> list[str]:
    """Create, empty, every declared raw table that no load has created yet; returns their names.

    A source skipped for want of a key or a file (``gcp_gpu_skus``, ``top500``, ``bcch_fx``) has never
    loaded, yet its staging view is in every build: without its table the whole build would fail on a
    first live run. An existing table is never touched.
    """
    created: list[str] = []
    con = connect_working(db_path)
    try:
        con.execute(META_DDL)
        existing = {(r[0], r[1]) for r in con.execute(
            "select schema_name, table_name from duckdb_tables()").fetchall()}
        for source in sources:
            missing = [t for t in source.tables if (source.schema, t.name) not in existing]
            if missing:
                con.execute(f"create schema if not exists {_ident(source.schema)}")
            for table in missing:
                con.execute(f"create table if not exists {_table_ddl(source, table)}")
                created.append(f"{source.schema}.{table.name}")
    finally:
        con.close()
    return created


def load_snapshot(db_path: Path, source: Source, snapshot: Snapshot, rows: dict[str, list[dict]],
                  quarantine: list[dict]) -> dict[str, int]:
    """Replace ``source``'s raw tables with ``rows`` atomically; returns rows per table."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    tmp_files: list[Path] = []
    con = connect_working(db_path)
    try:
        con.execute(META_DDL)
        con.execute("begin transaction")
        con.execute(f"create schema if not exists {_ident(source.schema)}")
        for table in source.tables:
            columns = {**table.duckdb_columns(), **PROVENANCE_COLUMNS}
            table_rows = rows.get(table.name, [])
            qualified = f"{_ident(source.schema)}.{_ident(table.name)}"
            con.execute(f"create or replace table {_table_ddl(source, table)}")
            if table_rows:
                path = _write_ndjson(table_rows, db_path.parent)
                tmp_files.append(path)
                spec = "{" + ", ".join(f"'{c}': '{t}'" for c, t in columns.items()) + "}"
                con.execute(
                    f"insert into {qualified} select * from read_json(?, format='newline_delimited', "
                    f"columns={spec})",
                    [str(path)],
                )
            counts[table.name] = len(table_rows)
        con.execute("delete from meta.quarantine where source = ?", [source.name])
        if quarantine:
            con.executemany(
                "insert into meta.quarantine values ($source, $table_name, $snapshot_id, $record_id, "
                "$reason, $raw, $quarantined_at)",
                quarantine,
            )
        loaded_at = datetime.now().astimezone()
        per_table_q = {t.name: sum(1 for q in quarantine if q["table_name"] == t.name) for t in source.tables}
        con.executemany(
            "insert into meta.load_log values (?, ?, ?, ?, ?, ?, ?, ?)",
            [[source.name, t, snapshot.snapshot_id, snapshot.retrieved_at, loaded_at, n, per_table_q[t],
              snapshot.sample] for t, n in counts.items()],
        )
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    finally:
        con.close()
        for path in tmp_files:
            path.unlink(missing_ok=True)
    return counts
