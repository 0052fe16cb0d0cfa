"""Shared test fixtures.

Tests never touch the network. Real captures of the sources live beside the
repository in ``../shared/samples/`` (present in CI, absent in a user's clone);
tests that read them use :func:`real_capture` and skip cleanly without them.
"""

from __future__ import annotations

import os
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


# `make test` runs the suite on two processes (pytest-xdist, --dist loadgroup). A built warehouse is a
# session fixture, so every test that reads one goes to the process that built it: one group per warehouse.
WAREHOUSE_GROUPS = {"offline_warehouse": "offline_warehouse", "replay_build": "replay_build"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if "tests/dashboard/" in item.nodeid:  # its fixtures ask for the offline warehouse at run time
            names.add("offline_warehouse")
        for fixture, group in WAREHOUSE_GROUPS.items():
            if fixture in names:
                item.add_marker(pytest.mark.xdist_group(group))
                break


SHARED_SAMPLES = Path(os.environ.get("CADENA_SHARED_SAMPLES", REPO_ROOT.parent / "shared" / "samples"))


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
