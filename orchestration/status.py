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
        if attempt.get("status") == "failed" and fresh.verdict == "fresh":
            # its data is within cadence, but the source is failing now: never call it plainly fresh
            freshness = f"FAILING since {(attempt.get('finished_at') or '?')[:16]} ({freshness})"
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


def warehouse_lines(settings: Settings) -> list[str]:
    """One line each for what an operator must know about the published warehouse: missing or corrupt,
    behind a failed build, loads waiting to be published."""
    from ingestors.core.publish import check_published
    from orchestration import build_policy

    lines = []
    if problem := check_published(settings.published_db):
        lines.append(problem)
    if failed := build_policy.failed_build(settings):
        lines.append(f"the published warehouse is behind a failed build ({failed['failed_at'][:16]} UTC): "
                     f"{failed['message']}")
    if waiting := build_policy.pending(settings):
        lines.append(f"loaded but not yet published: {', '.join(sorted(waiting))} "
                     "(the next refresh, CLI or sensor, builds and publishes them)")
    return lines
