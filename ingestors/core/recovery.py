"""Recovery and replay from the raw snapshot store, with no network.

* :func:`rebuild_from_raw` (``cadena rebuild --from-raw``) builds a new working
  database from each source's newest stored snapshot (falling back to its last
  good one when the newest no longer parses), under a temporary name, and
  swaps it in. The dbt snapshot history (schema ``snapshots``) is carried over
  from the old file when it still opens. The sources loaded are returned so
  the caller can mark them pending: the next build publishes them.
* :func:`export_bundle` / :func:`import_bundle` (``cadena snapshots export`` /
  ``import``) move snapshots between machines as one ``.tar.gz``. Import
  checks every file against its sidecar's size and sha256 and the snapshot's
  content hash, refuses paths that leave the store, skips snapshots already
  present and moves each verified snapshot into place with one rename. A team
  with one machine online can share what it fetched; the others import and
  ``cadena rebuild --from-raw``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tarfile
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import duckdb

from ingestors.core import state
from ingestors.core.config import Settings
from ingestors.core.errors import CadenaError
from ingestors.core.load import load_snapshot
from ingestors.core.registry import Source
from ingestors.core.snapshots import SIDECAR, Snapshot, SnapshotStore, _content_hash, decode

HISTORY_SCHEMA = "snapshots"


class BundleError(CadenaError):
    """A bundle that cannot be imported: one line naming the snapshot and file."""


@dataclass
class Rebuilt:
    loaded: dict[str, str] = field(default_factory=dict)  # source -> snapshot id
    failed: dict[str, str] = field(default_factory=dict)  # source -> one line
    history_kept: bool = False


def _candidates(store: SnapshotStore, settings: Settings, source: Source) -> list[Snapshot]:
    ids = store.list(source.name)
    good = (state.read(settings, source.name).get("last_success") or {}).get("snapshot_id")
    chosen = ids[-1:] + ([good] if good and good in ids and good != (ids[-1] if ids else None) else [])
    return [store.open(source.name, i) for i in chosen]


def rebuild_from_raw(settings: Settings, sources: list[Source]) -> Rebuilt:
    """Rebuild the working database's raw tables from stored snapshots (see module docstring)."""
    from ingestors.core.pipeline import parse_snapshot

    store = SnapshotStore(settings.raw_dir)
    work = settings.working_db
    work.parent.mkdir(parents=True, exist_ok=True)
    tmp = work.with_name(f".tmp-rebuild-{uuid.uuid4().hex}.duckdb")
    result = Rebuilt()
    try:
        for source in sources:
            snapshots = _candidates(store, settings, source)
            if not snapshots:
                result.failed[source.name] = f"{source.name}: no stored snapshot"
                continue
            for snapshot in snapshots:
                try:
                    parsed = parse_snapshot(source, snapshot)
                    load_snapshot(tmp, source, snapshot, parsed.rows, parsed.quarantine)
                except CadenaError as exc:
                    result.failed[source.name] = str(exc)
                    continue
                result.loaded[source.name] = snapshot.snapshot_id
                result.failed.pop(source.name, None)
                break
        result.history_kept = _carry_history(work, tmp)
        if work.exists():
            os.replace(work, work.with_name(work.name + ".before-rebuild"))
        if tmp.exists():
            os.replace(tmp, work)
    finally:
        tmp.unlink(missing_ok=True)
        tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)
    return result


def _carry_history(old: Path, new: Path) -> bool:
    """Copy the dbt snapshot history tables from ``old`` into ``new`` when ``old`` opens."""
    if not old.is_file() or not new.is_file():
        return False
    try:
        with duckdb.connect(str(new)) as con:
            con.execute("attach ? as old (read_only)", [str(old)])
            tables = [r[0] for r in con.execute(
                "select table_name from information_schema.tables where table_catalog = 'old' "
                "and table_schema = ?", [HISTORY_SCHEMA]).fetchall()]
            con.execute(f"create schema if not exists {HISTORY_SCHEMA}")
            for table in tables:
                con.execute(f'create table {HISTORY_SCHEMA}."{table}" as select * from old.{HISTORY_SCHEMA}."{table}"')
            con.execute("detach old")
        return bool(tables)
    except duckdb.Error:
        return False


