"""Jobs, schedules and the sensor that rebuilds after new data arrives.

* ``ingest_<cadence>``: the ingest assets of one cadence, on a schedule.
* ``build_and_publish``: the dbt models (all, or a sensor's subset) and the publication.
* ``refresh_all``: both, in one run (what the UI's "Materialize all" does).
* ``ingest_sources``: any chosen sources; `cadena refresh` runs it, then ``build_and_publish``.

Ingest and build are separate runs so that one failing source never stops the
rest from being built: after any ingest run that loaded something new, the
sensor asks for a ``build_and_publish`` run of only the dbt models downstream
of the raw tables that changed (and the publication), whatever the other
sources did. A full build (``build_and_publish`` by hand, ``refresh_all`` or
``cadena refresh``) also picks up changed seeds and models.
All jobs use the in-process executor: on a small machine it is seconds faster
than spawning a process per step, and steps share the single writer pool anyway.
"""


from dagster import (
    AssetKey,
    AssetSelection,
    DagsterEventType,
    DagsterRunStatus,
    DefaultScheduleStatus,
    DefaultSensorStatus,
    RunRequest,
    RunStatusSensorContext,
    ScheduleDefinition,
    SkipReason,
    define_asset_job,
    in_process_executor,
    run_status_sensor,
)

from ingestors.core.registry import CADENCE_MAX_AGE
from ingestors.sources import ALL
from orchestration.freshness import mart_inputs_fresh
from orchestration.ingest import ingest_sources_job, source_asset_keys
from orchestration.transform import cadena_dbt_assets, published_warehouse

CRON = {
    "daily": "15 5 * * *",
    "weekly": "30 5 * * 1",
    "monthly": "45 5 2 * *",
    # mid-way through the month after a quarter ends: the SEC has posted the Form D data set by then
    "quarterly": "0 6 15 2,5,8,11 *",
}

INGEST_JOBS = {
    cadence: define_asset_job(
        name=f"ingest_{cadence}",
        selection=AssetSelection.assets(*[k for s in ALL if s.cadence == cadence for k in source_asset_keys(s)]),
        executor_def=in_process_executor,
        description=f"Fetch, parse and load every {cadence} source.",
    )
    for cadence in CADENCE_MAX_AGE
    if any(s.cadence == cadence for s in ALL)
}

build_and_publish_job = define_asset_job(
    name="build_and_publish",
    selection=AssetSelection.assets(cadena_dbt_assets, published_warehouse),
    executor_def=in_process_executor,
    description="dbt build (seeds, models, tests) and, if it passed, publish the read-only copy "
                "(also the second run of `cadena refresh`).",
)

refresh_all_job = define_asset_job(
    name="refresh_all",
    selection=AssetSelection.all(),
    executor_def=in_process_executor,
    description="Every source, then the dbt build and the publication.",
)

SCHEDULES = [
    ScheduleDefinition(
        name=f"{cadence}_sources",
        job=job,
        cron_schedule=CRON[cadence],
        execution_timezone="UTC",
        default_status=DefaultScheduleStatus.STOPPED,
        description=f"Refresh the {cadence} sources.",
    )
    for cadence, job in INGEST_JOBS.items()
]


@run_status_sensor(
    name="build_after_ingest",
    run_status=DagsterRunStatus.SUCCESS,
    monitored_jobs=list(INGEST_JOBS.values()),
    request_job=build_and_publish_job,
    default_status=DefaultSensorStatus.RUNNING,
    description="After an ingest run that loaded new data, build the marts and publish.",
)
def build_after_ingest(context: RunStatusSensorContext):
    return _request_build(context)


@run_status_sensor(
    name="build_after_partly_failed_ingest",
    run_status=DagsterRunStatus.FAILURE,
    monitored_jobs=list(INGEST_JOBS.values()),
    request_job=build_and_publish_job,
    default_status=DefaultSensorStatus.RUNNING,
    description="A failed source must not hold back the others: build with what did load.",
)
def build_after_partly_failed_ingest(context: RunStatusSensorContext):
    return _request_build(context)


def _request_build(context: RunStatusSensorContext):
    """Rebuild only what the ingest run changed: the dbt models downstream of the raw tables it
    loaded (their tests run with them), then the publication."""
    run_id = context.dagster_run.run_id
    records = context.instance.get_records_for_run(
        run_id=run_id, of_type=DagsterEventType.ASSET_MATERIALIZATION,
    ).records
    changed = {record.asset_key for record in records if record.asset_key is not None}
    if not changed:
        return SkipReason(f"run {run_id} loaded nothing new")
    return RunRequest(run_key=f"build-after-{run_id}",
                      asset_selection=rebuild_selection(changed, context.repository_def.asset_graph))


def rebuild_selection(changed: set[AssetKey], asset_graph) -> list[AssetKey]:
    """The assets of build_and_publish downstream of ``changed`` raw tables."""
    downstream = AssetSelection.assets(*changed).downstream() - AssetSelection.assets(*changed)
    in_build = downstream & AssetSelection.assets(cadena_dbt_assets, published_warehouse)
    return sorted(in_build.resolve(asset_graph), key=lambda key: key.to_user_string())


SENSORS = [build_after_ingest, build_after_partly_failed_ingest]
JOBS = [*INGEST_JOBS.values(), ingest_sources_job, build_and_publish_job, refresh_all_job]


# Every mart's inputs_within_cadence check (orchestration/freshness.py) runs
# after each build, and daily on its own so a stalled pipeline shows up.
check_freshness_job = define_asset_job(
    name="check_freshness",
    selection=AssetSelection.checks(mart_inputs_fresh),
    executor_def=in_process_executor,
    description="Is every mart built from sources fetched within their cadence?",
)
JOBS.append(check_freshness_job)
SCHEDULES.append(ScheduleDefinition(
    name="freshness_daily",
    job=check_freshness_job,
    cron_schedule="0 7 * * *",
    execution_timezone="UTC",
    default_status=DefaultScheduleStatus.RUNNING,
    description="Check the marts' inputs are within their cadence (after the morning ingests).",
))
