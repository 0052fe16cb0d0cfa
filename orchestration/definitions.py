"""The Dagster code location: `dagster dev` (from the repo root) loads this module."""

from __future__ import annotations

from dagster import Definitions

from orchestration.ingest import INGEST_ASSETS
from orchestration.jobs import JOBS, SCHEDULES, SENSORS
from orchestration.resources import build_resources
from orchestration.transform import cadena_dbt_assets, published_warehouse

defs = Definitions(
    assets=[*INGEST_ASSETS, cadena_dbt_assets, published_warehouse],
    jobs=JOBS,
    schedules=SCHEDULES,
    sensors=SENSORS,
    resources=build_resources(),
)
