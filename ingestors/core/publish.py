"""Publish the working DuckDB file as the read-only copy analysts open, with exports.

A publication is a folder ``warehouse/publications/<id>/`` holding

* ``cadena.duckdb``: the working database copied with ``COPY FROM DATABASE``
  in DuckDB's v1.4 storage format, so that older readers open it too (the
  `duckdb` CLI from PyPI, BI drivers that lag behind);
* ``exports/<mart>.parquet`` and ``exports/<mart>.csv`` for every mart
  (``dim_``, ``fct_``, ``bridge_``, ``mart_`` tables), each with a ``licence``
  column: the licence of the row's source where the mart names it
  (``source_name``, or the ``sources`` list), else the licences of every
  source the mart is built from. Rows that come only from a source whose rows
  are licensed to the user (the funding exports) are left out of the exports
  unless ``CADENA_EXPORT_LICENSED=1`` (the database keeps them: it is the
  user's own copy);
* ``manifest.json``: publication time, the snapshot of every source table,
  row counts, the licence of every source and the licences behind each
  exported mart, the rows left out and why, dbt and DuckDB versions, the git
  commit.

The folder is built under a temporary name, checked (it opens and has the
marts), then renamed. The files analysts open are then swapped in atomically
with ``os.replace``: ``warehouse/cadena.duckdb`` (a hard link to the
publication's database) and ``warehouse/exports`` (a symbolic link to its
exports). A reader keeps the copy it opened until it reconnects. The last
``keep`` publications are kept; :func:`rollback` points the links back to the
previous one. Nothing here runs unless the build before it succeeded.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import duckdb

REQUIRED_TABLES = ("mart_infrastructure__country",)
MART_PREFIXES = ("dim_", "fct_", "bridge_", "mart_")
# Readable by DuckDB 1.4 and newer.
STORAGE_VERSION = "v1.4.0"
DB_NAME = "cadena.duckdb"
CURRENT = "CURRENT"


@dataclass(frozen=True)
class Publication:
    publication_id: str
    folder: Path
    path: Path  # the published database analysts open
    published_at: datetime
    size_bytes: int
    tables: int
    exports: int


class PublishError(RuntimeError):
    pass


@dataclass(frozen=True)
class ExportPolicy:
    """What the exports say about licences, and which rows they leave out (the callers fill it from the sources)."""

    licences: Mapping[str, str] = field(default_factory=dict)  # source name -> licence text
    mart_sources: Mapping[str, Sequence[str]] = field(default_factory=dict)  # mart -> sources it is built from
    restricted_sources: frozenset[str] = frozenset()  # rows only from these stay out of the exports...
    include_restricted: bool = False  # ...unless the user says they may be exported


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _export_query(con, name: str, policy: ExportPolicy) -> tuple[str, str, list[str]]:
    """The select that exports mart ``name`` with its licence column, the filter it applies, and the licences."""
    columns = {r[0]: r[1] for r in con.execute(
        "select column_name, data_type from information_schema.columns where table_schema = 'main' "
        "and table_name = ?", [name]).fetchall()}
    mapping = "map {" + ", ".join(f"{_sql_text(k)}: {_sql_text(v)}" for k, v in sorted(policy.licences.items())) + "}"
    upstream = sorted({policy.licences[s] for s in policy.mart_sources.get(name, ()) if s in policy.licences})
    fallback = _sql_text("; ".join(upstream)) if upstream else "null"
    restricted = "[" + ", ".join(_sql_text(s) for s in sorted(policy.restricted_sources)) + "]"
    keep = "true"
    if "source_name" in columns and policy.licences:
        licence = f"coalesce({mapping}[source_name], {fallback})"
        if not policy.include_restricted and policy.restricted_sources:
            keep = f"not list_contains({restricted}, coalesce(source_name, ''))"
    elif "sources" in columns and columns["sources"].endswith("[]") and policy.licences:
        licence = (f"coalesce(nullif(array_to_string(list_sort(list_distinct(list_filter(list_transform(sources, "
                   f"lambda s: {mapping}[s]), lambda x: x is not null))), '; '), ''), {fallback})")
        if not policy.include_restricted and policy.restricted_sources:
            keep = f"not (len(sources) > 0 and list_has_all({restricted}, sources))"
    else:
        licence = fallback
    query = f'select *, {licence} as licence from main."{name}" where {keep}'
    return query, keep, upstream


def publications_dir(published_db: Path) -> Path:
    return published_db.parent / "publications"


def _version(package: str) -> str | None:
    try:
        return version(package)
    except PackageNotFoundError:
        return None


def _git_commit(repo: Path) -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, check=False)
    except OSError:
        return None
    return out.stdout.strip() or None


def _build_folder(working_db: Path, folder: Path, policy: ExportPolicy | None = None
                  ) -> tuple[int, dict[str, int], list[dict], dict]:
    """Copy the database and write the exports into ``folder``; returns tables, row counts, snapshots, and what
    the exports say about licences (licences per mart, rows left out)."""
    policy = policy or ExportPolicy()
    db = folder / DB_NAME
    exports = folder / "exports"
    exports.mkdir(parents=True)
    with duckdb.connect() as con:
        con.execute("attach ? as work (read_only)", [str(working_db)])
        con.execute(f"attach ? as pub (storage_version '{STORAGE_VERSION}')", [str(db)])
        con.execute("copy from database work to pub")
    with duckdb.connect(str(db), read_only=True) as con:
        names = sorted(r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'main' and table_type = 'BASE TABLE'"
        ).fetchall())
        missing = [t for t in REQUIRED_TABLES if t not in names]
        if missing:
            raise PublishError(f"publish: the build has no {', '.join(missing)}; keeping the last publication")
        tables = con.execute("select count(*) from information_schema.tables").fetchone()[0]
        rows, mart_licences, left_out = {}, {}, {}
        for name in (n for n in names if n.startswith(MART_PREFIXES)):
            rows[name] = con.execute(f'select count(*) from main."{name}"').fetchone()[0]
            query, keep, mart_licences[name] = _export_query(con, name, policy)
            exported = con.execute(f'select count(*) from main."{name}" where {keep}').fetchone()[0]
            if exported < rows[name]:
                left_out[name] = rows[name] - exported
            con.execute(f"copy ({query}) to '{exports / (name + '.parquet')}' (format parquet)")
            con.execute(f"copy ({query}) to '{exports / (name + '.csv')}' (format csv, header true)")
        snapshots = [
            {"source": s, "table": t, "snapshot_id": snap, "retrieved_at": ret.isoformat(), "sample": sample}
            for s, t, snap, ret, sample in con.execute("""
                select source, table_name, snapshot_id, retrieved_at, sample from meta.load_log
                qualify row_number() over (partition by source, table_name order by loaded_at desc) = 1
                order by source, table_name""").fetchall()
        ] if "load_log" in {r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'meta'").fetchall()} else []
    licensing = {
        "licences": {s["source"]: policy.licences.get(s["source"]) for s in snapshots},
        "mart_licences": mart_licences,
        "licensed_rows_exported": policy.include_restricted,
        "rows_left_out_of_exports": {"reason": "licensed to the user, not for redistribution "
                                               "(set CADENA_EXPORT_LICENSED=1 to export them)",
                                     "sources": sorted(policy.restricted_sources), "rows": left_out},
    }
    return tables, rows, snapshots, licensing


def _point_at(published_db: Path, folder: Path) -> None:
    """Swap the analysts' database and exports links to ``folder`` atomically."""
    tmp = published_db.with_name(f".{published_db.name}.{uuid.uuid4().hex}.tmp")
    os.link(folder / DB_NAME, tmp)
    os.replace(tmp, published_db)
    exports_link = published_db.parent / "exports"
    tmp_link = published_db.parent / f".exports.{uuid.uuid4().hex}.tmp"
    tmp_link.symlink_to(folder / "exports", target_is_directory=True)
    if exports_link.is_dir() and not exports_link.is_symlink():
        shutil.rmtree(exports_link)
    os.replace(tmp_link, exports_link)
    current = publications_dir(published_db) / CURRENT
    tmp_current = current.with_name(f".{CURRENT}.{uuid.uuid4().hex}.tmp")
    tmp_current.write_text(folder.name)
    os.replace(tmp_current, current)


