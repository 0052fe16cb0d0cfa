"""The refresh engine behind `cadena refresh`: the same Dagster assets the schedules run, in-process.

A refresh has two runs:

1. **ingest**: every chosen source is fetched, parsed and loaded on its own (a failing
   source is reported and keeps its last good tables; the others carry on);
2. **build and publish**: if anything is waiting to be published, `dbt build` of what
   :func:`orchestration.build_policy.build_selection` says, then the publication.

What was loaded but not yet published is remembered (``build_policy.pending``) before
the build starts, so a refresh killed during dbt or the publication, or one whose
build failed, is finished by the next refresh, CLI or sensor, instead of being
forgotten as "nothing changed".
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ingestors.core import housekeeping, shrink, state
from ingestors.core.config import Settings
from ingestors.core.lock import writer_lock
from ingestors.core.pipeline import REFRESH_DEADLINE_ENV
from ingestors.core.registry import Source
from ingestors.sources import ALL, BY_NAME
from orchestration import build_policy

DAGSTER_YAML = Path(__file__).with_name("dagster.yaml")
CLI_JOB_TAGS = {"cadena/trigger": "cli-refresh"}


def dagster_home(settings: Settings) -> Path:
    home = Path(os.environ.get("DAGSTER_HOME") or settings.warehouse_dir / "dagster_home")
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "dagster.yaml").exists():
        (home / "dagster.yaml").write_text(DAGSTER_YAML.read_text())
    os.environ["DAGSTER_HOME"] = str(home)
    return home


@dataclass
class RefreshReport:
    """What a refresh did, with the timing breakdown the benchmark records."""

    timings: dict[str, float] = field(default_factory=dict)
    loaded: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    quarantined: dict[str, int] = field(default_factory=dict)
    pending: list[str] = field(default_factory=list)  # sources whose loaded data this refresh had to publish
    build_scope: str = "none"  # "full", "subset" or "none"
    built: bool = False
    published: bool = False

    def as_json(self) -> str:
        return json.dumps(self.__dict__, indent=2, sort_keys=True)


def refresh(*, offline: bool, sources: list[str] | None = None, force: bool = False,
            settings: Settings | None = None, persist_runs: bool | None = None,
            accept_shrink: list[str] | None = None, ingest: bool = True) -> RefreshReport:
    """Ingest the chosen sources, then build and publish whatever is waiting to be published.

    The whole refresh holds the writer lock (:mod:`ingestors.core.lock`; its Dagster steps take it
    again in-process) and starts by sweeping what interrupted writers left behind. Without
    ``ingest`` only the build and publication run (after ``cadena rebuild --from-raw``).
    """
    settings = settings or Settings.from_env()
    before = os.environ.get(shrink.ENV)
    if accept_shrink:
        os.environ[shrink.ENV] = ",".join([*filter(None, [before]), *accept_shrink])
    # Every fetch of this refresh shares one budget: a refresh where every publisher stalls still ends.
    os.environ[REFRESH_DEADLINE_ENV] = str(time.time() + float(os.environ.get("CADENA_REFRESH_BUDGET_S", "600")))
    try:
        with writer_lock(settings.warehouse_dir, purpose="refresh" + (" --offline" if offline else "")):
            housekeeping.sweep(settings)
            from orchestration.dbt_manifest import TARGET_DIR

            housekeeping.prune_run_folders(TARGET_DIR)
            return _refresh(offline=offline, sources=sources, force=force, settings=settings,
                            persist_runs=persist_runs, ingest=ingest)
    finally:
        os.environ.pop(REFRESH_DEADLINE_ENV, None)
        if before is None:
            os.environ.pop(shrink.ENV, None)
        else:
            os.environ[shrink.ENV] = before


def _refresh(*, offline: bool, sources: list[str] | None, force: bool, settings: Settings,
             persist_runs: bool | None, ingest: bool) -> RefreshReport:
    report = RefreshReport()
    t0 = time.perf_counter()
    if persist_runs is None:
        persist_runs = bool(os.environ.get("DAGSTER_HOME"))
    if persist_runs:
        dagster_home(settings)
    from dagster import DagsterInstance

    from orchestration.ingest import ingest_job, source_asset_keys
    from orchestration.resources import CadenaResource

    # A persistent instance (DAGSTER_HOME) records the runs for the UI; without
    # one the CLI uses an in-memory instance, which is seconds faster.
    instance = DagsterInstance.get() if persist_runs else DagsterInstance.ephemeral()
    run_config = {"resources": {"cadena": {"config": {"offline": offline, "force": force}}}}
    chosen = [BY_NAME[n] for n in sources] if sources else list(ALL)
    report.timings["dagster_start_s"] = time.perf_counter() - t0

    t1 = time.perf_counter()
    since = datetime.now(UTC)
    # Phase 1 needs only the ingest assets: no dbt import, no manifest. The named job `ingest_sources`,
    # so the run shows in the UI as what it is, not as __ephemeral_asset_job__.
    if ingest:
        ingest_job({"cadena": CadenaResource()}).execute_in_process(
            instance=instance, run_config=run_config, raise_on_error=False,
            asset_selection=[k for s in chosen for k in source_asset_keys(s)], tags=CLI_JOB_TAGS,
        )
        report.timings["ingest_s"] = time.perf_counter() - t1
        _classify(settings, chosen, report, since=since)

    # Remember what was loaded before building: a kill from here on loses nothing.
    build_policy.mark_pending(settings, report.loaded)
    report.pending = sorted(build_policy.pending(settings))
    if report.pending or force or not settings.published_db.exists() or build_policy.project_changed(settings):
        _build_and_publish(settings, report, instance=instance, run_config=run_config, force=force)
    report.timings["total_s"] = time.perf_counter() - t0
    return report


def _build_and_publish(settings: Settings, report: RefreshReport, *, instance, run_config, force: bool) -> None:
    t2 = time.perf_counter()
    from orchestration.dbt_manifest import ensure_manifest

    ensure_manifest(settings)
    from orchestration.definitions import defs

    report.timings["dbt_load_s"] = time.perf_counter() - t2
    graph = defs.resolve_asset_graph()
    selection, scope = build_policy.build_selection(set(report.pending), graph, settings, force=force)
    report.build_scope = scope
    # The named job the sensors run too (orchestration/jobs.py), on the policy's selection.
    build = defs.resolve_job_def("build_and_publish").execute_in_process(
        instance=instance, run_config=run_config, raise_on_error=False,
        asset_selection=sorted(selection.resolve(graph), key=lambda key: key.to_user_string()), tags=CLI_JOB_TAGS,
    )
    report.timings["build_and_publish_s"] = time.perf_counter() - t2
    for stat in instance.get_run_step_stats(build.run_id):
        if stat.end_time and stat.start_time:
            name = "dbt_s" if stat.step_key == "cadena_dbt" else f"{stat.step_key}_s"
            report.timings[name] = stat.end_time - stat.start_time
    report.built = report.published = build.success
    if not build.success:
        report.failed["build"] = _first_failure(build)
        build_policy.record_failed_build(settings, report.failed["build"])


def _classify(settings: Settings, chosen: list[Source], report: RefreshReport, since: datetime) -> None:
    for source in chosen:
        attempt = state.read(settings, source.name).get("last_attempt") or {}
        status = attempt.get("status")
        fresh = attempt.get("started_at", "") >= since.isoformat()
        if fresh and status in ("loaded", "unchanged"):
            getattr(report, status).append(source.name)
            report.rows[source.name] = sum((attempt.get("rows") or {}).values())
            report.quarantined[source.name] = attempt.get("quarantined", 0)
        elif fresh and status == "skipped":
            report.skipped.append(source.name)
        else:
            report.failed[source.name] = attempt.get("message") if fresh else "did not run (see the Dagster run log)"


def _first_failure(result) -> str:
    """One line saying why the build failed: dbt's own error lines where there are some."""
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data and event.step_failure_data.error:
            lines = [line.strip() for line in event.step_failure_data.error.message.splitlines() if line.strip()]
            if "Errors parsed from dbt logs:" in lines:
                dbt_lines = lines[lines.index("Errors parsed from dbt logs:") + 1:]
                return f"{event.step_key}: " + " | ".join(dbt_lines[:3])
            return f"{event.step_key}: {lines[0] if lines else 'failed'}"
    return "build failed (see the Dagster run log)"
