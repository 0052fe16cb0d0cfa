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
* ``exports/market_map.{csv,parquet,html}``: the market map (every organisation
  in its layer and the countries where it operates, with evidence), the HTML a
  self-contained page an analyst can share (:mod:`ingestors.core.market_map`);
* ``manifest.json``: publication time, the snapshot of every source table,
  row counts, the licence of every source and the licences behind each
  exported mart, the rows left out and why, dbt and DuckDB versions, the git
  commit.

The folder is built under a temporary name (``.tmp-*``, swept by the next
refresh if a kill leaves it), checked (it opens and has the marts), sealed
(every file read-only, 0444) and renamed. Then one ``os.replace`` switches
the symbolic link ``publications/CURRENT`` to it. What analysts open are fixed
links through ``CURRENT``::

    warehouse/cadena.duckdb  -> publications/CURRENT/cadena.duckdb
    warehouse/exports        -> publications/CURRENT/exports
    warehouse/manifest.json  -> publications/CURRENT/manifest.json

so the database, the exports and the manifest change together, in one step.
A kill before the switch leaves the previous publication current; after it,
the new one. A reader keeps the file it opened until it reconnects. Each
publication is its own copy: nothing is hard-linked, so writing to one (which
its 0444 mode refuses anyway) cannot change another. The last ``keep``
publications are kept; :func:`rollback` switches ``CURRENT`` back to the last
complete one before it. Publishing and rolling back hold the writer lock
(:mod:`ingestors.core.lock`). Nothing here runs unless the build before it
succeeded.
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

from ingestors.core import market_map
from ingestors.core.lock import writer_lock

REQUIRED_TABLES = ("mart_infrastructure__country",)
MART_PREFIXES = ("dim_", "fct_", "bridge_", "mart_")
# Readable by DuckDB 1.4 and newer.
STORAGE_VERSION = "v1.4.0"
DB_NAME = "cadena.duckdb"
CURRENT = "CURRENT"
MANIFEST = "manifest.json"


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


def _build_folder(working_db: Path, folder: Path, policy: ExportPolicy | None = None,
                  publication_id: str = "", published_at: str = "") -> tuple[int, dict[str, int], list[dict], dict]:
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
        the_map = market_map.export(con, exports, publication_id=publication_id, published_at=published_at,
                                    licences=policy.licences, restricted_sources=policy.restricted_sources,
                                    include_restricted=policy.include_restricted)
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
        "market_map": the_map,
    }
    return tables, rows, snapshots, licensing


def _replace_with_symlink(link: Path, target: str, *, is_dir: bool) -> None:
    """Make ``link`` a symbolic link to ``target`` in one ``os.replace``.

    A real folder in its way (a warehouse copied without its links) is removed first.
    """
    if link.is_dir() and not link.is_symlink():
        shutil.rmtree(link)
    tmp = link.with_name(f".tmp-{link.name}.{uuid.uuid4().hex}")
    tmp.symlink_to(target, target_is_directory=is_dir)
    os.replace(tmp, link)


def _point_at(published_db: Path, folder: Path) -> None:
    """Make ``folder`` the publication analysts open: one atomic switch of ``publications/CURRENT``.

    ``cadena.duckdb``, ``exports`` and ``manifest.json`` beside the publications are fixed
    links through ``CURRENT``, so database, exports and manifest change together.
    """
    root = publications_dir(published_db)
    _replace_with_symlink(root / CURRENT, folder.name, is_dir=True)
    fixed = {published_db: f"{root.name}/{CURRENT}/{DB_NAME}",
             published_db.parent / "exports": f"{root.name}/{CURRENT}/exports",
             published_db.parent / MANIFEST: f"{root.name}/{CURRENT}/{MANIFEST}"}
    for link, target in fixed.items():
        if not (link.is_symlink() and os.readlink(link) == target):
            _replace_with_symlink(link, target, is_dir=link.name == "exports")


def _seal(folder: Path) -> None:
    """Make every file of a publication read-only (0444): an analyst who forgets ``read_only``
    gets an error, not a changed publication."""
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            path.chmod(0o444)


def complete(folder: Path) -> bool:
    """A publication folder that was fully written (database and manifest present)."""
    return (folder / DB_NAME).is_file() and (folder / MANIFEST).is_file()


def list_publications(published_db: Path) -> list[str]:
    root = publications_dir(published_db)
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir()
                  if p.is_dir() and not p.is_symlink() and not p.name.startswith(".") and p.name != CURRENT)


def current_publication(published_db: Path) -> str | None:
    current = publications_dir(published_db) / CURRENT
    if current.is_symlink():
        return Path(os.readlink(current)).name
    return current.read_text().strip() if current.is_file() else None  # the layout before links


def check_published(published_db: Path) -> str | None:
    """``None`` when the published database opens and has its marts, else one line saying what is wrong."""
    if not published_db.exists():
        return f"no published warehouse at {published_db}; run `cadena refresh`"
    try:
        with duckdb.connect(str(published_db), read_only=True) as con:
            names = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
    except duckdb.Error as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return f"the published warehouse {published_db} is corrupt ({first}); `cadena publish --rollback` " \
               "goes back to the previous publication"
    missing = [t for t in REQUIRED_TABLES if t not in names]
    if missing:
        return f"the published warehouse {published_db} lacks {', '.join(missing)}"
    return None


def publish(working_db: Path, published_db: Path, *, keep: int = 5, policy: ExportPolicy | None = None) -> Publication:
    """Build a new publication from ``working_db`` and make it the one analysts open."""
    with writer_lock(published_db.parent, purpose="publish"):
        return _publish(working_db, published_db, keep=keep, policy=policy)


def _publish(working_db: Path, published_db: Path, *, keep: int, policy: ExportPolicy | None) -> Publication:
    if not working_db.is_file():
        raise PublishError(f"publish: no working database at {working_db}; run a build first")
    published_at = datetime.now(UTC)
    publication_id = f"{published_at:%Y%m%dT%H%M%S%fZ}"
    root = publications_dir(published_db)
    root.mkdir(parents=True, exist_ok=True)
    tmp = root / f".tmp-{publication_id}.{uuid.uuid4().hex}"
    try:
        tables, rows, snapshots, licensing = _build_folder(working_db, tmp, policy, publication_id,
                                                           published_at.isoformat())
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
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
        _seal(tmp)
        folder = root / publication_id
        os.replace(tmp, folder)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    _point_at(published_db, folder)
    current = folder.name
    for old in [p for p in list_publications(published_db) if p != current][:-(keep - 1) or None]:
        if keep > 0:
            shutil.rmtree(root / old, ignore_errors=True)
    return Publication(publication_id, folder, published_db, published_at, published_db.stat().st_size, tables,
                       len(rows))


def rollback(published_db: Path) -> str:
    """Point the analysts' files at the last complete publication before the current one; returns its id.

    Works after an interruption anywhere: a publication folder left incomplete, or
    one renamed into place but never switched to, is passed over.
    """
    with writer_lock(published_db.parent, purpose="publish --rollback"):
        ids = list_publications(published_db)
        current = current_publication(published_db)
        older = [i for i in ids if current is None or i < current]
        candidates = [i for i in older if complete(publications_dir(published_db) / i)]
        if not candidates:
            raise PublishError("publish --rollback: there is no earlier publication to go back to")
        previous = candidates[-1]
        _point_at(published_db, publications_dir(published_db) / previous)
        return previous