def list_publications(published_db: Path) -> list[str]:
    root = publications_dir(published_db)
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")) if root.is_dir() else []


def current_publication(published_db: Path) -> str | None:
    current = publications_dir(published_db) / CURRENT
    return current.read_text().strip() if current.is_file() else None


def publish(working_db: Path, published_db: Path, *, keep: int = 5, policy: ExportPolicy | None = None) -> Publication:
    """Build a new publication from ``working_db`` and make it the one analysts open."""
    if not working_db.is_file():
        raise PublishError(f"publish: no working database at {working_db}; run a build first")
    published_at = datetime.now(UTC)
    publication_id = f"{published_at:%Y%m%dT%H%M%S%fZ}"
    root = publications_dir(published_db)
    root.mkdir(parents=True, exist_ok=True)
    tmp = root / f".{publication_id}.{uuid.uuid4().hex}.tmp"
    try:
        tables, rows, snapshots, licensing = _build_folder(working_db, tmp, policy)
        manifest = {
            **licensing,
            "publication_id": publication_id,
            "published_at": published_at.isoformat(),
            "database": DB_NAME,
            "storage_version": STORAGE_VERSION,
            "tables": rows,
            "source_snapshots": snapshots,
            "dbt_version": _version("dbt-core"),
            "duckdb_version": _version("duckdb"),
            "git_commit": _git_commit(Path(__file__).resolve().parents[2]),
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
        folder = root / publication_id
        os.replace(tmp, folder)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    _point_at(published_db, folder)
    for old in list_publications(published_db)[:-keep]:
        shutil.rmtree(root / old, ignore_errors=True)
    return Publication(publication_id, folder, published_db, published_at, published_db.stat().st_size, tables,
                       len(rows))


def rollback(published_db: Path) -> str:
    """Point the analysts' files at the publication before the current one; returns its id."""
    ids = list_publications(published_db)
    current = current_publication(published_db)
    if current not in ids or ids.index(current) == 0:
        raise PublishError("publish --rollback: there is no earlier publication to go back to")
    previous = ids[ids.index(current) - 1]
    _point_at(published_db, publications_dir(published_db) / previous)
    return previous
