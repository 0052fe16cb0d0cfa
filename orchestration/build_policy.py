"""What to rebuild after which sources changed: one rule for `cadena refresh` and the sensors.

* **Full build** (every seed, model, snapshot and test, then the publication) when there is no
  publication yet, when asked (``--force``), or when the dbt project changed since the last
  publication (a new model or seed must be built whatever the data did).
* Otherwise a **subset**: the dbt assets downstream of the raw tables of every source waiting
  to be published, and the publication. Their tests run with them.

"Waiting to be published" is a durable list (``warehouse/state/_pending.json``): a source is
added when its load commits and removed only when a publication that contains it is swapped
in. A refresh killed during dbt or the publication, a failed build, or a full disk therefore
leaves the list as it was, and the next refresh (CLI or sensor) builds and publishes it.
``cadena status`` shows it.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from ingestors.core.config import Settings

PENDING_FILE = "_pending.json"
PUBLISHED_FILE = "_published_build.json"
FAILED_FILE = "_failed_build.json"


def _path(settings: Settings, name: str) -> Path:
    return settings.state_dir / name


def _read(path: Path) -> dict:
    try:
        return json.loads(path.read_text()) if path.is_file() else {}
    except json.JSONDecodeError:
        return {}


def _write(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".json")
    with os.fdopen(fd, "w") as fh:
        json.dump(data, fh, indent=2, sort_keys=True)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def pending(settings: Settings) -> dict[str, str]:
    """Source -> when its unpublished load happened."""
    return _read(_path(settings, PENDING_FILE))


def mark_pending(settings: Settings, sources: Iterable[str]) -> None:
    sources = list(sources)
    if not sources:
        return
    now = datetime.now(UTC).isoformat()
    _write(_path(settings, PENDING_FILE), {**pending(settings), **{s: now for s in sources}})


BUILD_FILE = "_build_started.json"


def mark_build_started(settings: Settings) -> None:
    """When the dbt build began: a publication contains the loads committed before this, and only those
    (a load that commits between the end of dbt and the publication stays pending)."""
    _write(_path(settings, BUILD_FILE), {"started_at": datetime.now(UTC).isoformat()})


def build_started(settings: Settings) -> str | None:
    return _read(_path(settings, BUILD_FILE)).get("started_at")


def record_publication(settings: Settings, *, built_before: str) -> None:
    """A publication was swapped in: clear what it contains, remember the dbt project it was built from."""
    from orchestration.dbt_manifest import project_hash

    left = {s: t for s, t in pending(settings).items() if t > built_before}
    _write(_path(settings, PENDING_FILE), left)
    _write(_path(settings, PUBLISHED_FILE), {"project_hash": project_hash(),
                                              "published_at": datetime.now(UTC).isoformat()})


def record_failed_build(settings: Settings, message: str) -> None:
    """A build failed: `cadena status` says the publication is behind it until the next publication."""
    _write(_path(settings, FAILED_FILE), {"failed_at": datetime.now(UTC).isoformat(), "message": message})


def failed_build(settings: Settings) -> dict:
    """The last failed build ({} when none failed since the last publication)."""
    failed = _read(_path(settings, FAILED_FILE))
    published = _read(_path(settings, PUBLISHED_FILE)).get("published_at", "")
    return failed if failed.get("failed_at", "") > published else {}


def project_changed(settings: Settings) -> bool:
    from orchestration.dbt_manifest import project_hash

    return _read(_path(settings, PUBLISHED_FILE)).get("project_hash") != project_hash()


def build_selection(changed_sources: set[str], asset_graph, settings: Settings, *, force: bool = False):
    """The assets to materialise, and "full" or "subset"."""
    from dagster import AssetSelection

    from ingestors.sources import BY_NAME
    from orchestration.ingest import source_asset_keys
    from orchestration.transform import cadena_dbt_assets, published_warehouse

    build = AssetSelection.assets(cadena_dbt_assets, published_warehouse)
    if force or not settings.published_db.exists() or project_changed(settings):
        return build, "full"
    names = set(changed_sources) | set(pending(settings))
    keys = [k for n in sorted(names) if n in BY_NAME for k in source_asset_keys(BY_NAME[n])]
    raw = AssetSelection.assets(*keys)
    subset = (raw.downstream() - raw) & build
    return AssetSelection.assets(*sorted(subset.resolve(asset_graph), key=lambda k: k.to_user_string())), "subset"
