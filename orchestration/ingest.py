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
from orchestration.resources import WRITER_POOL, CadenaResource

FRESH_CHECK = "fetched_within_cadence"
# Who answers for an asset in the Dagster UI: the sources and their raw tables, then the warehouse built on them.
SOURCE_OWNERS = ["team:sources"]


def raw_asset_key(source_name: str, table: str) -> AssetKey:
    """The key of raw table ``raw_<source>.<table>``; the dbt translator maps dbt sources to it too."""
    return AssetKey(["raw", f"{source_name}__{table}"])


def table_asset_key(source: Source, table: str) -> AssetKey:
    return raw_asset_key(source.name, table)


def source_asset_keys(source: Source) -> list[AssetKey]:
    return [table_asset_key(source, t.name) for t in source.tables]


def _check_key(source: Source) -> AssetKey:
    """The source-level checks hang on its first table."""
    return source_asset_keys(source)[0]


def _freshness(source: Source, settings, *, now: datetime) -> AssetCheckResult:
    seen, age = state.last_good_fetch(settings, source.name, now=now)
    passed = age is not None and age <= source.max_age
    return AssetCheckResult(
        check_name=FRESH_CHECK,
        asset_key=_check_key(source),
        passed=passed,
        severity=AssetCheckSeverity.WARN,
        metadata={
            "last_good_fetch": seen or "never",
            "age_hours": round(age.total_seconds() / 3600, 1) if age else -1,
            "cadence": source.cadence,
        },
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
        except SourceSkipped as exc:
            context.log.warning(str(exc))
            yield _freshness(source, settings, now=datetime.now(UTC))
            return
        except CadenaError as exc:
            yield _freshness(source, settings, now=datetime.now(UTC))
            raise Failure(description=str(exc)) from None
        if result.changed:
            for table in source.tables:
                yield MaterializeResult(
                    asset_key=table_asset_key(source, table.name),
                    metadata={
                        "snapshot_id": result.snapshot_id,
                        "retrieved_at": result.retrieved_at.isoformat() if result.retrieved_at else None,
                        "row_count": result.rows.get(table.name, 0),
                        "source_quarantined": result.quarantined,
                        "source_requests": result.requests,
                        "offline_sample": cadena.offline,
                    },
                )
        else:
            context.log.info(f"{source.name}: {result.message} (snapshot {result.snapshot_id})")
        yield _freshness(source, settings, now=datetime.now(UTC))

    return _ingest


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
