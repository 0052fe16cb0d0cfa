"""The `cadena` command line: options are validated with a clear message before anything runs."""

from __future__ import annotations

import re

from click.testing import CliRunner

from ingestors.core.config import REPO_ROOT
from orchestration.cli import ENTITY_TYPES, main


def test_entity_type_is_validated():
    result = CliRunner().invoke(main, ["changes", "--since", "2026-01-01", "--entity-type", "facilities"])
    assert result.exit_code == 2
    assert "Invalid value for '--entity-type'" in result.output
    assert "'facilities' is not one of" in result.output


def test_the_entity_types_are_those_mart_changes_writes():
    sql = (REPO_ROOT / "dbt_project" / "models" / "marts" / "history" / "mart_changes.sql").read_text()
    assert set(re.findall(r"snapshot_changes\('snap_\w+', '(\w+)'", sql)) == set(ENTITY_TYPES)


def test_dates_and_sources_are_validated():
    runner = CliRunner()
    result = runner.invoke(main, ["changes", "--since", "yesterday"])
    assert result.exit_code == 2 and "Invalid value for '--since'" in result.output
    result = runner.invoke(main, ["refresh", "--offline", "--source", "nope"])
    assert result.exit_code == 2 and "Invalid value for '--source'" in result.output


def test_the_dbt_the_assets_run_is_the_one_beside_this_python():
    """`.venv/bin/cadena refresh` works without `uv run` or an activated venv: dbt is found beside
    sys.executable, not on PATH."""
    import sys
    from pathlib import Path

    from orchestration.dbt_manifest import dbt_executable
    from orchestration.resources import build_resources

    beside = Path(sys.executable).with_name("dbt")
    assert build_resources()["dbt"].dbt_executable == dbt_executable()
    if beside.exists():
        assert dbt_executable() == str(beside)


def _refresh(settings, *args):
    from tests.conftest import warehouse_env

    with warehouse_env(settings.warehouse_dir):
        return CliRunner().invoke(main, ["refresh", *args], catch_exceptions=False)


def test_a_refresh_prints_a_short_summary_and_logs_the_rest(offline_warehouse, tmp_path):
    from tests.conftest import copy_warehouse

    settings = copy_warehouse(offline_warehouse[0], tmp_path / "warehouse")
    result = _refresh(settings, "--offline", "--source", "ecb_fx")
    lines = result.output.splitlines()
    assert result.exit_code == 0, result.output
    assert len(lines) <= 40, result.output
    assert lines[0].split() == ["source", "status", "rows", "quarantined", "duration"]
    assert lines[1].split()[:2] == ["ecb_fx", "unchanged"]
    assert "Sample data" in result.output and "Next:" in result.output
    assert "DEBUG" not in result.output and "dagster" not in result.output.lower()
    logs = list((settings.warehouse_dir / "logs").glob("refresh-*.log"))
    assert logs and "ingest_sources" in logs[0].read_text()  # the named job, in the full log


def test_a_failing_source_is_one_line_and_the_path_of_the_log(offline_warehouse, tmp_path, monkeypatch):
    from ingestors.core.offline import SampleTransport
    from tests.conftest import copy_warehouse

    settings = copy_warehouse(offline_warehouse[0], tmp_path / "warehouse")
    ok = _refresh(settings, "--offline", "--source", "ecb_fx").output.splitlines()
    monkeypatch.setattr(SampleTransport, "sample_for", lambda self, target: None)  # every request: 404
    result = _refresh(settings, "--offline", "--source", "ecb_fx")
    lines = result.output.splitlines()
    assert result.exit_code == 1
    failed = [line for line in lines if line.startswith("FAILED ecb_fx")]
    assert len(failed) == 1, result.output
    log = next(line for line in lines if line.startswith("Full log: ")).removeprefix("Full log: ")
    assert (settings.warehouse_dir / "logs").is_dir() and log.endswith(".log")
    assert len(lines) <= len(ok) + 3, result.output
    assert "Traceback" not in result.output
