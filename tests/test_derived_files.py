"""Files derived from the Source declarations are never stale (run `make generate` after changing one)."""

from __future__ import annotations


def test_dbt_sources_yaml_and_readme_table_are_current():
    from orchestration import derived

    stale = derived.stale(derived.source_files())
    assert not stale, f"stale generated files {[str(p) for p in stale]}: run `make generate`"


def test_every_source_has_a_generated_sources_yaml_and_a_readme_row():
    from ingestors.sources import ALL
    from orchestration import derived

    table = derived.readme_table()
    for source in ALL:
        path = derived.STAGING_DIR / source.name / f"_{source.name}__sources.yml"
        assert path.read_text().startswith("# Generated from the Source declaration"), path
        assert f"| `{source.name}` |" in table


def test_generated_freshness_follows_the_cadence():
    import yaml

    from ingestors.sources import BY_NAME
    from orchestration import derived

    spec = yaml.safe_load(derived.source_yaml(BY_NAME["ecb_fx"]))["sources"][0]
    assert spec["config"]["freshness"]["warn_after"] == {"count": 1, "period": "day"}  # daily
    spec = yaml.safe_load(derived.source_yaml(BY_NAME["world_bank"]))["sources"][0]
    assert spec["config"]["freshness"]["warn_after"] == {"count": 31, "period": "day"}  # monthly


def test_column_descriptions_come_from_the_row_models():
    from ingestors.sources import BY_NAME

    described = BY_NAME["owid_ai_investment"].tables[0].column_descriptions()
    assert described["series"] == "the grapher chart slug"
