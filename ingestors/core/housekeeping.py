"""Housekeeping: leftovers of interrupted runs, dbt's run folders, and the raw snapshot retention policy.

:func:`sweep` runs at the start of every refresh, while the writer lock is
held, and removes, once they are an hour old (a fetch outside the lock may be
writing one now),
``.tmp-*`` snapshot folders, ``.ndjson`` load files in ``work/``, unfinished
publication folders and the temporary links of a publication switch, and
temporary state files. :func:`prune_run_folders` keeps the newest few of the
per-run folders dagster-dbt leaves in ``dbt_project/target/``.

Retention of raw snapshots (:func:`prune_snapshots`, ``cadena snapshots
prune``), per source. A snapshot is kept when any of these holds:

* it is the source's latest, or its last good load (``state/<source>.json``);
* a kept publication's ``manifest.json`` names it (rollback can be explained);
* it is younger than ``keep_days`` (default 90);
* it is the last snapshot of its calendar month: one checkpoint a month is
  kept for ever, so the history can always be replayed at monthly grain.

Everything else is deleted. ``--dry-run`` lists what would go.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ingestors.core import state
from ingestors.core.config import Settings
from ingestors.core.publish import MANIFEST, list_publications, publications_dir
from ingestors.core.snapshots import SnapshotStore

KEEP_RUN_FOLDERS = 3
KEEP_DAYS = 90


@dataclass
class Swept:
    paths: list[Path] = field(default_factory=list)
    bytes: int = 0

    def add(self, path: Path) -> None:
        self.bytes += _size(path)
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        self.paths.append(path)


def _size(path: Path) -> int:
    if path.is_symlink() or not path.exists():
        return 0
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def sweep(settings: Settings, *, min_age_s: float = 3600.0) -> Swept:
    """Remove what interrupted writers left behind. Call it only while holding the writer lock.

    Only leftovers untouched for ``min_age_s`` go: a fetch (which runs outside the lock, in a
    scheduled Dagster run say) may be writing a ``.tmp-*`` snapshot folder right now.
    """
    candidates: list[Path] = []
    if settings.raw_dir.is_dir():
        for source_dir in (p for p in settings.raw_dir.iterdir() if p.is_dir()):
            candidates += source_dir.glob(".tmp-*")
    work = settings.working_db.parent
    if work.is_dir():
        candidates += [*work.glob("*.ndjson"), *work.glob(".tmp-*")]
    pubs = publications_dir(settings.published_db)
    if pubs.is_dir():
        candidates += [*pubs.glob(".tmp-*"), *pubs.glob(".*.tmp")]
    top = settings.published_db.parent
    if top.is_dir():
        candidates += [*top.glob(".tmp-*"), *top.glob(".*.tmp")]
    if settings.state_dir.is_dir():
        candidates += [*settings.state_dir.glob("tmp*.json"), *settings.state_dir.glob(".tmp-*")]
    cutoff = time.time() - min_age_s
    swept = Swept()
    for path in candidates:
        try:
            old = path.lstat().st_mtime <= cutoff
        except FileNotFoundError:
            continue
        if old:
            swept.add(path)
    return swept


def prune_run_folders(target_dir: Path, keep: int = KEEP_RUN_FOLDERS) -> Swept:
    """Keep the ``keep`` newest per-run folders dagster-dbt writes under ``target/``."""
    swept = Swept()
    if not target_dir.is_dir():
        return swept
    runs = sorted((p for p in target_dir.iterdir() if p.is_dir() and not p.is_symlink()),
                  key=lambda p: p.stat().st_mtime)
    for old in runs[:-keep] if keep else runs:
        swept.add(old)
    return swept


def protected_snapshots(settings: Settings) -> set[tuple[str, str]]:
    """(source, snapshot id) pairs a publication or a last good load needs."""
    keep: set[tuple[str, str]] = set()
    root = publications_dir(settings.published_db)
    for pub_id in list_publications(settings.published_db):
        try:
            manifest = json.loads((root / pub_id / MANIFEST).read_text())
        except (OSError, ValueError):
            continue
        keep |= {(s["source"], s["snapshot_id"]) for s in manifest.get("source_snapshots", [])}
    if settings.state_dir.is_dir():
        for path in settings.state_dir.glob("*.json"):
            if path.name.startswith(("_", ".", "tmp")):
                continue
            good = state.read(settings, path.stem).get("last_success") or {}
            if good.get("snapshot_id"):
                keep.add((path.stem, good["snapshot_id"]))
    return keep


def _taken_at(snapshot_id: str) -> datetime | None:
    try:
        return datetime.strptime(snapshot_id.split("-")[0], "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def prune_snapshots(settings: Settings, *, keep_days: int = KEEP_DAYS, dry_run: bool = False,
                    now: datetime | None = None) -> Swept:
    """Apply the retention policy (module docstring) to every source's raw snapshots."""
    now = now or datetime.now(UTC)
    store = SnapshotStore(settings.raw_dir)
    protected = protected_snapshots(settings)
    swept = Swept()
    if not settings.raw_dir.is_dir():
        return swept
    for source_dir in sorted(p for p in settings.raw_dir.iterdir() if p.is_dir() and not p.name.startswith("_")):
        ids = store.list(source_dir.name)
        month_last = {}
        for snapshot_id in ids:  # ids sort by time: the last one seen in a month is its checkpoint
            taken = _taken_at(snapshot_id)
            if taken:
                month_last[(taken.year, taken.month)] = snapshot_id
        for snapshot_id in ids[:-1]:
            taken = _taken_at(snapshot_id)
            if (source_dir.name, snapshot_id) in protected or taken is None:
                continue
            if now - taken < timedelta(days=keep_days) or month_last.get((taken.year, taken.month)) == snapshot_id:
                continue
            path = source_dir / snapshot_id
            if dry_run:
                swept.paths.append(path)
                swept.bytes += _size(path)
            else:
                swept.add(path)
    if not dry_run:
        store.sweep_blobs()  # payloads no snapshot holds any more
    return swept
