"""Resources: the one bridge from Cadena's settings to Dagster."""

from __future__ import annotations

import os

from dagster import ConfigurableResource

from ingestors.core.config import Settings
from orchestration.dbt_manifest import DBT_PROJECT_DIR, dbt_executable

# Everything that writes the working DuckDB file runs in this pool, limit 1
# (see dagster.yaml): DuckDB allows a single read-write process.
WRITER_POOL = "cadena_warehouse_writer"


class CadenaResource(ConfigurableResource):
    """Run-time switches for the ingest and publish assets."""

    offline: bool = False  # serve the sample snapshots shipped in the repo instead of the publishers
    force: bool = False  # reload a source even when its payload is unchanged

    def settings(self) -> Settings:
        return Settings.from_env()


def build_resources() -> dict[str, object]:
    from orchestration.dbt_resource import CadenaDbtCliResource  # dagster-dbt is slow to import

    settings = Settings.from_env()
    # dbt reads the database path from its profile, which reads this variable.
    os.environ["CADENA_DB_PATH"] = str(settings.working_db)
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    settings.working_db.parent.mkdir(parents=True, exist_ok=True)
    return {
        "cadena": CadenaResource(offline=os.environ.get("CADENA_OFFLINE", "") in ("1", "true", "yes")),
        # dbt beside this Python (the venv), so `.venv/bin/cadena` works without `uv run` or an activated venv
        "dbt": CadenaDbtCliResource(project_dir=str(DBT_PROJECT_DIR), profiles_dir=str(DBT_PROJECT_DIR),
                                    dbt_executable=dbt_executable()),
    }
