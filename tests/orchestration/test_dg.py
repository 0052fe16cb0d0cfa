"""`dg check defs` (dagster-dg-cli, the dev group) loads the project the way `dg dev` does."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

import pytest

from ingestors.core.config import REPO_ROOT


def test_dg_check_defs_passes(tmp_path):
    if importlib.util.find_spec("dagster_dg_cli") is None:
        pytest.skip("dagster-dg-cli is not installed (uv sync installs the dev group)")
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text((REPO_ROOT / "orchestration" / "dagster.yaml").read_text())
    env = {**os.environ, "DAGSTER_HOME": str(home), "CADENA_WAREHOUSE_DIR": str(tmp_path / "warehouse"),
           "VIRTUAL_ENV": str(REPO_ROOT / ".venv")}
    proc = subprocess.run([sys.executable, "-m", "dagster_dg_cli.cli", "check", "defs"], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "All definitions loaded successfully" in proc.stdout + proc.stderr
