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
