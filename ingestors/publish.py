"""Publish the working DuckDB file as the read-only copy analysts open.

The working database is copied (``COPY FROM DATABASE``) into a temporary file
beside the published one, written in DuckDB's v1.4 storage format so that
older readers open it too (the `duckdb` CLI from PyPI, BI drivers that lag
behind), checked (it opens and has the marts), then swapped into place with
``os.replace``: atomic on POSIX, so a reader sees either the previous
publication or the new one. A reader with the file open keeps the old copy
until it reconnects. Nothing here runs unless the build before it succeeded.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

REQUIRED_TABLES = ("mart_infrastructure__country",)
# Readable by DuckDB 1.4 and newer.
STORAGE_VERSION = "v1.4.0"


@dataclass(frozen=True)
class Publication:
    path: Path
    published_at: datetime
    size_bytes: int
    tables: int


class PublishError(RuntimeError):
    pass


def publish(working_db: Path, published_db: Path) -> Publication:
    """Swap a checked copy of ``working_db`` into ``published_db`` atomically."""
    if not working_db.is_file():
        raise PublishError(f"publish: no working database at {working_db}; run a build first")
    published_db.parent.mkdir(parents=True, exist_ok=True)
    tmp = published_db.with_name(f".{published_db.name}.{uuid.uuid4().hex}.tmp")
    try:
        with duckdb.connect() as con:
            con.execute("attach ? as work (read_only)", [str(working_db)])
            con.execute(f"attach ? as pub (storage_version '{STORAGE_VERSION}')", [str(tmp)])
            con.execute("copy from database work to pub")
        with duckdb.connect(str(tmp), read_only=True) as con:
            names = {r[0] for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'main'").fetchall()}
            missing = [t for t in REQUIRED_TABLES if t not in names]
            if missing:
                raise PublishError(f"publish: the build has no {', '.join(missing)}; keeping the last publication")
            tables = con.execute("select count(*) from information_schema.tables").fetchone()[0]
        os.replace(tmp, published_db)
    finally:
        tmp.unlink(missing_ok=True)
    published_at = datetime.now(UTC)
    info = Publication(published_db, published_at, published_db.stat().st_size, tables)
    sidecar = published_db.with_suffix(".published.json")
    sidecar_tmp = sidecar.with_name(f".{sidecar.name}.tmp")
    sidecar_tmp.write_text(json.dumps({"published_at": published_at.isoformat(), "size_bytes": info.size_bytes,
                                       "tables": tables}, indent=2))
    os.replace(sidecar_tmp, sidecar)
    return info
