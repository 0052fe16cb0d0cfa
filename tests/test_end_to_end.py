"""The whole path, offline: samples -> snapshots -> raw tables -> dbt -> published file.

The warehouse is built once per session through Dagster (see ``offline_warehouse``
in conftest.py); the values asserted here follow from the sample snapshots in
``ingestors/samples/`` and are checked against them by hand.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from datetime import date

import duckdb
import pytest

from ingestors.sources import ALL
from tests.conftest import copy_warehouse, warehouse_env


def query(settings, sql, params=None):
    with duckdb.connect(str(settings.published_db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def test_every_source_loaded_and_the_warehouse_was_published(offline_warehouse):
    settings, report = offline_warehouse
    assert sorted(report.loaded) == sorted(s.name for s in ALL)
    # built = every dbt model and test passed, the mart invariants of dbt_project/tests/invariants/ among them
    assert report.failed == {} and report.built and report.published and report.build_scope == "full"
    assert settings.published_db.is_file()


def test_infrastructure_mart_values(offline_warehouse):
    settings, _ = offline_warehouse
    rows = query(settings, """
        select country_iso2, facility_count, ixp_count, cloud_region_count, aws_local_zone_count,
               submarine_cable_count, planned_submarine_cable_count, gpu_cluster_count, h100_equivalents,
               internet_users_pct, internet_users_pct_year, is_sample_data
        from mart_infrastructure__country where country_iso2 in ('BR', 'MX', 'CL', 'AR') order by 1""")
    assert rows == [
        # AR: the Epoch row "about 300" H100e is quarantined, so no cluster.
        ("AR", 1, 0, 0, 1, 1, 0, 0, 0.0, 89.2, 2023, True),
        # BR: 2 facilities, 2 IXPs, AWS+GCP+2 Azure+2 Oracle GA regions; the decommissioned cluster is not counted.
        ("BR", 2, 2, 6, 0, 1, 0, 1, 1024.0, 84.2, 2023, True),
        # CL: facility 3108 has latitude "-33.4S" and is quarantined.
        ("CL", 1, 1, 4, 1, 0, 1, 0, 0.0, 94.5, 2023, True),
        ("MX", 2, 1, 5, 1, 1, 0, 1, 512.0, 81.2, 2023, True),
    ]
    assert query(settings, "select count(*) from mart_infrastructure__country") == [(49,)]


def test_gpu_cluster_confidences(offline_warehouse):
    # provenance on every fact is a dbt test (dbt_project/tests/invariants/), run by every build
    settings, _ = offline_warehouse
    confidences = query(settings, "select distinct confidence from fct_gpu_clusters order by 1")
    assert confidences == [("confirmed",), ("likely",), ("unlikely",)]


def test_quarantine_and_load_log_are_published(offline_warehouse):
    settings, _ = offline_warehouse
    quarantined = dict(query(settings, "select source, count(*) from meta.quarantine group by 1"))
    assert quarantined["peeringdb"] == 1 and quarantined["epoch_gpu_clusters"] == 1
    loads = query(settings, "select count(*), bool_and(is_sample) from mart_source_loads")
    assert loads == [(sum(len(s.tables) for s in ALL), True)]


def test_a_refresh_with_nothing_new_rebuilds_nothing(offline_warehouse, tmp_path):
    from orchestration.refresh import refresh

    settings = copy_warehouse(offline_warehouse[0], tmp_path / "warehouse")
    before = settings.published_db.stat().st_mtime_ns
    with warehouse_env(settings.warehouse_dir):
        report = refresh(offline=True, settings=settings, persist_runs=False)
    assert sorted(report.unchanged) == sorted(s.name for s in ALL)
    assert not report.built and settings.published_db.stat().st_mtime_ns == before


def test_a_load_left_unpublished_is_built_and_published_by_the_next_refresh(offline_warehouse, tmp_path):
    """A refresh killed after a load committed (or whose build failed) leaves the source pending; the next
    refresh, with nothing new to fetch, still builds what it feeds and publishes it."""
    from orchestration import build_policy
    from orchestration.refresh import refresh

    settings = copy_warehouse(offline_warehouse[0], tmp_path / "warehouse")
    # what a kill between load and publication leaves (a source that feeds few models: the build is what the
    # source feeds, so a small one keeps the test quick)
    build_policy.mark_pending(settings, ["apnic_ipv6"])
    before = settings.published_db.stat().st_mtime_ns
    with warehouse_env(settings.warehouse_dir):
        report = refresh(offline=True, settings=settings, persist_runs=False)
    assert report.pending == ["apnic_ipv6"] and report.build_scope == "subset" and report.published
    assert settings.published_db.stat().st_mtime_ns != before
    assert build_policy.pending(settings) == {}


READER = textwrap.dedent("""
    import json, os, sys, time, duckdb
    path, stop = sys.argv[1], sys.argv[2]
    ok, errors = 0, []
    while not os.path.exists(stop):
        try:
            con = duckdb.connect(path, read_only=True)
            con.execute("select count(*), sum(facility_count) from mart_infrastructure__country").fetchall()
            con.close()
            ok += 1
        except Exception as exc:
            errors.append(repr(exc))
        time.sleep(0.05)  # a reader, not a busy loop: leave the cores to the build
    print(json.dumps({"ok": ok, "errors": errors[:5], "error_count": len(errors)}))
