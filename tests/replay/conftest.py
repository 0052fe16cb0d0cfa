"""One warehouse built from the real captures, shared by every test in this folder.

The session builds the whole warehouse once through the normal refresh, with
``CADENA_REPLAY_DIR`` pointing at ``../shared/samples`` (see
``ingestors.core.replay``): the sources with a real capture are served it, the
others their shipped samples. Without ``../shared/samples`` (a user's clone)
every test here is skipped.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from ingestors.core.config import Settings
from ingestors.core.replay import REPLAY_ENV
from tests.conftest import SHARED_SAMPLES


@dataclass(frozen=True)
class ReplayBuild:
    settings: Settings
    report: object  # orchestration's RefreshReport
    seconds: float

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        with duckdb.connect(str(self.settings.published_db), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()


@pytest.fixture(scope="session")
def captures() -> Path:
    if not SHARED_SAMPLES.is_dir():
        pytest.skip("../shared/samples (the real captures) is not present")
    return SHARED_SAMPLES


@pytest.fixture(scope="session")
def replay_build(captures: Path, tmp_path_factory) -> ReplayBuild:
    """The warehouse built end to end from the real captures (about a minute on 2 cores)."""
    from orchestration.refresh import refresh

    root = tmp_path_factory.mktemp("replay") / "warehouse"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CADENA_WAREHOUSE_DIR", str(root))
        env.setenv(REPLAY_ENV, str(captures))
        env.delenv("DAGSTER_HOME", raising=False)
        settings = Settings.from_env()
        started = time.perf_counter()
        report = refresh(offline=True, settings=settings, persist_runs=False)
        seconds = time.perf_counter() - started
    assert not report.failed, report.failed
    assert report.published
    return ReplayBuild(settings, report, seconds)
