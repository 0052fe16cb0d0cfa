"""Pin the Dagster graph: an accidental rename or regroup fails here, not in production."""

from __future__ import annotations

import pytest

CAPACITY = sorted([
    "raw/peeringdb__facilities", "raw/peeringdb__internet_exchanges", "raw/peeringdb__ix_facilities",
    "raw/peeringdb__organizations", "raw/telegeography__cables", "raw/telegeography__landing_points",
    "raw/telegeography__cable_landings", "raw/aws_ip_ranges__regions", "raw/gcp_ip_ranges__regions",
    "raw/azure_service_tags__regions", "raw/oracle_ip_ranges__regions", "raw/epoch_gpu_clusters__clusters",
    "raw/world_bank__observations", "raw/azure_retail_prices__prices", "raw/aws_ec2_gpu__offers",
    "raw/gcp_gpu_skus__gpu_prices", "raw/top500__systems",
    "stg_peeringdb__facilities", "stg_peeringdb__internet_exchanges", "stg_peeringdb__ix_facilities",
    "stg_peeringdb__organizations", "stg_telegeography__cables", "stg_telegeography__landing_points",
    "stg_telegeography__cable_landings", "stg_aws_ip_ranges__regions", "stg_gcp_ip_ranges__regions",
    "stg_azure_service_tags__regions", "stg_oracle_ip_ranges__regions", "stg_epoch_gpu_clusters__clusters",
    "stg_world_bank__observations", "stg_azure_retail_prices__prices", "stg_aws_ec2_gpu__offers",
    "stg_gcp_gpu_skus__gpu_prices", "stg_top500__systems",
    "int_cloud_regions_unioned", "int_cloud_gpu_offers_unioned", "int_cloud_regions_catalogued",
    "int_gpu_clusters_by_country",
    "int_country_indicators_latest",
    "fct_facilities", "fct_internet_exchanges", "fct_cloud_regions", "fct_submarine_cables",
    "fct_cable_landings", "fct_gpu_clusters", "fct_country_indicators", "mart_infrastructure__country",
    "fct_cloud_gpu_offers", "fct_supercomputers", "mart_gpu_supply__country", "mart_gpu_prices__country_model",
])
ORGANISATIONS = sorted([
    *(f"raw/curated_registry__{t}" for t in ("organizations", "organization_layers", "organization_dependencies",
                                             "capacity_announcements", "gpu_deployments", "funding_rounds")),
    *(f"stg_curated_registry__{t}" for t in ("organizations", "organization_layers", "organization_dependencies",
                                              "capacity_announcements", "gpu_deployments", "funding_rounds")),
    "dim_organizations", "bridge_organization_layers", "fct_organization_dependencies", "fct_datacenter_capacity",
    "raw/yc__companies", "raw/epoch_notable_models__models", "raw/huggingface__models",
    "stg_yc__companies", "stg_epoch_notable_models__models", "stg_huggingface__models",
    "int_organization_records", "int_organizations_resolved", "int_organization_features",
    "int_organization_layers_classified", "int_organization_memberships", "int_organization_measures",
    "raw/wikidata__organizations", "raw/openalex__works_by_country_year", "raw/openalex__institutions",
    "stg_wikidata__organizations", "stg_openalex__works_by_country_years", "stg_openalex__institutions",
    "fct_models", "fct_research_output", "mart_value_chain__country_layer", "mart_value_chain__country_seed_term",
    *(f"mart_layer__{layer}" for layer in ("hardware_infrastructure", "data", "research", "foundation_models",
                                           "mlops_tooling", "applications", "integration", "end_users")),
])
FUNDING = sorted([
    "raw/sec_form_d__offerings", "raw/news__articles", "raw/news__funding_events", "raw/ecb_fx__rates",
    "raw/owid_ai_investment__observations", "raw/licensed_exports__rounds",
    "stg_sec_form_d__offerings", "stg_news__articles", "stg_news__funding_events", "stg_ecb_fx__rates",
    "stg_owid_ai_investment__observations", "stg_licensed_exports__rounds",
    "int_fx_rates_daily", "int_fx_rates_annual", "int_funding_claims", "int_funding_claims_matched",
    "int_funding_claims_converted", "int_funding_rounds_clustered", "int_funding_investors",
    "fct_funding_claims", "fct_funding_rounds", "dim_investors", "bridge_round_investors",
    "mart_funding__country_layer_quarter", "mart_funding__reconciliation", "mart_funding__quarantine",
])
EXPECTED_GROUPS = {
    "capacity": CAPACITY,
    "organisations": ORGANISATIONS,
    "funding": FUNDING,
    "meta": sorted(["raw/cadena_meta__load_log", "raw/cadena_meta__quarantine", "stg_cadena_meta__load_logs",
                    "stg_cadena_meta__quarantines", "int_source_loads_latest", "mart_source_loads"]),
    "reference": sorted(["latam_countries", "value_chain_layers", "value_chain_sub_layers", "taxonomy_crosswalk",
                         "cloud_region_catalogue", "azure_gpu_vm_skus", "layer_rules", "layer_size_measures",
                         "funding_round_types", "funding_round_type_rules", "currencies", "investor_aliases",
                         "dim_country", "dim_layer"]),
    "publish": ["published_warehouse"],
    "history": sorted(["snap_facilities", "snap_cloud_regions", "snap_cloud_gpu_offers", "snap_submarine_cables",
                       "snap_organizations", "snap_organization_layers", "snap_funding_rounds", "mart_changes"]),
}


