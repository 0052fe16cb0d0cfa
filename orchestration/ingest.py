"""Ingest assets, generated from the source registry.

One multi-asset per source produces one asset per raw table
(``raw/<source>__<table>``, e.g. ``raw/aws_ip_ranges__regions``: the UI labels an
asset by the last part of its key, so the source's name is in it): the tables of
a source are fetched and replaced together, in one transaction.

An asset body only calls :func:`ingestors.core.pipeline.run_source` and reports.
A source whose payload did not change materialises nothing (the asset is
skippable), so nothing downstream rebuilds for it.
"""


from collections.abc import Mapping
from datetime import UTC, datetime

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    AssetSelection,
    AssetSpec,
    Definitions,
    Failure,
    JobDefinition,
    MaterializeResult,
    MetadataValue,
    define_asset_job,
    in_process_executor,
    multi_asset,
)

from ingestors.core import state
from ingestors.core.errors import CadenaError, SourceSkipped
from ingestors.core.pipeline import run_source
from ingestors.core.registry import Source
from ingestors.sources import ALL
from orchestration import build_policy
from orchestration.resources import WRITER_POOL, CadenaResource

FRESH_CHECK = "fetched_within_cadence"
# Who answers for an asset in the Dagster UI: the sources and their raw tables, then the warehouse built on them.
SOURCE_OWNERS = ["team:sources"]


def raw_asset_key(source_name: str, table: str) -> AssetKey:
    """The key of raw table ``raw_<source>.<table>``; the dbt translator maps dbt sources to it too."""
    return AssetKey(["raw", f"{source_name}__{table}"])


def source_name_of(key: AssetKey) -> str | None:
    """The source whose raw table ``key`` is (``raw/ecb_fx__rates`` -> ``ecb_fx``); ``None`` for other assets."""
    if len(key.path) != 2 or key.path[0] != "raw":
        return None
    return key.path[1].split("__", 1)[0]


def table_asset_key(source: Source, table: str) -> AssetKey:
    return raw_asset_key(source.name, table)


def source_asset_keys(source: Source) -> list[AssetKey]:
    return [table_asset_key(source, t.name) for t in source.tables]


def _check_key(source: Source) -> AssetKey:
    """The source-level checks hang on its first table."""
    return source_asset_keys(source)[0]


def _freshness(source: Source, settings, *, now: datetime) -> AssetCheckResult:
    fresh = state.freshness(settings, source.name, source.max_age, now=now)
    return AssetCheckResult(
        check_name=FRESH_CHECK,
        asset_key=_check_key(source),
        passed=fresh.verdict == "fresh",
        severity=AssetCheckSeverity.WARN,
        metadata={"last_good_fetch": fresh.last_good or "never", "verdict": fresh.describe(source.cadence)},
    )


def build_ingest_asset(source: Source) -> AssetsDefinition:
    @multi_asset(
        name=f"ingest_{source.name}",
        specs=[AssetSpec(
            table_asset_key(source, table.name),
            group_name=source.family,
            description=f"{source.title}, table {table.name}: {table.description}",
            kinds={"python", "duckdb"},
            owners=SOURCE_OWNERS,
            skippable=True,
            tags={"cadence": source.cadence, "family": source.family},
            metadata={
                "homepage": MetadataValue.url(source.homepage),
                "licence": source.licence,
                "cadence": source.cadence,
                "raw_table": f"{source.schema}.{table.name}",
                "primary_key": ", ".join(table.key),
            },
        ) for table in source.tables],
        check_specs=[AssetCheckSpec(FRESH_CHECK, asset=_check_key(source),
                                    description=f"The last good fetch is at most one {source.cadence} cadence old.")],
        pool=WRITER_POOL,
    )
    def _ingest(context: AssetExecutionContext, cadena: CadenaResource):
        settings = cadena.settings()
        try:
            result = run_source(source, settings, offline=cadena.offline, force=cadena.force)
        except (SourceSkipped, CadenaError) as exc:
            yield _freshness(source, settings, now=datetime.now(UTC))
            if isinstance(exc, SourceSkipped):
                context.log.warning(str(exc))
                return
            raise Failure(description=str(exc)) from None
        if result.changed:
            build_policy.mark_pending(settings, [source.name])
            yield from (MaterializeResult(asset_key=table_asset_key(source, t.name),
                                          metadata=_load_metadata(result, t.name, cadena.offline))
                        for t in source.tables)
        else:
            context.log.info(f"{source.name}: {result.message} (snapshot {result.snapshot_id})")
        yield _freshness(source, settings, now=datetime.now(UTC))

    return _ingest


def _load_metadata(result, table: str, offline: bool) -> dict:
    return {
        "snapshot_id": result.snapshot_id,
        "retrieved_at": result.retrieved_at.isoformat() if result.retrieved_at else None,
        "row_count": result.rows.get(table, 0),
        "source_quarantined": result.quarantined,
        "source_requests": result.requests,
        "offline_sample": offline,
    }


INGEST_ASSETS: list[AssetsDefinition] = [build_ingest_asset(s) for s in ALL]


# Every source, whatever its cadence: the first of the two runs of `cadena refresh`, which picks its
# sources with ``asset_selection``. A named job, so the run shows as what it is in the UI and run history.
ingest_sources_job = define_asset_job(
    name="ingest_sources",
    selection=AssetSelection.assets(*INGEST_ASSETS),
    executor_def=in_process_executor,
    description="Fetch, parse and load the chosen sources (any cadence): the first run of `cadena refresh`.",
)


def ingest_job(resources: Mapping[str, object]) -> JobDefinition:
    """``ingest_sources`` resolved without the dbt assets (loading those costs seconds). Run some sources with
    ``ingest_job(...).execute_in_process(asset_selection=[keys of source_asset_keys(s) ...], ...)``."""
    return Definitions(assets=INGEST_ASSETS, jobs=[ingest_sources_job], resources=resources).resolve_job_def(
        ingest_sources_job.name)