""")


@pytest.fixture(scope="module")
def refresh_with_peeringdb_down(offline_warehouse, tmp_path_factory):
    """One refresh of a copy of the offline warehouse in which three things happen at once, as on a real day:
    the curated registry changed (an organisation gone, one renamed, a round's amount revised), PeeringDB
    answers an HTML page, and a reader process queries the published file all along. Three tests read what it
    did; a build costs half a minute, so they share it."""
    import shutil

    import httpx

    from ingestors.core.offline import SampleTransport
    from ingestors.domain import curated
    from orchestration.refresh import refresh

    root = tmp_path_factory.mktemp("peeringdb_down")
    settings = copy_warehouse(offline_warehouse[0], root / "warehouse")
    facilities = query(settings, "select * exclude (retrieved_at) from fct_facilities order by facility_id")
    registry = root / "organizations"
    shutil.copytree(curated.REGISTRY_DIR, registry)
    (registry / "notco.yaml").unlink()
    cenia = registry / "cenia.yaml"
    cenia.write_text(cenia.read_text().replace("name: CENIA", "name: CENIA Chile"))
    scala = registry / "scala-data-centers.yaml"
    scala.write_text(scala.read_text().replace("amount: 215000000", "amount: 275000000"))
    original = SampleTransport.handle_request

    def peeringdb_is_down(self, request):
        if request.url.host == "www.peeringdb.com":
            return httpx.Response(200, html="<html><body>We'll be back soon</body></html>")
        return original(self, request)

    stop = root / "stop"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(settings.published_db), str(stop)],
                              stdout=subprocess.PIPE, text=True, env=os.environ.copy())
    try:
        with pytest.MonkeyPatch.context() as patch, warehouse_env(settings.warehouse_dir):
            patch.setattr(SampleTransport, "handle_request", peeringdb_is_down)
            patch.setattr(curated, "REGISTRY_DIR", registry)
            report = refresh(offline=True, settings=settings, persist_runs=False)
    finally:
        stop.touch()
        out, _ = reader.communicate(timeout=60)
    return settings, report, facilities, json.loads(out)


def test_a_failing_source_keeps_its_last_good_data_and_does_not_stop_the_others(refresh_with_peeringdb_down):
    settings, report, facilities, _ = refresh_with_peeringdb_down
    assert list(report.failed) == ["peeringdb"]
    assert report.failed["peeringdb"].startswith("peeringdb: bad payload in snapshot ")
    assert "not JSON" in report.failed["peeringdb"]
    # every other source ran: the one that changed was loaded, built and published, the rest were unchanged
    assert report.loaded == ["curated_registry"] and report.published
    assert sorted(report.unchanged) == sorted(s.name for s in ALL if s.name not in ("peeringdb", "curated_registry"))
    # PeeringDB's last good rows are still there
    assert query(settings, "select * exclude (retrieved_at) from fct_facilities order by facility_id") == facilities


def test_a_reader_queries_the_published_file_throughout_a_refresh(refresh_with_peeringdb_down):
    _, report, _, reader = refresh_with_peeringdb_down
    assert report.published
    assert reader["error_count"] == 0, reader["errors"]
    assert reader["ok"] > 10


@pytest.mark.parametrize("command", [["status"], ["sources"]])
def test_cli_reports(offline_warehouse, command):
    settings, _ = offline_warehouse
    env = {**os.environ, "CADENA_WAREHOUSE_DIR": str(settings.warehouse_dir)}
    out = subprocess.run([sys.executable, "-m", "orchestration.cli", *command], env=env, capture_output=True,
                         text=True, check=True).stdout
    for source in ALL:
        assert source.name in out
    if command == ["status"]:
        line = next(row for row in out.splitlines() if row.startswith("peeringdb"))
        assert " 25 " in line and " 1 " in line and "fresh" in line


def test_the_duckdb_shell_opens_the_published_file_read_only(offline_warehouse):
    settings, _ = offline_warehouse
    shell = os.path.join(os.path.dirname(sys.executable), "duckdb")
    if not os.path.exists(shell):
        pytest.skip("the duckdb-cli package is not installed in this environment")
    out = subprocess.run([shell, "-readonly", "-csv", str(settings.published_db), "-c",
                          "select country_iso2, cloud_region_count from mart_infrastructure__country "
                          "where cloud_region_count > 0 order by 1"],
                         capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == ["country_iso2,cloud_region_count", "BR,6", "CL,4", "CO,1", "MX,5"]


def test_gpu_price_marts(offline_warehouse):
    settings, _ = offline_warehouse
    h100 = query(settings, """
        select country_iso2, provider, region_code, instance_type, round(cheapest_usd_per_gpu_hour, 4),
               round(us_usd_per_gpu_hour, 4), us_reference_region, round(us_premium_ratio, 3)
        from mart_gpu_prices__country_model where gpu_model = 'H100' order by cheapest_usd_per_gpu_hour""")
    assert h100 == [
        # Azure NC40ads H100 v5 is 1 GPU: 8.80/h in Mexico Central vs 7.00/h in East US
        ("MX", "azure", "mexicocentral", "Standard_NC40ads_H100_v5", 8.8, 7.0, "azure:eastus", 1.257),
        # AWS p5.48xlarge is 8 GPUs: 98.30/h in São Paulo vs 55.04/h in N. Virginia
        ("BR", "aws", "sa-east-1", "p5.48xlarge", 12.2875, 6.88, "aws:us-east-1", 1.786),
    ]
    supply = query(settings, """
        select country_iso2, cloud_gpu_providers, cloud_gpu_models, top500_list_edition, top500_system_count,
               gpu_cluster_count
        from mart_gpu_supply__country where country_iso2 in ('BR', 'CL') order by 1""")
    assert supply == [
        ("BR", ["aws", "azure", "gcp"], ["A100", "A10G", "H100", "L4", "T4"], "2025-06", 2, 1),
        ("CL", ["azure", "gcp"], ["A10", "T4"], "2025-06", 0, 0),
    ]
    assert query(settings, """select cheapest_h100_usd_per_gpu_hour, top500_system_count
        from mart_infrastructure__country where country_iso2 = 'BR'""") == [(12.2875, 2)]


def test_models_in_region_mart(offline_warehouse):
    settings, _ = offline_warehouse
    bedrock = query(settings, """
        select model, direction, usd_per_million_tokens, round(us_usd_per_million_tokens, 4), us_premium_pct
        from mart_ai_services__country_model where provider = 'aws' order by model, direction""")
    assert bedrock == [
        # sa-east-1 against us-east-1, on-demand per 1K tokens x 1000; the embeddings model has no US price
        ("Claude 3 Haiku", "input", 0.3, 0.25, 20.0),
        ("Claude 3 Haiku", "output", 1.5, 1.25, 20.0),
        ("Nova Lite", "input", 0.08, 0.06, 33.33),
        ("Nova Lite", "output", 0.32, 0.24, 33.33),
        ("Titan Text Embeddings V2", "input", 0.03, None, None),
    ]
    # Azure's regional gpt-4o-mini meters in Brazil South and global ones in both countries; Vertex AI's
    # multi-region Gemini 2.5 Flash SKUs in the three LatAm GCP regions and a dearer São Paulo Pro SKU
    assert query(settings, """select country_iso2, provider, count(*), count(*) filter (where is_processed_in_region)
                              from mart_ai_services__country_model group by all order by 1, 2""") == [
        ("BR", "aws", 5, 5), ("BR", "azure", 5, 3), ("BR", "gcp", 4, 4), ("CL", "gcp", 3, 3),
        ("MX", "azure", 2, 0), ("MX", "gcp", 3, 3)]
    assert query(settings, """select us_premium_pct from mart_ai_services__country_model
                              where provider = 'gcp' and model = 'Gemini 2.5 Pro'""") == [(10.0,)]
    assert query(settings, """select country_iso2, bedrock_in_region_model_count, in_region_model_count,
                                     in_region_median_us_premium_pct
                              from mart_country_profile where country_iso2 in ('BR', 'CL', 'MX', 'AR')
                              order by country_iso2""") == [
        ("AR", 0, 0, None), ("BR", 3, 6, 20.0), ("CL", 0, 1, 0.0), ("MX", 0, 1, 0.0)]


def test_supercomputers_keep_only_latam_systems(offline_warehouse):
    settings, _ = offline_warehouse
    assert query(settings, "select rank, country_iso2, accelerator_model from fct_supercomputers order by rank") == [
        (4, "BR", "A100"), (6, "BR", "V100"), (8, "MX", None), (9, "AR", "GPU Max 1550"),
    ]


def test_organisations_are_resolved_and_classified(offline_warehouse):
    settings, _ = offline_warehouse
    # the registry's Tractian, the YC sample's (same website domain), the news report's (same name) and the SEC
    # issuer's (tied to the registry id at ingest) are one organisation
    assert query(settings, """select sources, source_record_count, classification_status
        from dim_organizations where organization_id = 'tractian'""") == [
        (["curated_registry", "news", "sec_form_d", "yc"], 4, "curated")]
    # a YC fintech with no AI signal stays visible but outside the chain, and in no layer
    assert query(settings, """select classification_status, is_in_ai_value_chain from dim_organizations
        where organization_id = 'yc:90003'""") == [("outside_chain", False)]
    members = query(settings, "select count(*) from bridge_organization_layers where organization_id = 'yc:90003'")
    assert members == [(0,)]


def test_value_chain_mart_covers_every_country_and_layer(offline_warehouse):
    settings, _ = offline_warehouse
    # Chile's model builders (CENIA, and ISCI with PatagonIA) name one cluster between them: a
    # single-provider dependency. (Modelo Andino's two builders list three countries: the lists do not
    # line up, so neither is placed in Chile.)
    assert query(settings, """select organization_count, providers, depends_on_single_provider
        from mart_value_chain__country_layer where country_layer_id = 'CL:foundation_models'""") == [
        (2, ["universidad-de-tarapaca"], True)]
    layers_with_members = query(settings, """select count(distinct layer_code) from bridge_organization_layers""")
    assert layers_with_members == [(8,)]
    for layer in ("hardware_infrastructure", "data", "research", "foundation_models", "mlops_tooling",
                  "applications", "integration", "end_users"):
        assert query(settings, f"select count(*) > 0 from mart_layer__{layer}") == [(True,)], layer
    # read through seed 002's "7 layers", Brazil's hardware layer has the same organisations
    through_seed = query(settings, """select organization_count from mart_value_chain__country_seed_term
        where country_iso2 = 'BR' and seed_document = '002 7 layers' and seed_term = '1 Hardware & Infrastructure'""")
    assert through_seed == query(settings, """select organization_count from mart_value_chain__country_layer
        where country_layer_id = 'BR:hardware_infrastructure'""")
    assert through_seed[0][0] > 0


def test_talent_mart_puts_ai_researchers_beside_developers(offline_warehouse):
    settings, _ = offline_warehouse
    rows = query(settings, """select country_iso2, ai_researchers, ai_topics_counted, github_developers is not null,
            ai_researchers_as_of = cast(openalex_retrieved_at at time zone 'UTC' as date)
        from mart_talent__country where ai_researchers is not null order by ai_researchers desc""")
    # the sample's authors answer: seven LatAm countries (its United States group is dropped)
    assert [r[:3] for r in rows] == [("BR", 5123, 4), ("MX", 2123, 4), ("AR", 1123, 4), ("CL", 923, 4),
                                     ("CO", 823, 4), ("PE", 223, 4), ("UY", 123, 4)]
    assert all(r[4] for r in rows) and rows[0][3]
    assert query(settings, "select count(*) from mart_talent__country") == query(
        settings, "select count(*) from dim_country")
    assert query(settings, """select ai_researchers from mart_country_profile where country_iso2 = 'CL'""") == [
        (923,)]
    # the yearly series starts with this (first) refresh: one point per country, this year's
    assert query(settings, """select country_iso2, year = year(current_date), ai_researchers, is_current_year
        from mart_talent__ai_researchers_year order by ai_researchers desc limit 2""") == [
        ("BR", True, 5123, True), ("MX", True, 2123, True)]
    assert query(settings, "select count(*) from mart_talent__ai_researchers_year") == [(7,)]


def test_history_records_what_changed(refresh_with_peeringdb_down):
    settings, report, _, _ = refresh_with_peeringdb_down
    assert report.loaded == ["curated_registry"] and report.published
    changes = query(settings, """select change_type, entity_label, before_value, after_value from mart_changes
        where entity_type = 'organization' and change_type <> 'new' order by entity_id""")
    # NotCo goes, and with it the investors only its rounds named (discovered organisations, evidence gone)
    assert [(c[0], c[1]) for c in changes] == [("changed", "CENIA Chile"), ("removed", "Bezos Expeditions"),
                                               ("removed", "Future Positive"), ("removed", "NotCo")]
    assert '"organization_name":"CENIA"' in changes[0][2] and '"organization_name":"CENIA Chile"' in changes[0][3]
    # a revised amount of a funding round is a change of that round, with before and after
    funding = query(settings, """select change_type, before_value, after_value from mart_changes
        where entity_type = 'funding_round' and change_type = 'changed' and entity_label like 'Scala%'""")
    assert len(funding) == 1
    assert '"amount_original":215000000.0' in funding[0][1] and '"amount_original":275000000.0' in funding[0][2]
    env = {**os.environ, "CADENA_WAREHOUSE_DIR": str(settings.warehouse_dir)}
    out = subprocess.run([sys.executable, "-m", "orchestration.cli", "changes", "--since", "2000-01-01",
                          "--entity-type", "organization"], env=env, capture_output=True, text=True,
                         check=True).stdout
    assert "changed  organization      CENIA Chile" in out and "removed  organization      NotCo" in out


def test_bi_tools_read_the_published_file_through_sqlalchemy(offline_warehouse):
    """duckdb-engine is the SQLAlchemy dialect Superset and other BI tools use. Run in a
    subprocess: the dialect keeps DuckDB objects alive until exit, which nanobind reports."""
    import importlib.util

    if importlib.util.find_spec("duckdb_engine") is None:  # not imported here: see the docstring
        pytest.skip("duckdb-engine is not installed")
    settings, _ = offline_warehouse
    script = textwrap.dedent("""
        import json, sys
        import sqlalchemy
        engine = sqlalchemy.create_engine(f"duckdb:///{sys.argv[1]}", connect_args={"read_only": True})
        with engine.connect() as con:
            rows = con.execute(sqlalchemy.text(
                "select country_iso2, cloud_region_count from mart_infrastructure__country "
                "where cloud_region_count > 0 order by 1")).fetchall()
            columns = [c["name"] for c in sqlalchemy.inspect(con).get_columns("mart_gpu_supply__country")]
        print(json.dumps({"rows": [list(r) for r in rows], "columns": columns}))
    """)
    out = subprocess.run([sys.executable, "-c", script, str(settings.published_db)], capture_output=True,
                         text=True, check=True).stdout
    result = json.loads(out.splitlines()[0])
    assert result["rows"] == [["BR", 6], ["CL", 4], ["CO", 1], ["MX", 5]]
    assert {"country_iso2", "cheapest_h100_usd_per_gpu_hour", "h100_us_premium_ratio"} <= set(result["columns"])

def test_funding_amounts_are_converted_with_their_rate_or_quarantined(offline_warehouse):
    settings, _ = offline_warehouse
    # converted-or-quarantined and the ECB cross rate are dbt tests (dbt_project/tests/invariants/)
    sources = {r[0] for r in query(settings, "select distinct fx_source from fct_funding_claims")}
    assert {"identity", "ecb", "world_bank:PA.NUS.FCRF"} <= sources
    reasons = {r[0] for r in query(settings, "select distinct reason from mart_funding__quarantine")}
    assert "no_fx_rate" in reasons


def test_funding_rounds_merge_claims_and_keep_their_evidence(offline_warehouse):
    settings, _ = offline_warehouse
    # every source reaches the rounds, and each round's claims are all in fct_funding_claims
    sources = {r[0] for r in query(settings, "select distinct unnest(sources) from fct_funding_rounds")}
    assert sources == {"curated_registry", "licensed_exports", "news", "sec_form_d"}
    # the SEC amendment replaced its notice: one claim per offering
    assert query(settings, """select count(*) from fct_funding_claims where claim_source = 'sec_form_d'""") == \
        query(settings, """select count(distinct offering_key) from staging.stg_sec_form_d__offerings
                           where not is_pooled_investment_fund""")
    # news: the three sample rounds reach their registry organisations; the look-alikes stay out
    assert query(settings, """select organization_id, match_rule from fct_funding_claims
        where claim_source = 'news' order by 1""") == [("maritaca-ai", "name"), ("notco", "name"), ("tractian", "name")]
    assert query(settings, """select count(*), list(distinct not_round_reason order by not_round_reason)
        from staging.stg_news__funding_events where not is_round""") == [
        (5, ["acquisition", "aggregate", "fund_close", "ipo"])]
    # a registry organisation's holding company is matched to it
    assert query(settings, """select match_rule from fct_funding_claims
        where claim_source = 'sec_form_d' and organization_id = 'tractian'""") == [("source_id",)]
    # ... and its Form D offering (first sale 2024-12-20) is the round the press reported on 2025-01-14:
    # one round, two claims, the news claim giving the headline (the registry has no Tractian round)
    assert query(settings, """select country_iso2, claims_count, sources, headline_source, is_conflicting
        from fct_funding_rounds where organization_id = 'tractian'""") == [
        ("BR", 2, ["news", "sec_form_d"], "news", False)]


def test_funding_marts_have_rows(offline_warehouse):
    # that the marts add up is a dbt test (dbt_project/tests/invariants/assert_funding_marts_add_up.sql)
    settings, _ = offline_warehouse
    assert query(settings, "select count(*) > 0 from mart_funding__country_layer_quarter") == [(True,)]
    assert query(settings, "select sum(lead_count) > 0, count(*) > 0 from dim_investors") == [(True, True)]
    # the reconciliation has a row for every OWID figure of a LatAm country
    assert query(settings, """select count(*) from mart_funding__reconciliation where owid_usd is not null""") == \
        query(settings, """select count(*) from (select distinct series, country_iso2, year
            from staging.stg_owid_ai_investment__observations where country_iso2 is not null)""")


def test_exits_marts_have_the_real_exits_the_sample_retells(offline_warehouse):
    """Digital Realty's acquisition of Ascenty (2018) and Semantix's Nasdaq listing (2022), retold in the news
    sample with their sources: buyer and target resolved to registry organisations, the amount in USD."""
    settings, _ = offline_warehouse
    assert query(settings, """select exit_type, exit_date, acquirer_organization_id, target_organization_id,
        target_country_iso2, amount_usd from fct_exits order by exit_date""") == [
        ("acquisition", date(2018, 9, 24), "digital-realty", "ascenty", "BR", 1.8e9),
        ("ipo", date(2022, 8, 2), None, "semantix", "BR", None)]
    assert query(settings, """select country_iso2, layer_code, exit_year, acquisition_count, ipo_count,
        usd_disclosed, foreign_acquirer_count from mart_exits__country_layer order by exit_year, layer_code""") == [
        ("BR", "hardware_infrastructure", 2018, 1, 0, 1.8e9, 1),
        ("BR", "data", 2022, 0, 1, 0.0, 0),
        ("BR", "mlops_tooling", 2022, 0, 1, 0.0, 0)]


def test_official_daily_fx_covers_clp_and_uyu_and_bndes_is_typed(offline_warehouse):
    settings, _ = offline_warehouse
    assert query(settings, """select currency, any_value(fx_source) from intermediate.int_fx_rates_daily
        where currency in ('CLP', 'UYU') group by 1 order by 1""") == [
        ("CLP", "bcch:F073.TCO.PRE.Z.D"), ("UYU", "bcu:2225")]
    assert query(settings, """select investor_type, home_country_iso2 from dim_investors
        where investor_name = 'BNDES'""") == [("development_bank_or_multilateral", "BR")]


def test_the_chain_map_counts_presence_and_keeps_every_named_organisation(offline_warehouse):
    """Issue 13: providers count where their capacity sits; every name a source gives is an organisation."""
    settings, _ = offline_warehouse
    present = dict(query(settings, """select organization_id, list(distinct country_iso2 order by country_iso2)
        from bridge_organization_presence where presence_kind <> 'headquarters' and is_latam
        and organization_id in ('amazon-web-services', 'microsoft-azure', 'google-cloud', 'oracle-cloud', 'equinix')
        group by 1"""))
    assert {"BR", "MX"} <= set(present["equinix"])  # the registry's presence list
    # at least where their sample cloud regions and Local Zones are (the registry's presence list adds more)
    expected = {"amazon-web-services": {"AR", "BR", "CL", "CO", "MX", "PE"}, "google-cloud": {"BR", "CL", "MX"},
                "microsoft-azure": {"BR", "CL", "MX"}, "oracle-cloud": {"BR", "CL", "CO", "MX"}}
    assert all(countries <= set(present.get(org, ())) for org, countries in expected.items()), present
    # both views exist; hardware counts presence, so Mexico counts more than its own headquarters
    (mx,) = query(settings, """select counting_rule, organization_count, organization_count_by_headquarters,
        organization_count_by_presence from mart_value_chain__country_layer
        where country_layer_id = 'MX:hardware_infrastructure'""")
    assert mx[0] == "presence" and mx[1] > mx[2] and mx[3] > 0
    assert query(settings, """select distinct counting_rule from mart_value_chain__country_layer
        where layer_code <> 'hardware_infrastructure'""") == [("headquarters",)]
    # a PeeringDB operator and a cable owner no curator described are discovered organisations with evidence
    discovered = dict(query(settings, """select organization_id, source_urls from dim_organizations
        where registry_status = 'discovered'"""))
    assert {"peeringdb:9101", "telegeography:Example Telecom", "top500:90009"} <= set(discovered)
    assert all(discovered[k] for k in ("peeringdb:9101", "top500:90009"))
    # the cloud provider codes resolve to the registry's providers, never to a new organisation
    assert query(settings, """select distinct organization_id from intermediate.int_organizations_resolved
        where record_key like 'cloud_provider:%' order by 1""") == [
        ("amazon-web-services",), ("google-cloud",), ("microsoft-azure",), ("oracle-cloud",)]


def test_physical_chain_dependencies_claims_and_licences(offline_warehouse):
    settings, _ = offline_warehouse
    assert query(settings, """select dimension, supply_status from mart_physical_chain__concentration
        where country_iso2 = 'BO' and dimension in ('cable_systems', 'cable_owners', 'landing_stations')
        order by dimension_order""") == [
        ("cable_systems", "landlocked"), ("cable_owners", "landlocked"), ("landing_stations", "landlocked")]
    # Brazil: at least the sample's four providers (the registry's presence list adds others)
    (br,) = query(settings, """select unit_count, supply_status, single_cloud_provider
        from mart_physical_chain__concentration join mart_physical_chain__country using (country_iso2)
        where country_iso2 = 'BR' and dimension = 'cloud_providers'""")
    assert br[0] >= 4 and br[1:] == ("several", False)
    # Brazil hosts AWS's region: a foreign provider holds capacity there
    assert query(settings, """select site_count > 0, is_foreign_provider from mart_dependencies__country
        where country_iso2 = 'BR' and provider_organization_id = 'amazon-web-services'
        and dependency_kind = 'hosts_cloud_region'""") == [(True, True)]
    # one headline per claimed fact
    assert query(settings, """select count(*) from (select subject_kind, subject_id, attribute from fct_fact_claims
        group by all having count(*) filter (where is_headline) <> 1)""") == [(0,)]
    # exports: a licence on every row, and the rows licensed to the user left out
    exports = settings.published_db.parent / "exports"
    with duckdb.connect() as con:
        assert con.execute(f"select count(*) from '{exports / 'fct_funding_claims.parquet'}' "
                           "where source_name = 'licensed_exports'").fetchone() == (0,)
        assert con.execute(f"select distinct licence from '{exports / 'fct_cable_landings.parquet'}'").fetchall() == [
            ("TeleGeography Submarine Cable Map, CC BY-NC-SA 4.0 (https://www.submarinecablemap.com)",)]
    assert query(settings, "select count(*) > 0 from fct_funding_claims where source_name = 'licensed_exports'") == [
        (True,)]
