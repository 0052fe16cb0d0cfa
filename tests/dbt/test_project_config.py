"""Settings of the dbt project that hold for whoever runs it, with or without the `cadena` CLI."""

from __future__ import annotations

import yaml

from orchestration.dbt_manifest import DBT_PROJECT_DIR


def _project() -> dict:
    return yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text())


def test_dbt_sends_no_usage_statistics():
    """Also keeps `dbt docs` offline: the docs page loads its tracking script only when this is on."""
    assert _project()["flags"]["send_anonymous_usage_stats"] is False


def test_every_description_is_persisted_into_the_database():
    project = _project()
    for kind in ("models", "seeds", "snapshots"):
        assert project[kind]["cadena"]["+persist_docs"] == {"relation": True, "columns": True}, kind
