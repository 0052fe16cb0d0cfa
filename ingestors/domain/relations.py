"""The one bridge between dbt Python models and plain Python: read a relation as dicts, write rows back.

A dbt Python model in ``dbt_project/models`` keeps its logic in ``ingestors.domain`` (tested directly)
and uses these two functions for its input and output, so no model repeats the DuckDB plumbing::

    def model(dbt, session):
        dbt.config(materialized="table")
        from ingestors.domain.relations import read, write
        from ingestors.domain.funding import cluster
        return write(session, "_clustered", CLUSTERED_COLUMNS, cluster(read(dbt.ref("..."))))
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any


def read(relation: Any, columns: str | None = None) -> list[dict[str, Any]]:
    """Every row of a DuckDB relation (optionally projected to ``columns``, SQL list) as a dict."""
    if columns:
        relation = relation.project(columns)
    names = relation.columns
    return [dict(zip(names, row, strict=True)) for row in relation.fetchall()]


def write(session: Any, name: str, columns: Sequence[tuple[str, str]], rows: Iterable[Sequence[Any]]) -> Any:
    """Rows (tuples in ``columns`` order) as a temporary table ``name``, returned as the model's relation.

    ``columns`` are (name, DuckDB type) pairs: the model's output schema, stated once.
    """
    ddl = ", ".join(f"{column} {dtype}" for column, dtype in columns)
    session.execute(f"create or replace temp table {name} ({ddl})")
    rows = [tuple(r) for r in rows]
    if rows:
        placeholders = ", ".join("?" for _ in columns)
        session.executemany(f"insert into {name} values ({placeholders})", rows)
    return session.table(name)
