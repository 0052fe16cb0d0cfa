"""Pin the Dagster graph: an accidental rename or regroup fails here, not in production.

The pinned graph is ``tests/orchestration/asset_graph.json``, written by `make generate` from the
definitions; a change to it shows up in review as a diff (tests/test_derived_files.py fails while it is
stale). The tests below hold the structure the snapshot cannot express.
"""

from __future__ import annotations

import json

import pytest


@pytest.fixture(scope="module")
def defs():
    from orchestration.definitions import defs

    return defs


@pytest.fixture(scope="module")
def graph(defs):
    return defs.resolve_asset_graph()


def test_asset_keys_groups_and_checks_match_the_pinned_graph():
    from orchestration import derived

    pinned = json.loads(derived.GRAPH_FILE.read_text())
    current = json.loads(derived.graph_snapshot())
    added = sorted(set(current["assets"]) - set(pinned["assets"]))
    removed = sorted(set(pinned["assets"]) - set(current["assets"]))
    assert not added and not removed, f"assets added {added}, removed {removed}: run `make generate`"
    assert current == pinned, "the asset graph changed: run `make generate` and review the diff"


def test_every_source_has_its_raw_assets_in_its_family_group(graph):
    from ingestors.sources import ALL
    from orchestration.ingest import source_asset_keys

    for source in ALL:
        for key in source_asset_keys(source):
            assert graph.get(key).group_name == source.family


def test_dbt_sources_sit_downstream_of_the_ingest_assets(graph):
    from dagster import AssetKey

    parents = graph.get(AssetKey("stg_peeringdb__facilities")).parent_keys
    assert parents == {AssetKey(["raw", "peeringdb__facilities"])}
    assert graph.get(AssetKey(["raw", "peeringdb__facilities"])).is_materializable


def test_publish_waits_for_every_mart(graph):
    from dagster import AssetKey

    from ingestors.core.publish import MART_PREFIXES

    parents = {k.to_user_string() for k in graph.get(AssetKey("published_warehouse")).parent_keys}
    marts = {k.to_user_string() for k in graph.get_all_asset_keys() if k.path[-1].startswith(MART_PREFIXES)}
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

    from ingestors.sources import ALL
    from orchestration.resources import WRITER_POOL

    writers = [a for a in defs.assets if isinstance(a, AssetsDefinition) and a.is_executable]
    assert len(writers) == len(ALL) + 2  # one per source, dbt, publish
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


def test_a_build_after_ingest_rebuilds_only_what_the_changed_sources_feed(graph, tmp_path):

    from ingestors.core.config import Settings
    from orchestration import build_policy

    settings = Settings(warehouse_dir=tmp_path, contact="tests@example.org")
    settings.published_db.parent.mkdir(parents=True, exist_ok=True)
    settings.published_db.write_bytes(b"")  # a publication exists and was built from this dbt project
    build_policy.record_publication(settings, built_before="")
    selection, scope = build_policy.build_selection({"ecb_fx"}, graph, settings)
    assert scope == "subset"
    keys = {k.to_user_string() for k in selection.resolve(graph)}
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
    assert "ecb_fx" in upstream["fct_funding_rounds"] and "peeringdb" not in upstream["fct_country_indicators"]
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
    assert verdicts["world_bank"].startswith("fresh")  # a monthly one
    assert verdicts["licensed_exports"] == "not configured"
    assert verdicts["peeringdb"] == "never loaded"


def test_the_build_policy_builds_everything_without_a_publication_or_after_a_project_change(graph, tmp_path):
    from ingestors.core.config import Settings
    from orchestration import build_policy

    settings = Settings(warehouse_dir=tmp_path, contact="tests@example.org")
    assert build_policy.build_selection({"ecb_fx"}, graph, settings)[1] == "full"  # nothing published yet
    settings.published_db.parent.mkdir(parents=True, exist_ok=True)
    settings.published_db.write_bytes(b"")
    assert build_policy.build_selection({"ecb_fx"}, graph, settings)[1] == "full"  # built from an unknown project
    build_policy.record_publication(settings, built_before="")
    assert build_policy.build_selection({"ecb_fx"}, graph, settings)[1] == "subset"
    assert build_policy.build_selection({"ecb_fx"}, graph, settings, force=True)[1] == "full"


def test_what_was_loaded_stays_pending_until_a_publication_contains_it(tmp_path):
    from ingestors.core.config import Settings
    from orchestration import build_policy

    settings = Settings(warehouse_dir=tmp_path, contact="tests@example.org")
    build_policy.mark_pending(settings, ["ecb_fx", "peeringdb"])
    assert set(build_policy.pending(settings)) == {"ecb_fx", "peeringdb"}  # a kill here loses nothing
    build_policy.record_publication(settings, built_before="9999")
    assert build_policy.pending(settings) == {}


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