def export_bundle(settings: Settings, out: Path, *, sources: list[str] | None = None) -> int:
    """Write the chosen sources' snapshots (all when ``sources`` is None) into ``out`` (.tar.gz)."""
    store = SnapshotStore(settings.raw_dir)
    names = sources or (sorted(p.name for p in settings.raw_dir.iterdir() if p.is_dir() and not p.name.startswith("_"))
                        if settings.raw_dir.is_dir() else [])
    count = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(out, "w:gz") as tar:
        for name in names:
            for snapshot_id in store.list(name):
                folder = store.source_dir(name) / snapshot_id
                for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
                    # every file as a regular member: snapshots share payloads as hard links
                    # (raw/_blobs), which tar would otherwise record as links to earlier members
                    info = tar.gettarinfo(str(path), arcname=f"{name}/{snapshot_id}/{path.name}")
                    info.type, info.linkname = tarfile.REGTYPE, ""
                    with path.open("rb") as fh:
                        tar.addfile(info, fh)
                count += 1
    return count


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def verify(folder: Path, where: str) -> dict:
    """Check a snapshot folder against its sidecar; returns the sidecar or raises :class:`BundleError`."""
    try:
        meta = json.loads((folder / SIDECAR).read_text())
    except (OSError, ValueError) as exc:
        raise BundleError(f"{where}: no readable {SIDECAR} ({exc})") from None
    listed = {f["name"] for f in meta.get("files", [])}
    present = {p.name for p in folder.iterdir()} - {SIDECAR}
    if present != listed:
        raise BundleError(f"{where}: files {sorted(present ^ listed)} differ from the sidecar's list")
    for entry in meta["files"]:
        path = folder / entry["name"]
        if not path.is_file() or path.is_symlink():
            raise BundleError(f"{where}/{entry['name']}: not a regular file")
        stored = entry.get("stored", "plain")
        if stored != "plain":  # compressed on disk: the sidecar's size and sha256 are the payload's
            payload = decode(path.read_bytes(), stored)
            good = len(payload) == entry["size"] and hashlib.sha256(payload).hexdigest() == entry["sha256"]
        else:
            good = path.stat().st_size == entry["size"] and _sha256(path) == entry["sha256"]
        if not good:
            raise BundleError(f"{where}/{entry['name']}: size or sha256 differs from the sidecar; not imported")
    content = _content_hash({f["name"]: f["sha256"] for f in meta["files"] if not f.get("volatile")})
    if content != meta.get("content_sha256") or not meta.get("snapshot_id", "").endswith(content[:10]):
        raise BundleError(f"{where}: content hash does not match the snapshot id; not imported")
    return meta


def import_bundle(settings: Settings, bundle: Path) -> tuple[int, int]:
    """Import every snapshot of ``bundle``; returns (imported, already present). All-or-nothing per snapshot."""
    imported = present = 0
    store = SnapshotStore(settings.raw_dir)
    with tempfile.TemporaryDirectory(dir=settings.warehouse_dir if settings.warehouse_dir.is_dir() else None) as tmp:
        root = Path(tmp)
        with tarfile.open(bundle, "r:*") as tar:
            for member in tar.getmembers():
                parts = PurePosixPath(member.name).parts
                if (member.name.startswith("/") or ".." in parts or len(parts) > 3
                        or not (member.isfile() or member.isdir())):
                    raise BundleError(f"{bundle.name}: entry {member.name!r} is not a snapshot file; not imported")
            tar.extractall(root, filter="data")
        for source_dir in sorted(p for p in root.iterdir() if p.is_dir()):
            for folder in sorted(p for p in source_dir.iterdir() if p.is_dir()):
                where = f"{source_dir.name}/{folder.name}"
                meta = verify(folder, where)
                if meta["source"] != source_dir.name or meta["snapshot_id"] != folder.name:
                    raise BundleError(f"{where}: the sidecar names {meta['source']}/{meta['snapshot_id']}")
                final = store.source_dir(source_dir.name) / folder.name
                if final.exists():
                    present += 1
                    continue
                final.parent.mkdir(parents=True, exist_ok=True)
                staging = final.parent / f".tmp-{uuid.uuid4().hex}"
                shutil.copytree(folder, staging)
                os.replace(staging, final)
                for entry in meta["files"]:  # store each payload once, as the fetch does
                    store.share(final / entry["name"], entry["sha256"])
                imported += 1
    return imported, present
