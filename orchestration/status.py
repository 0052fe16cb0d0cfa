"""`cadena status`: per source, what was last loaded and whether it is fresh.

Reads the small state files and snapshot sidecars only, never the working
DuckDB file (which a running build may hold).
"""

from __future__ import annotations

import json
from collections import deque
from datetime import UTC, datetime
from functools import cache
from typing import Any

from ingestors.core import state
from ingestors.core.config import Settings
from ingestors.core.publish import MART_PREFIXES
from ingestors.sources import ALL


@cache
def _child_map() -> dict[str, list[str]]:
    from orchestration.dbt_manifest import MANIFEST

    if not MANIFEST.is_file():
        return {}
    return json.loads(MANIFEST.read_text()).get("child_map", {})


def downstream_marts(source_name: str) -> list[str]:
    """The marts built (directly or not) from a source's raw tables, from the dbt manifest."""
    children = _child_map()
    queue = deque(node for node in children if node.startswith(f"source.cadena.{source_name}."))
    seen, marts = set(queue), set()
    while queue:
        for child in children.get(queue.popleft(), []):
            if child in seen:
                continue
            seen.add(child)
            queue.append(child)
            name = child.split(".")[-1]
            if child.startswith("model.") and name.startswith(MART_PREFIXES):
                marts.add(name)
    return sorted(marts)


def source_status(settings: Settings, *, now: datetime | None = None) -> list[dict[str, Any]]:
    now = now or datetime.now(UTC)
    rows = []
    for source in ALL:
        st = state.read(settings, source.name)
        good = st.get("last_success") or {}
        attempt = st.get("last_attempt") or {}
        fresh = state.freshness(settings, source.name, source.max_age, now=now)
        freshness = fresh.describe(source.cadence).replace("stale", "STALE", 1)
        last = attempt.get("status", "-")
        if last in ("failed", "skipped"):
            last = f"{last}: {attempt.get('message', '')}"
        stale = fresh.verdict == "stale" or attempt.get("status") == "failed"
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
            # what a stale or failing source means downstream: these marts carry its last good data
            "affects": ", ".join(downstream_marts(source.name)) if stale else "",
        })
    return rows
