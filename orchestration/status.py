"""`cadena status`: per source, what was last loaded and whether it is fresh.

Reads the small state files and snapshot sidecars only, never the working
DuckDB file (which a running build may hold).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ingestors import state
from ingestors.config import Settings
from ingestors.sources import ALL


def source_status(settings: Settings, *, now: datetime | None = None) -> list[dict[str, Any]]:
    now = now or datetime.now(UTC)
    rows = []
    for source in ALL:
        st = state.read(settings, source.name)
        good = st.get("last_success") or {}
        attempt = st.get("last_attempt") or {}
        seen = good.get("checked_at") or good.get("finished_at")
        if not seen:
            freshness = "never loaded"
        else:
            age = now - datetime.fromisoformat(seen)
            hours = age.total_seconds() / 3600
            verdict = "fresh" if age <= source.max_age else "STALE"
            freshness = f"{verdict} ({hours:.1f}h old, cadence {source.cadence})"
        last = attempt.get("status", "-")
        if last in ("failed", "skipped"):
            last = f"{last}: {attempt.get('message', '')}"
        rows.append({
            "source": source.name,
            "family": source.family,
            "cadence": source.cadence,
            "snapshot_id": good.get("snapshot_id", "-"),
            "retrieved_at": (good.get("retrieved_at") or "-")[:19],
            "rows": sum((good.get("rows") or {}).values()) if good else 0,
            "quarantined": good.get("quarantined", 0) if good else 0,
            "freshness": freshness,
            "last_attempt": last,
        })
    return rows
