"""The Dagster code location: `dagster dev` (from the repo root) loads this module."""

from __future__ import annotations

import os

from dagster import AssetSpec, Definitions, in_process_executor

from orchestration.alerts import alert_on_run_failure, email_sensor
from orchestration.freshness import mart_inputs_fresh
from orchestration.ingest import INGEST_ASSETS, SOURCE_OWNERS, raw_asset_key
from orchestration.jobs import JOBS, SCHEDULES, SENSORS
from orchestration.resources import build_resources
from orchestration.transform import cadena_dbt_assets, published_warehouse

# Bookkeeping tables every ingest writes beside its raw tables (see ingestors/core/load.py).
LOADER_TABLES = [
    AssetSpec(raw_asset_key("cadena_meta", "load_log"), group_name="meta", kinds={"python", "duckdb"},
              owners=SOURCE_OWNERS,
              description="The loader's log: one row per raw table per load (snapshot, retrieved_at, rows, "
                          "quarantined, sample flag), written by every ingest."),
    AssetSpec(raw_asset_key("cadena_meta", "quarantine"), group_name="meta", kinds={"python", "duckdb"},
              owners=SOURCE_OWNERS,
              description="The records each source's latest load refused, with source, snapshot, record and reason."),
]

defs = Definitions(
    assets=[*INGEST_ASSETS, *LOADER_TABLES, cadena_dbt_assets, published_warehouse],
    asset_checks=[mart_inputs_fresh],
    jobs=JOBS,
    schedules=SCHEDULES,
    sensors=[*SENSORS, alert_on_run_failure, *filter(None, [email_sensor(os.environ)])],
    resources=build_resources(),
    # Steps share one writer pool anyway; in-process saves re-importing the code per step.
    executor=in_process_executor,
)
