"""`cadena`: the command line for people (and CI) rather than schedulers.

    cadena refresh [--offline] [--source NAME ...] [--force] [--accept-shrink SOURCE ...] [-v]
    cadena status
    cadena publish [--rollback]
    cadena rebuild --from-raw
    cadena snapshots prune|export|import
    cadena sources
    cadena dbt-prepare
    cadena generate [--check]

This module only parses arguments and prints; the refresh engine is
``orchestration/refresh.py``, the rule of what to rebuild ``orchestration/build_policy.py``.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path

import click

from ingestors.core.config import REPO_ROOT, Settings
from ingestors.sources import ALL, BY_NAME
from orchestration.refresh import refresh

# mart_changes.entity_type: one per snapshot in dbt_project/snapshots/ (tests/test_cli.py holds them in step)
ENTITY_TYPES = ("facility", "cloud_region", "gpu_offer", "submarine_cable", "organization", "layer_membership",
                "funding_round")
BUSY_EXIT = 75  # EX_TEMPFAIL: another writer holds the warehouse; try again later


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
@click.option("--accept-shrink", "accept_shrink", multiple=True, metavar="SOURCE",
              help="Load SOURCE even if it would lose much of a table or a whole partition (repeatable; 'all').")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("-v", "--verbose", is_flag=True, help="Show Dagster's and dbt's log on the terminal too.")
def refresh_cmd(offline: bool, sources: tuple[str, ...], force: bool, replay: Path | None,
                accept_shrink: tuple[str, ...], as_json: bool, verbose: bool) -> None:
    """Fetch the sources, rebuild the marts and publish the read-only warehouse."""
    from ingestors.core.lock import WarehouseBusy

    if replay is not None:
        if not offline:
            raise click.UsageError("--replay needs --offline")
        from ingestors.core.replay import REPLAY_ENV

        os.environ[REPLAY_ENV] = str(replay.resolve())
    from orchestration import console as out

    settings = Settings.from_env()
    names = list(dict.fromkeys(sources)) or [s.name for s in ALL]
    log = out.log_path(settings)
    terminal = out.stdout_console()
    # Dagster and dbt talk on stdout and stderr: into the log file unless -v; with --json, off stdout.
    try:
        with out.quiet(log, verbose=verbose and not as_json), \
                contextlib.redirect_stdout(sys.stderr if as_json and verbose else sys.stdout), \
                out.live_sources(terminal, settings, names, enabled=not as_json and not verbose):
            report = refresh(offline=offline, sources=list(sources) or None, force=force, settings=settings,
                             accept_shrink=list(accept_shrink))
    except WarehouseBusy as exc:
        click.echo(str(exc), err=True)
        sys.exit(BUSY_EXIT)
    if as_json:
        click.echo(report.as_json())
    else:
        out.summary(terminal, settings, report, names, offline=offline, log=None if verbose else log)
    sys.exit(1 if report.failed else 0)


@main.command("status")
@click.option("--json", "as_json", is_flag=True)
def status_cmd(as_json: bool) -> None:
    """Per source: last snapshot, when fetched, rows loaded and quarantined, freshness."""
    from orchestration.status import source_status

    settings = Settings.from_env()
    rows = source_status(settings)
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
    from orchestration.status import warehouse_lines

    for line in warehouse_lines(settings):
        click.echo(line)


@main.command("publish")
@click.option("--rollback", is_flag=True, help="Go back to the publication before the current one.")
def publish_cmd(rollback: bool) -> None:
    """Publish the working database as the read-only copy with exports (after a good build)."""
    from ingestors.core import publish as pub
    from ingestors.core.lock import WarehouseBusy

    settings = Settings.from_env()
    try:
        if rollback:
            previous = pub.rollback(settings.published_db)
            click.echo(f"rolled back: {settings.published_db} is publication {previous} again")
            return
        from orchestration.transform import export_policy

        info = pub.publish(settings.working_db, settings.published_db, keep=settings.keep_publications,
                           policy=export_policy(settings))
    except (pub.PublishError, WarehouseBusy) as exc:
        click.echo(str(exc), err=True)
        sys.exit(BUSY_EXIT if isinstance(exc, WarehouseBusy) else 1)
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
@click.option("--entity-type", type=click.Choice(ENTITY_TYPES),
              help="Only one kind of entity (mart_changes.entity_type).")
@click.option("--json", "as_json", is_flag=True)
def changes_cmd(since, entity_type: str | None, as_json: bool) -> None:
    """What changed since a date (mart_changes in the published warehouse)."""
    import duckdb

    from ingestors.core.publish import check_published

    settings = Settings.from_env()
    if problem := check_published(settings.published_db):
        click.echo(problem, err=True)
        sys.exit(1)
    from orchestration import build_policy

    if failed := build_policy.failed_build(settings):
        click.echo(f"note: the published warehouse is behind a failed build ({failed['failed_at'][:16]} UTC): "
                   f"{failed['message']}", err=True)
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


@main.command("rebuild")
@click.option("--from-raw", "from_raw", is_flag=True, required=True,
              help="Rebuild the working database from the stored raw snapshots (no network).")
@click.option("--no-publish", is_flag=True, help="Only rebuild the raw tables; the next refresh publishes them.")
def rebuild_cmd(from_raw: bool, no_publish: bool) -> None:
    """Rebuild the working database from stored snapshots, then build and publish it (no network)."""
    from ingestors.core import recovery
    from ingestors.core.lock import WarehouseBusy, writer_lock
    from orchestration import build_policy

    settings = Settings.from_env()
    try:
        with writer_lock(settings.warehouse_dir, purpose="rebuild --from-raw"):
            done = recovery.rebuild_from_raw(settings, list(ALL))
            build_policy.mark_pending(settings, done.loaded)
            for name, snapshot_id in sorted(done.loaded.items()):
                click.echo(f"  rebuilt    {name} from snapshot {snapshot_id}")
            for name, why in sorted(done.failed.items()):
                click.echo(f"  FAILED     {name}: {why}", err=True)
            click.echo(f"history {'carried over' if done.history_kept else 'starts afresh'}; "
                       f"{settings.working_db} rebuilt from {len(done.loaded)} source(s)")
            if not no_publish and done.loaded:
                report = refresh(offline=True, settings=settings, ingest=False, force=True)
                click.echo(f"published {settings.published_db}" if report.published
                           else f"  FAILED     build: {report.failed.get('build')}")
    except WarehouseBusy as exc:
        click.echo(str(exc), err=True)
        sys.exit(BUSY_EXIT)


@main.group("snapshots")
def snapshots_group() -> None:
    """The raw snapshot store: retention, and bundles to move snapshots between machines."""


@snapshots_group.command("prune")
@click.option("--keep-days", default=90, show_default=True, help="Keep every snapshot younger than this.")
@click.option("--dry-run", is_flag=True, help="Only list what would be deleted.")
def snapshots_prune_cmd(keep_days: int, dry_run: bool) -> None:
    """Delete raw snapshots the retention policy does not keep (see warehouse/README.md)."""
    from ingestors.core import housekeeping
    from ingestors.core.lock import writer_lock

    settings = Settings.from_env()
    with writer_lock(settings.warehouse_dir, purpose="snapshots prune"):
        swept = housekeeping.prune_snapshots(settings, keep_days=keep_days, dry_run=dry_run)
    for path in swept.paths:
        click.echo(f"{'would delete' if dry_run else 'deleted'} {path.relative_to(settings.warehouse_dir)}")
    click.echo(f"{len(swept.paths)} snapshot(s), {swept.bytes / 1e6:.1f} MB {'to free' if dry_run else 'freed'}")


@snapshots_group.command("export")
@click.argument("bundle", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--source", "sources", multiple=True, type=click.Choice(sorted(BY_NAME)), help="Only these sources.")
def snapshots_export_cmd(bundle: Path, sources: tuple[str, ...]) -> None:
    """Write the stored snapshots into BUNDLE (.tar.gz) for another machine."""
    from ingestors.core import recovery

    count = recovery.export_bundle(Settings.from_env(), bundle, sources=list(sources) or None)
    click.echo(f"exported {count} snapshot(s) to {bundle}")


@snapshots_group.command("import")
@click.argument("bundle", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def snapshots_import_cmd(bundle: Path) -> None:
    """Import BUNDLE's snapshots, each checked against its sidecar's checksums; then `cadena rebuild --from-raw`."""
    from ingestors.core import recovery
    from ingestors.core.lock import writer_lock

    settings = Settings.from_env()
    try:
        with writer_lock(settings.warehouse_dir, purpose="snapshots import"):
            imported, present = recovery.import_bundle(settings, bundle)
    except recovery.BundleError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    click.echo(f"imported {imported} snapshot(s), {present} already present; "
               "`cadena rebuild --from-raw` loads them")


@main.command("generate")
@click.option("--check", is_flag=True, help="Only report stale files (exit 1 if any); write nothing.")
@click.option("--graph/--no-graph", default=True, help="Also the pinned Dagster asset graph (needs the manifest).")
def generate_cmd(check: bool, graph: bool) -> None:
    """Write what is derived from the Source declarations: dbt sources YAML, README table, pinned graph."""
    from orchestration import derived

    files = derived.source_files()
    if graph:
        from orchestration.dbt_manifest import ensure_manifest

        ensure_manifest()
        files[derived.GRAPH_FILE] = derived.graph_snapshot()
    paths = derived.stale(files) if check else derived.write(files)
    for path in paths:
        click.echo(f"{'stale' if check else 'wrote'} {path.relative_to(REPO_ROOT)}")
    if check and paths:
        click.echo("run `make generate` and commit the result", err=True)
        sys.exit(1)
    if not paths:
        click.echo("every generated file is current")


@main.command("dbt-prepare")
@click.option("--force", is_flag=True)
def dbt_prepare_cmd(force: bool) -> None:
    """Parse the dbt project into target/manifest.json if it changed."""
    from orchestration.dbt_manifest import ensure_manifest

    click.echo(str(ensure_manifest(force=force).relative_to(REPO_ROOT)))


if __name__ == "__main__":
    main()
