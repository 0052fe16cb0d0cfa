"""`cadena`: the command line for people (and CI) rather than schedulers.

    cadena refresh [--offline] [--source NAME ...] [--force]
    cadena status
    cadena publish
    cadena sources
    cadena dbt-prepare

`refresh` runs the same Dagster assets the schedules run, in-process, in two
runs: first the ingest assets (each source on its own; one failing source
does not stop the others), then, if anything new was loaded, the dbt build and
the publication.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import click

from ingestors.core import state
from ingestors.core.config import REPO_ROOT, Settings
from ingestors.sources import ALL, BY_NAME

DAGSTER_YAML = Path(__file__).with_name("dagster.yaml")


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
    built: bool = False
    published: bool = False

    def as_json(self) -> str:
        return json.dumps(self.__dict__, indent=2, sort_keys=True)


def refresh(*, offline: bool, sources: list[str] | None = None, force: bool = False,
            settings: Settings | None = None, persist_runs: bool | None = None) -> RefreshReport:
    """Ingest the chosen sources, then build and publish if anything changed."""
    settings = settings or Settings.from_env()
    report = RefreshReport()
    t0 = time.perf_counter()
    if persist_runs is None:
        persist_runs = bool(os.environ.get("DAGSTER_HOME"))
    if persist_runs:
        dagster_home(settings)
    from dagster import AssetSelection, DagsterInstance, materialize

    from orchestration.ingest import INGEST_ASSETS, source_asset_keys
    from orchestration.resources import CadenaResource

    # A persistent instance (DAGSTER_HOME) records the runs for the UI; without
    # one the CLI uses an in-memory instance, which is seconds faster.
    instance = DagsterInstance.get() if persist_runs else DagsterInstance.ephemeral()
    run_config = {"resources": {"cadena": {"config": {"offline": offline, "force": force}}}}
    chosen = [BY_NAME[n] for n in sources] if sources else list(ALL)
    report.timings["dagster_start_s"] = time.perf_counter() - t0

    t1 = time.perf_counter()
    since = datetime.now(UTC)
    # Phase 1 needs only the ingest assets: no dbt import, no manifest.
    materialize(
        INGEST_ASSETS, instance=instance, resources={"cadena": CadenaResource()}, run_config=run_config,
        raise_on_error=False,
        selection=AssetSelection.assets(*[k for s in chosen for k in source_asset_keys(s)]),
        tags={"cadena/trigger": "cli-refresh"},
    )
    report.timings["ingest_s"] = time.perf_counter() - t1
    _classify(settings, chosen, report, since=since)

    needs_build = bool(report.loaded) or force or not settings.published_db.exists()
    if needs_build:
        t2 = time.perf_counter()
        from orchestration.dbt_manifest import ensure_manifest

        ensure_manifest(settings)
        from orchestration.definitions import defs
        from orchestration.transform import cadena_dbt_assets, published_warehouse

        report.timings["dbt_load_s"] = time.perf_counter() - t2
        build = materialize(
            list(defs.assets), instance=instance, resources=dict(defs.resources), run_config=run_config,
            raise_on_error=False,
            selection=AssetSelection.assets(cadena_dbt_assets, published_warehouse),
            tags={"cadena/trigger": "cli-refresh"},
        )
        report.timings["build_and_publish_s"] = time.perf_counter() - t2
        for stat in instance.get_run_step_stats(build.run_id):
            if stat.end_time and stat.start_time:
                name = "dbt_s" if stat.step_key == "cadena_dbt" else f"{stat.step_key}_s"
                report.timings[name] = stat.end_time - stat.start_time
        report.built = build.success
        report.published = build.success
        if not build.success:
            report.failed["build"] = _first_failure(build)
    report.timings["total_s"] = time.perf_counter() - t0
    return report


def _classify(settings, chosen, report: RefreshReport, since: datetime) -> None:
    for source in chosen:
        attempt = state.read(settings, source.name).get("last_attempt") or {}
        status = attempt.get("status")
        fresh = attempt.get("started_at", "") >= since.isoformat()
        if fresh and status == "loaded":
            report.loaded.append(source.name)
        elif fresh and status == "unchanged":
            report.unchanged.append(source.name)
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


@click.group()
def main() -> None:
    """Cadena: Latin America's AI value chain, from public sources to DuckDB marts."""


@main.command("refresh")
@click.option("--offline", is_flag=True, help="Use the sample snapshots shipped in the repo (no network).")
@click.option("--source", "sources", multiple=True, type=click.Choice(sorted(BY_NAME)),
              help="Only these sources (repeatable). Default: all.")
