"""Shared test fixtures.

Tests never touch the network. Real captures of the sources live beside the
repository in ``../shared/samples/`` (present in CI, absent in a user's clone);
tests that read them use :func:`real_capture` and skip cleanly without them.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest

from ingestors.core.config import REPO_ROOT, Settings


def pytest_configure(config):
    """The Dagster definitions read the dbt manifest and never parse at import: prepare it once
    (in the main process; pytest-xdist's workers start after it and find it ready)."""
    if hasattr(config, "workerinput"):
        return
    from orchestration.dbt_manifest import ensure_manifest

    ensure_manifest(write_derived=False)
    if config.getoption("numprocesses", None):
        os.environ[GROUPS_ENV] = tempfile.mkdtemp(prefix="cadena-test-groups-")


# `make test` runs the suite on two processes (pytest-xdist). A built warehouse is a session fixture:
# every test that reads one must run in the process that built it, or the warehouse is built twice.
# Each worker writes which of its tests need which warehouse; the scheduler below keeps each such
# group on one worker and spreads the other tests one by one. (xdist's own `--dist loadgroup` renames
# node ids through an attribute pytest 9.2 no longer reads, so it does not group.)
WAREHOUSE_FIXTURES = ("offline_warehouse", "replay_build")
GROUPS_ENV = "CADENA_TEST_GROUPS_DIR"


def _warehouse_of(item) -> str | None:
    names = set(getattr(item, "fixturenames", ()))
    if "tests/dashboard/" in item.nodeid:  # its fixtures ask for the offline warehouse at run time
        names.add("offline_warehouse")
    return next((name for name in WAREHOUSE_FIXTURES if name in names), None)


def pytest_collection_modifyitems(config, items):
    folder = os.environ.get(GROUPS_ENV)
    if not hasattr(config, "workerinput") or not folder:
        return
    groups = {item.nodeid: group for item in items if (group := _warehouse_of(item))}
    path = Path(folder) / f"{config.workerinput['workerid']}.json"
    path.with_suffix(".tmp").write_text(json.dumps(groups))
    path.with_suffix(".tmp").replace(path)


def pytest_xdist_make_scheduler(config, log):
    if config.getoption("dist") not in ("load", "loadgroup") or GROUPS_ENV not in os.environ:
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ByWarehouse(LoadScopeScheduling):
        """A test's scope is the warehouse it reads, else the test itself."""

        groups: dict[str, str] | None = None

        def _split_scope(self, nodeid: str) -> str:
            if self.groups is None:  # the workers have all collected before anything is scheduled
                self.groups = {}
                for path in Path(os.environ[GROUPS_ENV]).glob("*.json"):
                    self.groups.update(json.loads(path.read_text()))
            return self.groups.get(nodeid, nodeid)

    return ByWarehouse(config, log)


SHARED_SAMPLES = Path(os.environ.get("CADENA_SHARED_SAMPLES", REPO_ROOT.parent / "shared" / "samples"))


@pytest.fixture(autouse=True)
def no_real_waiting(monkeypatch):
    """Rate limits and back-off pause through ``ingestors.core.http.pause``: instant here, so a source spaced at
    one request every two seconds does not cost the suite real seconds. Tests of the waiting itself pass their
    own ``sleep`` and clock and see every wait."""
    from ingestors.core import http

    monkeypatch.setattr(http, "pause", lambda seconds: None)


def real_capture(*parts: str) -> Path:
    """Path of a real capture under ``../shared/samples``, or skip the test."""
    path = SHARED_SAMPLES.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real capture {'/'.join(parts)} not present (../shared/samples is optional)")
    return path


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings pointing at a fresh, empty warehouse in a temp dir."""
    return Settings(warehouse_dir=tmp_path / "warehouse", contact="tests@example.org")


@pytest.fixture(scope="session")
def offline_warehouse(tmp_path_factory):
    """One warehouse built offline through Dagster from the shipped samples, shared by
    every test that only reads it. Tests that change a warehouse copy it first
    (:func:`copy_warehouse`)."""
    from orchestration.refresh import refresh

    root = tmp_path_factory.mktemp("offline") / "warehouse"
    with _warehouse_env(root):
        settings = Settings.from_env()
        report = refresh(offline=True, settings=settings, persist_runs=False)
    return settings, report


def copy_warehouse(settings: Settings, dest: Path) -> Settings:
    import shutil

    shutil.copytree(settings.warehouse_dir, dest)
    return Settings(warehouse_dir=dest, contact=settings.contact)


class _warehouse_env:
    """Point CADENA_WAREHOUSE_DIR at ``root`` for the duration of a block."""

    def __init__(self, root: Path):
        self.root = root

    def __enter__(self):
        self.before = os.environ.get("CADENA_WAREHOUSE_DIR")
        os.environ["CADENA_WAREHOUSE_DIR"] = str(self.root)

    def __exit__(self, *exc):
        if self.before is None:
            os.environ.pop("CADENA_WAREHOUSE_DIR", None)
        else:
            os.environ["CADENA_WAREHOUSE_DIR"] = self.before


warehouse_env = _warehouse_env
