"""Shared test fixtures.

Tests never touch the network. Real captures of the sources live beside the
repository in ``../shared/samples/`` (present in CI, absent in a user's clone);
tests that read them use :func:`real_capture` and skip cleanly without them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ingestors.config import REPO_ROOT, Settings

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