@pytest.fixture(scope="module")
def defs():
    from orchestration.definitions import defs

    return defs


@pytest.fixture(scope="module")
def graph(defs):
    return defs.resolve_asset_graph()


def test_asset_keys_and_groups_are_pinned(graph):
    groups: dict[str, list[str]] = {}
    for key in graph.get_all_asset_keys():
        groups.setdefault(graph.get(key).group_name, []).append(key.to_user_string())
    assert {g: sorted(keys) for g, keys in groups.items()} == EXPECTED_GROUPS


def test_dbt_sources_sit_downstream_of_the_ingest_assets(graph):
    from dagster import AssetKey

    parents = graph.get(AssetKey("stg_peeringdb__facilities")).parent_keys
    assert parents == {AssetKey(["raw", "peeringdb__facilities"])}
    assert graph.get(AssetKey(["raw", "peeringdb__facilities"])).is_materializable


def test_publish_waits_for_every_mart(graph):
    from dagster import AssetKey

    parents = {k.to_user_string() for k in graph.get(AssetKey("published_warehouse")).parent_keys}
    marts = {k for keys in EXPECTED_GROUPS.values() for k in keys if k.startswith(("dim_", "fct_", "bridge_", "mart_"))}
    assert parents == marts


def test_dbt_tests_are_asset_checks(graph):
    checks = {c.to_user_string() for c in graph.asset_check_keys}
    assert "mart_infrastructure__country:unique_mart_infrastructure__country_country_iso2" in checks
    assert "fct_facilities:relationships_fct_facilities_country_iso2__country_iso2__ref_dim_country_" in checks
    assert "raw/world_bank__observations:fetched_within_cadence" in checks
    assert "mart_infrastructure__country:inputs_within_cadence" in checks
    assert len(checks) >= 100


def test_every_writer_shares_one_pool(defs):
    from dagster import AssetsDefinition

    from orchestration.resources import WRITER_POOL

    writers = [a for a in defs.assets if isinstance(a, AssetsDefinition) and a.is_executable]
    assert len(writers) == 23 + 1 + 1  # one per source, dbt, publish
    assert {a.node_def.pool for a in writers} == {WRITER_POOL}


def test_schedules_jobs_and_sensors_are_pinned(defs):
    assert sorted((s.name, s.cron_schedule) for s in defs.schedules) == [
        ("daily_sources", "15 5 * * *"), ("freshness_daily", "0 7 * * *"), ("monthly_sources", "45 5 2 * *"),
        ("quarterly_sources", "0 6 15 2,5,8,11 *"), ("weekly_sources", "30 5 * * 1"),
    ]
    assert sorted(j.name for j in defs.jobs) == [
        "build_and_publish", "check_freshness", "ingest_daily", "ingest_monthly", "ingest_quarterly", "ingest_sources",
        "ingest_weekly",
        "refresh_all",
    ]
    assert sorted(s.name for s in defs.sensors) == [
        "alert_on_run_failure", "build_after_ingest", "build_after_partly_failed_ingest"]


def test_each_cadence_job_holds_exactly_its_sources(defs):
    from ingestors.sources import ALL

    for cadence in ("daily", "weekly", "monthly", "quarterly"):
        job = defs.resolve_job_def(f"ingest_{cadence}")
        keys = {k.path[1].split("__")[0] for k in job.asset_layer.executable_asset_keys}
        assert keys == {s.name for s in ALL if s.cadence == cadence}


