"""The marts built from the real captures agree with counts taken from the capture files.

Every expected figure is computed here from the files themselves
(``tests/replay/captures.py``), never from the warehouse, and compared per
LatAm country with what the marts say. One build serves every test
(``replay_build`` in conftest.py).
"""

from __future__ import annotations

import pytest

from tests.replay import captures as cap


def _nonzero(rows) -> dict:
    return {key: value for key, value in rows if value}


def test_the_build_replayed_the_captures(replay_build):
    """The sources with a capture loaded the real files (the shipped samples hold a handful of rows)."""
    assert replay_build.report.built and not replay_build.report.failed
    rows = dict(replay_build.query("select source_table, row_count from mart_source_loads"))
    assert {k: rows[k] for k in ("telegeography.cables", "top500.systems", "ecb_fx.rates", "yc.companies",
                                 "epoch_gpu_clusters.clusters", "peeringdb.internet_exchanges")} == {
        "telegeography.cables": 78, "top500.systems": 500, "ecb_fx.rates": 210545, "yc.companies": 79,
        "epoch_gpu_clusters.clusters": 12, "peeringdb.internet_exchanges": 53}


def test_submarine_cables_per_country(replay_build, captures):
    in_service, planned, points = cap.cables(captures)
    mart = replay_build.query("select country_iso2, submarine_cable_count, planned_submarine_cable_count, "
                              "cable_landing_point_count from mart_infrastructure__country")
    assert _nonzero((r[0], r[1]) for r in mart) == in_service
    assert _nonzero((r[0], r[2]) for r in mart) == planned
    assert _nonzero((r[0], r[3]) for r in mart) == points
    assert (in_service["BR"], points["BR"]) == (15, 17)


def test_internet_exchanges_per_country(replay_build, captures):
    mart = replay_build.query("select country_iso2, ixp_count from mart_infrastructure__country")
    expected = cap.ixps(captures)
    assert _nonzero(mart) == expected
    assert expected["BR"] == 30


def test_cloud_regions_per_provider_and_country(replay_build, captures):
    rows = replay_build.query(
        "select case when kind = 'local_zone' then provider || '_local_zone' else provider end, country_iso2, "
        "count(*) from fct_cloud_regions where is_latam and is_published_in_ip_ranges group by 1, 2")
    assert {(p, c): n for p, c, n in rows} == cap.cloud_regions(captures)


def test_gpu_clusters_and_h100_equivalents_per_country(replay_build, captures):
    counts, h100e = cap.gpu_clusters(captures)
    mart = replay_build.query("select country_iso2, gpu_cluster_count, h100_equivalents from mart_gpu_supply__country")
    assert _nonzero((r[0], r[1]) for r in mart) == counts
    got = _nonzero((r[0], r[2]) for r in mart)
    assert got.keys() == {k for k, v in h100e.items() if v}
    for iso2, value in got.items():
        assert value == pytest.approx(h100e[iso2], rel=1e-9), iso2
    # Issue 12: Petrobras Fênix Phase 1 is superseded by Phase 2 (9 -> 8 clusters, 1,252 -> 1,215 H100e)
    assert counts["BR"] == 8 and round(h100e["BR"]) == 1215


def test_top500_systems_per_country(replay_build, captures):
    edition, expected = cap.top500(captures)
    mart = replay_build.query("select country_iso2, top500_system_count, top500_list_edition "
                              "from mart_gpu_supply__country")
    assert {r[2] for r in mart} == {edition}
    assert _nonzero((r[0], r[1]) for r in mart) == expected


@pytest.mark.parametrize("currency", ["BRL", "MXN"])
def test_ecb_spot_rates(replay_build, captures, currency):
    expected = cap.ecb_usd_per_unit(captures, currency)
    rows = replay_build.query("select cast(rate_date as varchar), usd_per_unit from intermediate.int_fx_rates_daily "
                              "where currency = ? and fx_source = 'ecb'", [currency])
    got = dict(rows)
    assert got.keys() == expected.keys()
    assert all(round(got[d], 8) == round(expected[d], 8) for d in expected)


def test_yc_organisations(replay_build, captures):
    expected = cap.yc_latam_companies(captures)
    rows = replay_build.query("select unnest(source_record_keys) from dim_organizations")
    got = {int(key.removeprefix("yc:")) for (key,) in rows if key.startswith("yc:")}
    assert got == expected
    assert len(expected) == 79
