"""Per-source run state in small JSON files (``warehouse/state/<source>.json``).

`cadena status` reads these rather than the working DuckDB file, which may be
locked by a running build.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from ingestors.core.config import Settings

if TYPE_CHECKING:
    from ingestors.core.pipeline import RunResult


def read(settings: Settings, source: str) -> dict[str, Any]:
    path = settings.state_dir / f"{source}.json"
    return json.loads(path.read_text()) if path.is_file() else {}


def record(settings: Settings, source: str, started: datetime, result: RunResult) -> None:
    current = read(settings, source)
    entry = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in asdict(result).items()}
    entry["started_at"] = started.isoformat()
    entry["finished_at"] = datetime.now(UTC).isoformat()
    current["last_attempt"] = entry
    if result.status == "loaded":
        current["last_success"] = entry
    elif result.status == "unchanged" and current.get("last_success"):
        current["last_success"]["checked_at"] = entry["finished_at"]
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=settings.state_dir, suffix=".json")
    with os.fdopen(fd, "w") as fh:
        json.dump(current, fh, indent=2, sort_keys=True)
    os.replace(tmp, settings.state_dir / f"{source}.json")


def last_good_fetch(settings: Settings, source: str, *, now: datetime) -> tuple[str | None, timedelta | None]:
    """When the source's payload was last fetched good (loaded, or seen unchanged), and how long ago."""
    good = read(settings, source).get("last_success") or {}
    seen = good.get("checked_at") or good.get("finished_at")
    return seen, (now - datetime.fromisoformat(seen)) if seen else None
