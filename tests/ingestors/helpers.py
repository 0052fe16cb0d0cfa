"""Helpers for parser tests: build a snapshot from files without any HTTP."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ingestors.core.pipeline import ParseResult, parse_snapshot
from ingestors.core.registry import Source
from ingestors.core.snapshots import Snapshot, SnapshotStore


def snapshot_from_files(root: Path, source: str, files: Mapping[str, bytes | Path],
                        urls: Mapping[str, str] | None = None) -> Snapshot:
    """Write ``files`` (name -> bytes or a path to copy) as one committed snapshot."""
    writer = SnapshotStore(root).writer(source, licence="test", sample=True)
    for name, content in files.items():
        data = content.read_bytes() if isinstance(content, Path) else content
        writer.add(name, url=(urls or {}).get(name, f"https://example.invalid/{name}"), query=None,
                   status=200, headers={}, content=data)
    return writer.commit()


def parse_files(root: Path, source: Source, files: Mapping[str, bytes | Path],
                urls: Mapping[str, str] | None = None) -> ParseResult:
    """Parse and validate ``files`` exactly as a run would."""
    return parse_snapshot(source, snapshot_from_files(root, source.name, files, urls))
