"""Per-source run state in small JSON files (``warehouse/state/<source>.json``).

`cadena status` reads these rather than the working DuckDB file, which may be
locked by a running build.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from ingestors.core.config import Settings

Status = Literal["loaded", "unchanged", "skipped", "failed"]


@dataclass
class RunResult:
    source: str
    status: Status
    snapshot_id: str | None = None
    retrieved_at: datetime | None = None
    rows: dict[str, int] = field(default_factory=dict)
    partitions: dict[str, dict[str, int]] = field(default_factory=dict)  # rows per partition (shrink guard)
    sample: bool = False  # loaded from an offline sample (the shrink guard compares like with like)
    quarantined: int = 0
    requests: int = 0
    message: str = ""

    @property
    def changed(self) -> bool:
        return self.status == "loaded"


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


@dataclass(frozen=True)
class Freshness:
    """The one freshness rule: a source is fresh when its last good fetch is at most one cadence old.

    ``cadena status``, the ingest assets' ``fetched_within_cadence`` check, the marts'
    ``inputs_within_cadence`` check and the generated dbt source freshness (warn after one
    cadence) all read it from here.
    """

    verdict: Literal["fresh", "stale", "never loaded", "not configured"]
    last_good: str | None
    age: timedelta | None
    max_age: timedelta

    @property
    def ok(self) -> bool:
        return self.verdict in ("fresh", "not configured")

    def describe(self, cadence: str) -> str:
        if self.age is None:
            return self.verdict
        hours = self.age.total_seconds() / 3600
        age = f"{hours / 24:.1f} days" if hours >= 48 else f"{hours:.1f}h"
        return f"{self.verdict} ({age} old, cadence {cadence})"


def freshness(settings: Settings, source: str, max_age: timedelta, *, now: datetime) -> Freshness:
    seen, age = last_good_fetch(settings, source, now=now)
    if age is None:
        skipped = (read(settings, source).get("last_attempt") or {}).get("status") == "skipped"
        return Freshness("not configured" if skipped else "never loaded", None, None, max_age)
    return Freshness("fresh" if age <= max_age else "stale", seen, age, max_age)
