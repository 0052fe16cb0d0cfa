"""The dashboard's only way into the data: read-only queries on the published file.

Rules this module keeps:

* It opens ``Settings.published_db`` (``<warehouse>/cadena.duckdb``), read-only,
  and nothing else: never the pipeline's working file.
* Every query batch gets a private in-memory DuckDB that ``ATTACH``-es the file
  read-only and is closed at once. ``duckdb.connect(path)`` would share one
  database instance per path across the process, so a session could keep
  reading the file a publish has since swapped out; a private attach always
  opens what the path points at now.
* ``publish`` swaps the file with ``os.replace`` (a new inode). The identity of
  what we read is the file's fingerprint (device, inode, size, mtime), taken
  before the batch and checked again once the file is attached. Results are
  cached per fingerprint, so a new publication is a cache miss and an old one
  is never served under the new label. If the file changed mid-run,
  :class:`PublicationChanged` is raised and the app reruns the page on the
  new publication: one page never mixes two publications.
* The publication id is the folder under ``publications/`` whose database is
  the file the published path leads to (``cadena.duckdb`` is a link through
  ``publications/CURRENT``); what ``CURRENT`` names when the warehouse was
  copied without its links.
* Before a page runs, :func:`problem` says in one sentence why a publication
  cannot be shown (not a DuckDB file, truncated, without the core marts), and
  :func:`in_progress` whether a first publication is being written: the app
  shows that instead of a traceback.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from ingestors.core.config import Settings
from ingestors.core.publish import DB_NAME, publications_dir
from ingestors.core.publish import current_publication as current_publication_id


class PublicationChanged(RuntimeError):
    """The published file was swapped while a page was reading it."""


# Without these the pages have nothing to stand on; the others are optional (a page says when one is missing).
CORE_MARTS = ("dim_country", "dim_layer", "dim_organizations", "mart_value_chain__country_layer",
              "mart_infrastructure__country")


@dataclass(frozen=True)
class Publication:
    path: Path
    key: str  # fingerprint of the file: what cached results are keyed on
    publication_id: str | None
    published_at: datetime | None
    git_commit: str | None
    manifest: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def label(self) -> str:
        return self.publication_id or f"unnamed ({self.path.name})"


@lru_cache(maxsize=1)
def default_published_db() -> Path:
    """``<CADENA_WAREHOUSE_DIR>/cadena.duckdb`` (default ``warehouse/cadena.duckdb``)."""
    return Settings.from_env().published_db


def fingerprint(path: Path) -> str:
    s = os.stat(path)
    return f"{s.st_dev}:{s.st_ino}:{s.st_size}:{s.st_mtime_ns}"


def _publication_id(path: Path) -> str | None:
    root = publications_dir(path)
    try:
        current = current_publication_id(path)
    except OSError:
        current = None
    try:
        others = sorted((p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")), reverse=True)
    except OSError:
        others = []
    for candidate in [current, *others]:
        if candidate is None:
            continue
        try:
            if os.path.samefile(root / candidate / DB_NAME, path):
                return candidate
        except OSError:  # pruned meanwhile, or never there
            continue
    return current


def _manifest(path: Path, publication_id: str | None) -> dict:
    if publication_id is None:
        return {}
    try:
        return json.loads((publications_dir(path) / publication_id / "manifest.json").read_text())
    except (OSError, ValueError):
        return {}


def current_publication(path: Path | None = None) -> Publication | None:
    """The publication the file points at now; ``None`` when nothing was published yet."""
    path = Path(path) if path is not None else default_published_db()
    for _ in range(5):
        try:
            key = fingerprint(path)
        except FileNotFoundError:
            return None
        publication_id = _publication_id(path)
        try:
            if fingerprint(path) == key:
                break
        except FileNotFoundError:
            return None
    manifest = _manifest(path, publication_id)
    published_at = None
    if manifest.get("published_at"):
        try:
            published_at = datetime.fromisoformat(manifest["published_at"])
        except ValueError:
            published_at = None
    return Publication(path, key, publication_id, published_at, manifest.get("git_commit"), manifest)


@contextmanager
def connect(path: Path, key: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the published file, guaranteed to be the file ``key`` names."""
    con = duckdb.connect()  # private in-memory instance, never shared through DuckDB's instance cache
    try:
        try:
            if fingerprint(path) != key:
                raise PublicationChanged(f"{path} changed before it was opened")
            con.execute("attach ? as pub (read_only)", [str(path)])
            if fingerprint(path) != key:
                raise PublicationChanged(f"{path} changed while it was opened")
        except FileNotFoundError as exc:
            raise PublicationChanged(f"{path} disappeared") from exc
        con.execute("use pub")
        yield con
    finally:
        con.close()


