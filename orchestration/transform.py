"""dbt models as Dagster assets (dagster-dbt), and the publish step after them."""


import os
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, asset
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from ingestors.core.config import Settings
from ingestors.core.load import ensure_tables
from ingestors.core.lock import writer_lock
from ingestors.core.publish import MART_PREFIXES, ExportPolicy, publish
from ingestors.sources import ALL, BY_NAME
from orchestration import build_policy
from orchestration.dbt_manifest import (
    DBT_PROJECT_DIR,
    MANIFEST,
    PARTIAL_PARSE_NAME,
    TARGET_DIR,
    keep_partial_parse_warm,
    manifest_is_current,
    project_hash,
    record_manifest,
    warm_partial_parse,
)
from orchestration.ingest import raw_asset_key
from orchestration.resources import WRITER_POOL, CadenaResource

# Folder under models/{intermediate,marts}/ -> Dagster group. Staging folders
# are named after their source, whose family gives the group.
FOLDER_GROUPS = {"core": "reference", "meta": "meta"}
# Who answers for the dbt models, seeds, snapshots and the publication in the Dagster UI.
WAREHOUSE_OWNERS = ["team:warehouse"]

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
# `dagster dev` / `dg dev` re-parse the project on start when a file of it changed since the last parse; everywhere
# else the manifest is prepared by `make setup` (`cadena dbt-prepare`) or by the CLI before it loads these
# definitions, never at import. The dev parse runs with the profile pointed at this warehouse's working file, as the
# builds do, and starts from the last parse re-keyed to that profile, so it parses only what changed.
if dbt_project.preparer.using_dagster_dev() and not manifest_is_current(files := project_hash()):
    working_db = Settings.from_env().working_db
    os.environ["CADENA_DB_PATH"] = str(working_db)
    warm_partial_parse(working_db)
    dbt_project.prepare_if_dev()
    record_manifest(files)
if not MANIFEST.is_file():
    raise RuntimeError(f"no dbt manifest at {MANIFEST}: run `cadena dbt-prepare` (make setup does it)")


class CadenaDbtTranslator(DagsterDbtTranslator):
    """Groups dbt models by family, like the ingest assets they read; the warehouse team owns them."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        # dbt source tables are the raw tables the ingest assets write.
        if dbt_resource_props["resource_type"] == "source":
            return raw_asset_key(dbt_resource_props["source_name"], dbt_resource_props["name"])
        # Models and seeds: their name alone (stg_..., int_..., fct_..., mart_...).
        return AssetKey([dbt_resource_props["name"]])

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> list[str]:
        return WAREHOUSE_OWNERS

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        if dbt_resource_props["resource_type"] == "snapshot":
            return "history"
        if dbt_resource_props["resource_type"] == "source":
            source = BY_NAME.get(dbt_resource_props["source_name"])
            return source.family if source else "meta"
        fqn = dbt_resource_props.get("fqn", [])
        if len(fqn) >= 4 and fqn[1] == "staging":
            source = BY_NAME.get(fqn[2])
            return source.family if source else "meta"
        if len(fqn) >= 4:
            return FOLDER_GROUPS.get(fqn[2], fqn[2])
        return super().get_group_name(dbt_resource_props)


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=CadenaDbtTranslator(),
    pool=WRITER_POOL,
    name="cadena_dbt",
)
def cadena_dbt_assets(context: AssetExecutionContext, dbt: DbtCliResource, cadena: CadenaResource):
    """`dbt build` of the selected models: seeds, models and their tests (as asset checks)."""
    # The profile reads the working database's path from the environment.
    settings = cadena.settings()
    os.environ["CADENA_DB_PATH"] = str(settings.working_db)
    with writer_lock(settings.warehouse_dir, purpose="dbt build"):
        # a source skipped for want of a key or a file still has its (empty) raw tables
        created = ensure_tables(settings.working_db, ALL)
        if created:
            context.log.info(f"created {len(created)} empty raw tables of sources never loaded: {', '.join(created)}")
        build_policy.mark_build_started(settings)
        # this run's dbt target folder, seeded with the last parse re-keyed to this warehouse's profile
        run_target = TARGET_DIR / f"cadena_dbt-{context.run.run_id[:7]}-{uuid4().hex[:7]}"
        warm_partial_parse(settings.working_db, run_target / PARTIAL_PARSE_NAME)
        invocation = dbt.cli(["build"], context=context, target_path=run_target)
        yield from invocation.stream()
        keep_partial_parse_warm(invocation.target_path)


MART_KEYS = [k for k in cadena_dbt_assets.keys if k.path[-1].startswith(MART_PREFIXES)]


def export_policy(settings) -> ExportPolicy:
    """Licences of every source, the sources behind each mart (from the dbt manifest), and which sources' rows are
    licensed to the user (left out of the exports unless CADENA_EXPORT_LICENSED=1)."""
    from orchestration.freshness import upstream_sources

    return ExportPolicy(
        licences={name: source.licence for name, source in BY_NAME.items()},
        mart_sources=upstream_sources(),
        restricted_sources=frozenset(name for name, source in BY_NAME.items() if source.licensed_rows),
        include_restricted=settings.export_licensed,
    )


@asset(
    key=AssetKey("published_warehouse"),
    deps=MART_KEYS,
    group_name="publish",
    kinds={"duckdb", "parquet", "csv"},
    owners=WAREHOUSE_OWNERS,
    pool=WRITER_POOL,
    description="The read-only copy of the warehouse that analysts and dashboards open, "
    "swapped in atomically after a successful build.",
)
def published_warehouse(context: AssetExecutionContext, cadena: CadenaResource) -> MaterializeResult:
    settings = cadena.settings()
    started = build_policy.build_started(settings) or datetime.now(UTC).isoformat()
    info = publish(settings.working_db, settings.published_db, keep=settings.keep_publications,
                   policy=export_policy(settings))
    build_policy.record_publication(settings, built_before=started)
    context.log.info(f"published {info.path} ({info.size_bytes} bytes, {info.tables} tables, "
                     f"{info.exports} marts exported) as publication {info.publication_id}")
    return MaterializeResult(metadata={
        "path": str(info.path),
        "publication_id": info.publication_id,
        "publication_folder": str(info.folder),
        "published_at": info.published_at.isoformat(),
        "size_bytes": info.size_bytes,
        "tables": info.tables,
        "exported_marts": info.exports,
    })
