"""Issue 12's defects, checked on the warehouse built from the real captures."""

from __future__ import annotations

from tests.replay import captures as cap


def test_no_superseded_gpu_cluster_counts(replay_build, captures):
    """Defect 1: Epoch's "Superseded by" is read; across the whole file 31 existing rows carry it."""
    assert cap.superseded_existing_rows(captures) == 31
    rows = replay_build.query(
        "select cluster_name, is_existing, is_superseded, superseded_by from fct_gpu_clusters "
        "where cluster_name like 'Petrobras Fênix%' order by 1")
    assert rows == [("Petrobras Fênix Phase 1", False, True, "Petrobras Fênix Phase 2"),
                    ("Petrobras Fênix Phase 2", True, False, None)]


def test_a_planned_campus_counts_its_mw_once(replay_build):
    """Defect 1: Scala AI City's planned phase 2 builds upon phase 1 and includes its MW."""
    rows = replay_build.query(
        "select cluster_name, is_planned, superseded_by, power_mw from fct_gpu_clusters "
        "where cluster_name like 'Brazil Scala AI City%' order by 1")
    assert rows == [("Brazil Scala AI City Phase 1", False, "Brazil Scala AI City Phase 2", 54.0),
                    ("Brazil Scala AI City Phase 2", True, None, 4750.0)]
    (mw,) = replay_build.query(
        "select planned_gpu_cluster_power_mw from mart_gpu_supply__country where country_iso2 = 'BR'")[0]
    assert mw == 4750.0


def test_co_developers_keep_their_own_country(replay_build):
    """Defect 2: the 2013 image classifier's six organisations: one Argentine, five European.
    The Argentine one resolves to the registry's Universidad Nacional de Córdoba."""
    rows = dict(replay_build.query(
        "select organization_id, hq_country_iso2 from dim_organizations "
        "where list_contains(sources, 'epoch_notable_models')"))
    assert len(rows) == 6
    assert {k: v for k, v in rows.items() if v is not None} == {"universidad-nacional-de-cordoba": "AR"}


def test_a_small_image_classifier_does_not_make_a_foundation_model_builder(replay_build):
    """Defect 2: Epoch's Argentine builder made a vision model of ~1e14 FLOP, not a foundation model."""
    rows = replay_build.query(
        "select organization_id from mart_layer__foundation_models where organization_id like 'epoch:%'")
    assert rows == []
    (ar,) = replay_build.query(
        "select count(*) from mart_layer__foundation_models where hq_country_iso2 = 'AR'")
    assert ar == (0,)


def test_the_first_build_records_every_entity_as_new(replay_build):
    """Defect 3 (the first half): one version per entity, so only new events."""
    assert replay_build.query("select distinct change_type from mart_changes") == [("new",)]
