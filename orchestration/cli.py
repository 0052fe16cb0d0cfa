"""`cadena`: the command line for people (and CI) rather than schedulers.

    cadena refresh [--offline] [--source NAME ...] [--force]
    cadena status
    cadena publish
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
        from orchestration.transform import export_policy

        info = pub.publish(settings.working_db, settings.published_db, keep=settings.keep_publications,
                           policy=export_policy(settings))
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
