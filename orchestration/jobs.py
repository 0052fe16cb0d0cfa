"""Jobs, schedules and the sensor that rebuilds after new data arrives.

* ``ingest_<cadence>``: the ingest assets of one cadence, on a schedule.
* ``build_and_publish``: the dbt models (all, or a sensor's subset) and the publication.
* ``refresh_all``: both, in one run (what the UI's "Materialize all" does).
* ``ingest_sources``: any chosen sources; `cadena refresh` runs it, then ``build_and_publish``.

Ingest and build are separate runs so that one failing source never stops the
rest from being built: after any ingest run that loaded something new, the
sensor asks for a ``build_and_publish`` run of what ``orchestration.build_policy``
says, the same rule ``cadena refresh`` applies: the dbt models downstream of the
raw tables that changed or still wait to be published (and the publication), or
everything when the dbt project itself changed.
All jobs use the in-process executor: on a small machine it is seconds faster
than spawning a process per step, and steps share the single writer pool anyway.
"""


from dagster import (
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

from ingestors.core.config import Settings
from ingestors.core.registry import CADENCE_MAX_AGE
from ingestors.sources import ALL
from orchestration import build_policy
from orchestration.freshness import mart_inputs_fresh
from orchestration.ingest import ingest_sources_job, source_asset_keys, source_name_of
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


def _build_sensor(name: str, status: DagsterRunStatus, description: str):
    @run_status_sensor(name=name, run_status=status, monitored_jobs=list(INGEST_JOBS.values()),
                       request_job=build_and_publish_job, default_status=DefaultSensorStatus.RUNNING,
                       description=description)
    def _sensor(context: RunStatusSensorContext):
        return _request_build(context)

    return _sensor


build_after_ingest = _build_sensor("build_after_ingest", DagsterRunStatus.SUCCESS,
                                   "After an ingest run that loaded new data, build the marts and publish.")
# A failed source must not hold back the others: build with what did load.
build_after_partly_failed_ingest = _build_sensor(
    "build_after_partly_failed_ingest", DagsterRunStatus.FAILURE,
    "After an ingest run where some source failed, build and publish what the others loaded.")


def _request_build(context: RunStatusSensorContext):
    """Rebuild what the build policy says (orchestration/build_policy.py): the dbt models downstream
    of the raw tables this run loaded and of anything still waiting to be published."""
    run_id = context.dagster_run.run_id
    records = context.instance.get_records_for_run(
        run_id=run_id, of_type=DagsterEventType.ASSET_MATERIALIZATION,
    ).records
    changed = {source_name_of(record.asset_key) for record in records if record.asset_key is not None} - {None}
    settings = Settings.from_env()
    if not changed and not build_policy.pending(settings):
        return SkipReason(f"run {run_id} loaded nothing new and nothing is waiting to be published")
    selection, _ = build_policy.build_selection(changed, context.repository_def.asset_graph, settings)
    return RunRequest(run_key=f"build-after-{run_id}",
                      asset_selection=sorted(selection.resolve(context.repository_def.asset_graph),
                                             key=lambda key: key.to_user_string()))


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