@st.cache_data(show_spinner=False, max_entries=512)
def _query(path: str, key: str, sql: str, params: tuple) -> pd.DataFrame:
    with connect(Path(path), key) as con:
        return con.execute(sql, list(params)).df()


@st.cache_data(show_spinner=False, max_entries=16)
def _schema(path: str, key: str) -> dict[str, tuple[str, ...]]:
    with connect(Path(path), key) as con:
        rows = con.execute("""
            select table_name, list(column_name order by ordinal_position)
            from information_schema.columns
            where table_catalog = 'pub' and table_schema = 'main'
            group by table_name""").fetchall()
    return {name: tuple(columns) for name, columns in rows}


def query(pub: Publication, sql: str, params: tuple = ()) -> pd.DataFrame:
    """Run ``sql`` on the publication's file (cached per publication); returns a copy to mutate freely."""
    return _query(str(pub.path), pub.key, sql, tuple(params)).copy()


def scalar(pub: Publication, sql: str, params: tuple = ()):
    frame = _query(str(pub.path), pub.key, sql, tuple(params))
    return None if frame.empty else frame.iat[0, 0]


def schema(pub: Publication) -> dict[str, tuple[str, ...]]:
    """Tables of the ``main`` schema (the marts) and their columns."""
    return _schema(str(pub.path), pub.key)


def has_table(pub: Publication, name: str, *columns: str) -> bool:
    cols = schema(pub).get(name)
    return cols is not None and all(c in cols for c in columns)


def table(pub: Publication, name: str) -> pd.DataFrame:
    """A whole mart (they are small). Unknown names raise ``KeyError`` rather than build SQL from them."""
    if name not in schema(pub):
        raise KeyError(f"{name} is not in publication {pub.label}")
    return query(pub, f'select * from main."{name}"')


def is_sample(pub: Publication) -> bool:
    """Whether any source table of this publication was loaded from the offline samples."""
    if has_table(pub, "mart_source_loads", "is_sample"):
        return bool(scalar(pub, "select coalesce(bool_or(is_sample), false) from mart_source_loads"))
    return any(s.get("sample") for s in pub.manifest.get("source_snapshots", []))


def one_line(exc: BaseException) -> str:
    """An exception as the one line a reader can act on (DuckDB's messages run over several)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


@st.cache_data(show_spinner=False, max_entries=16)
def _problem(path: str, key: str) -> str | None:
    try:
        with connect(Path(path), key) as con:
            names = {r[0] for r in con.execute("""select table_name from information_schema.tables
                                                  where table_catalog = 'pub' and table_schema = 'main'""").fetchall()}
    except duckdb.Error as exc:
        return f"it is not a readable DuckDB database ({one_line(exc)})"
    missing = [name for name in CORE_MARTS if name not in names]
    if missing:
        return f"it has none of the marts {', '.join(missing)}" if len(missing) == len(CORE_MARTS) else \
            f"it lacks the marts {', '.join(missing)}"
    return None


def problem(pub: Publication) -> str | None:
    """Why ``pub`` cannot be shown, in words; ``None`` when it can. Raises :class:`PublicationChanged`."""
    return _problem(str(pub.path), pub.key)


def in_progress(path: Path | None = None) -> bool:
    """Whether a publication is being written next to ``path`` right now (its temporary folder exists)."""
    root = publications_dir(Path(path) if path is not None else default_published_db())
    try:
        return any(p.name.startswith(".tmp-") or (p.name.startswith(".") and p.name.endswith(".tmp"))
                   for p in root.iterdir())
    except OSError:
        return False