def test_a_build_after_ingest_rebuilds_only_what_the_changed_sources_feed(graph):
    from dagster import AssetKey

    from orchestration.jobs import rebuild_selection

    keys = {k.to_user_string() for k in rebuild_selection({AssetKey(["raw", "ecb_fx__rates"])}, graph)}
    assert {"stg_ecb_fx__rates", "int_fx_rates_daily", "fct_funding_rounds", "mart_funding__country_layer_quarter",
            "mart_value_chain__country_layer", "snap_funding_rounds", "mart_changes", "published_warehouse"} <= keys
    assert not keys & {"fct_facilities", "stg_peeringdb__facilities", "dim_organizations", "raw/ecb_fx__rates"}
    assert not any(k.startswith("raw/") for k in keys)


def test_a_mart_is_stale_when_a_source_it_reads_is(tmp_path):
    import json
    from datetime import UTC, datetime, timedelta

    from ingestors.core.config import Settings
    from orchestration.freshness import source_verdicts, upstream_sources

    upstream = upstream_sources()
    assert "ecb_fx" in upstream["fct_funding_rounds"] and "peeringdb" not in upstream["fct_funding_rounds"]
    assert "peeringdb" in upstream["mart_infrastructure__country"]

    settings = Settings(warehouse_dir=tmp_path, contact="tests@example.org")
    now = datetime(2026, 6, 30, tzinfo=UTC)
    three_days_ago = {"last_success": {"checked_at": (now - timedelta(days=3)).isoformat()}}
    settings.state_dir.mkdir(parents=True)
    for name, st in {"ecb_fx": three_days_ago, "world_bank": three_days_ago,
                     "licensed_exports": {"last_attempt": {"status": "skipped"}}}.items():
        (settings.state_dir / f"{name}.json").write_text(json.dumps(st))
    verdicts = source_verdicts(settings, now=now)
    assert verdicts["ecb_fx"] == "stale (3.0 days old, cadence daily)"  # a daily source
    assert verdicts["world_bank"] == "fresh"  # a monthly one
    assert verdicts["licensed_exports"] == "not configured"
    assert verdicts["peeringdb"] == "never loaded"


def test_every_asset_has_an_owner_kinds_a_distinct_name_and_description(graph):
    """What `dg list defs` and the UI show: no asset without owner or kind, no two labelled alike."""
    from collections import Counter

    nodes = [graph.get(key) for key in graph.get_all_asset_keys()]
    assert [n.key.to_user_string() for n in nodes if not n.owners] == []
    assert [n.key.to_user_string() for n in nodes if not n.kinds] == []
    assert [n.key.to_user_string() for n in nodes if not (n.description or "").strip()] == []
    labels = Counter(n.key.path[-1] for n in nodes)  # the UI's graph labels an asset by the last part of its key
    assert [label for label, count in labels.items() if count > 1] == []
    first_lines = Counter((n.description or "").splitlines()[0] for n in nodes)
    assert [line for line, count in first_lines.items() if count > 1] == []
    owners = {n.key.to_user_string(): n.owners for n in nodes}
    assert owners["raw/aws_ip_ranges__regions"] == ["team:sources"]
    assert owners["mart_infrastructure__country"] == ["team:warehouse"]
    assert owners["published_warehouse"] == ["team:warehouse"]


def test_cli_runs_are_named_jobs(tmp_path, monkeypatch):
    """`cadena refresh` runs ``ingest_sources`` (any subset of sources), then ``build_and_publish``: never
    ``__ephemeral_asset_job__``."""
    from dagster import DagsterInstance

    from ingestors.sources import BY_NAME
    from orchestration.ingest import ingest_job, source_asset_keys
    from orchestration.resources import CadenaResource

    monkeypatch.setenv("CADENA_WAREHOUSE_DIR", str(tmp_path / "warehouse"))
    result = ingest_job({"cadena": CadenaResource()}).execute_in_process(
        instance=DagsterInstance.ephemeral(), run_config={"resources": {"cadena": {"config": {"offline": True}}}},
        asset_selection=source_asset_keys(BY_NAME["ecb_fx"]), raise_on_error=False)
    assert result.success and result.dagster_run.job_name == "ingest_sources"
    assert [e.asset_key.to_user_string() for e in result.get_asset_materialization_events()] == ["raw/ecb_fx__rates"]