@click.option("--force", is_flag=True, help="Reload and rebuild even if no payload changed.")
@click.option("--replay", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="With --offline: serve the real captures in this folder (laid out like ../shared/samples) "
                   "for the sources that have one, the shipped samples for the others.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def refresh_cmd(offline: bool, sources: tuple[str, ...], force: bool, replay: Path | None, as_json: bool) -> None:
    """Fetch the sources, rebuild the marts and publish the read-only warehouse."""
    if replay is not None:
        if not offline:
            raise click.UsageError("--replay needs --offline")
        from ingestors.core.replay import REPLAY_ENV

        os.environ[REPLAY_ENV] = str(replay.resolve())
    settings = Settings.from_env()
    # Dagster and dbt talk on stdout; keep it for the report when asked for JSON.
    with contextlib.redirect_stdout(sys.stderr if as_json else sys.stdout):
        report = refresh(offline=offline, sources=list(sources) or None, force=force, settings=settings)
    if as_json:
        click.echo(report.as_json())
    else:
        for name in report.loaded:
            click.echo(f"  loaded     {name}")
        for name in report.unchanged:
            click.echo(f"  unchanged  {name}")
        for name in report.skipped:
            click.echo(f"  skipped    {name}")
        for name, why in report.failed.items():
            click.echo(f"  FAILED     {name}: {why}", err=True)
        if report.published:
            click.echo(f"published {settings.published_db} in {report.timings['total_s']:.1f}s")
        elif not report.loaded and not report.failed:
            click.echo(f"nothing changed; {settings.published_db} is current ({report.timings['total_s']:.1f}s)")
    sys.exit(1 if report.failed else 0)


@main.command("status")
@click.option("--json", "as_json", is_flag=True)
def status_cmd(as_json: bool) -> None:
    """Per source: last snapshot, when fetched, rows loaded and quarantined, freshness."""
    from orchestration.status import source_status

    rows = source_status(Settings.from_env())
    if as_json:
        click.echo(json.dumps(rows, indent=2, default=str))
        return
    columns = {"source": "source", "cadence": "cadence", "snapshot_id": "last snapshot",
               "retrieved_at": "fetched at (UTC)", "rows": "rows", "quarantined": "quarantined",
               "freshness": "freshness", "last_attempt": "last attempt"}
    header = tuple(columns.values())
    table = [header] + [tuple(str(r[k]) for k in columns) for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    for r in rows:
        if r["affects"]:
            click.echo(f"{r['source']} is stale or failing; these marts still show its last good data: {r['affects']}")


@main.command("publish")
@click.option("--rollback", is_flag=True, help="Go back to the publication before the current one.")
def publish_cmd(rollback: bool) -> None:
    """Publish the working database as the read-only copy with exports (after a good build)."""
    from ingestors.core import publish as pub

    settings = Settings.from_env()
    try:
        if rollback:
            previous = pub.rollback(settings.published_db)
            click.echo(f"rolled back: {settings.published_db} is publication {previous} again")
            return
        info = pub.publish(settings.working_db, settings.published_db, keep=settings.keep_publications)
    except pub.PublishError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    click.echo(f"published {info.path} ({info.size_bytes} bytes, {info.tables} tables, "
               f"{info.exports} marts exported) as publication {info.publication_id}")


@main.command("sources")
def sources_cmd() -> None:
    """List the registered sources."""
    for s in ALL:
        tables = ", ".join(f"{s.schema}.{t.name}" for t in s.tables)
        click.echo(f"{s.name:<20} {s.family:<10} {s.cadence:<8} {tables}")


@main.command("changes")
@click.option("--since", "since", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Show changes on or after this date (YYYY-MM-DD).")
@click.option("--entity-type", help="Only one kind: facility, cloud_region, gpu_offer, submarine_cable, "
                                    "organization, layer_membership, funding_round.")
@click.option("--json", "as_json", is_flag=True)
def changes_cmd(since, entity_type: str | None, as_json: bool) -> None:
    """What changed since a date (mart_changes in the published warehouse)."""
    import duckdb

    settings = Settings.from_env()
    if not settings.published_db.exists():
        click.echo(f"no published warehouse at {settings.published_db}; run `cadena refresh` first", err=True)
        sys.exit(1)
    sql = """select changed_at, change_type, entity_type, entity_id, entity_label, before_value, after_value,
                    source_name from mart_changes where changed_at >= ? and (? is null or entity_type = ?)
             order by changed_at, entity_type, entity_id"""
    with duckdb.connect(str(settings.published_db), read_only=True) as con:
        rows = con.execute(sql, [since, entity_type, entity_type]).fetchall()
    if as_json:
        keys = ("changed_at", "change_type", "entity_type", "entity_id", "entity_label", "before", "after", "source")
        click.echo(json.dumps([dict(zip(keys, r, strict=True)) for r in rows], indent=2, default=str))
        return
    for changed_at, change_type, kind, entity_id, label, before, after, source in rows:
        detail = {"new": after, "removed": before, "returned": after, "changed": f"{before} -> {after}"}[change_type]
        when = f"{changed_at:%Y-%m-%d %H:%M}"
        click.echo(f"{when}  {change_type:<8} {kind:<17} {label or entity_id}  {detail}  [{source}]")
    click.echo(f"{len(rows)} change(s) since {since:%Y-%m-%d}")


@main.group("registry")
def registry_group() -> None:
    """The curated registry of organisations (warehouse/registry/organizations/*.yaml)."""


@registry_group.command("check")
def registry_check_cmd() -> None:
    """Validate every registry file; errors name the file, line and field."""
    from ingestors.domain import curated

    try:
        entries = curated.load()
    except curated.RegistryError as exc:
        for problem in exc.problems:
            click.echo(problem, err=True)
        click.echo(f"{len(exc.problems)} problem(s) in the registry", err=True)
        sys.exit(1)
    countries = len({e.organization.hq.country for e in entries})
    click.echo(f"registry ok: {len(entries)} organisations in {countries} countries")


@main.command("dbt-prepare")
@click.option("--force", is_flag=True)
def dbt_prepare_cmd(force: bool) -> None:
    """Parse the dbt project into target/manifest.json if it changed."""
    from orchestration.dbt_manifest import ensure_manifest

    click.echo(str(ensure_manifest(force=force).relative_to(REPO_ROOT)))


if __name__ == "__main__":
    main()
