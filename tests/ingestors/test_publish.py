"""Publications: atomic swap, exports with a manifest, retention and rollback."""

from __future__ import annotations

import json

import duckdb
import pytest

from ingestors.core import publish as pub


def working_db(path, value):
    with duckdb.connect(str(path)) as con:
        con.execute("create or replace table mart_infrastructure__country as select 'BR' as country_iso2, ? as n",
                    [value])
        con.execute("create or replace table fct_things as select range as id, [range] as ids from range(3)")
        con.execute("create schema if not exists meta")
        con.execute("""create or replace table meta.load_log as select 'demo' as source, 't' as table_name,
            'snap-1' as snapshot_id, timestamptz '2026-11-01 00:00:00+00' as retrieved_at,
            timestamptz '2026-11-01 00:01:00+00' as loaded_at, 3 as row_count, 0 as quarantined, true as sample""")
    return path


def published_value(db):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("select n from mart_infrastructure__country").fetchone()[0]


def test_publish_writes_exports_and_a_manifest(tmp_path):
    work = working_db(tmp_path / "work.duckdb", 1)
    published = tmp_path / "wh" / "cadena.duckdb"
    info = pub.publish(work, published)
    assert published_value(published) == 1
    exports = published.parent / "exports"
    assert sorted(p.name for p in exports.iterdir()) == [
        "fct_things.csv", "fct_things.parquet", "mart_infrastructure__country.csv",
        "mart_infrastructure__country.parquet"]
    with duckdb.connect() as con:
        assert con.execute(f"select count(*) from '{exports / 'fct_things.parquet'}'").fetchone()[0] == 3
    manifest = json.loads((info.folder / "manifest.json").read_text())
    assert manifest["tables"] == {"fct_things": 3, "mart_infrastructure__country": 1}
    assert manifest["source_snapshots"] == [{"source": "demo", "table": "t", "snapshot_id": "snap-1",
                                            "retrieved_at": "2026-11-01T00:00:00+00:00", "sample": True}]
    assert manifest["dbt_version"].startswith("1.11") and manifest["duckdb_version"]
    assert info.exports == 2


def test_rollback_restores_the_previous_publication_and_retention_keeps_the_last_n(tmp_path):
    work = tmp_path / "work.duckdb"
    published = tmp_path / "wh" / "cadena.duckdb"
    for value in (1, 2, 3):
        working_db(work, value)
        pub.publish(work, published, keep=2)
    assert len(pub.list_publications(published)) == 2
    assert published_value(published) == 3
    pub.rollback(published)
    assert published_value(published) == 2
    with pytest.raises(pub.PublishError, match="no earlier publication"):
        pub.rollback(published)


def test_a_build_without_the_marts_is_not_published(tmp_path):
    work = working_db(tmp_path / "work.duckdb", 1)
    published = tmp_path / "wh" / "cadena.duckdb"
    pub.publish(work, published)
    with duckdb.connect(str(work)) as con:
        con.execute("drop table mart_infrastructure__country")
    with pytest.raises(pub.PublishError, match="keeping the last publication"):
        pub.publish(work, published)
    assert published_value(published) == 1
    assert len(pub.list_publications(published)) == 1


def test_exports_carry_a_licence_and_leave_licensed_rows_out(tmp_path):
    """Every export has a licence column (the row's source where the mart names it, else the mart's sources);
    rows only from a licensed source stay out of the exports unless allowed; the manifest says so."""
    work = working_db(tmp_path / "work.duckdb", 1)
    with duckdb.connect(str(work)) as con:
        con.execute("""create table fct_rounds as select * from (values
            (1, 'news'), (2, 'licensed_exports'), (3, 'licensed_exports')) t(id, source_name)""")
        con.execute("""create table dim_orgs as select * from (values
            ('a', ['news', 'licensed_exports']), ('b', ['licensed_exports']), ('c', cast([] as varchar[])))
            t(id, sources)""")
    policy = pub.ExportPolicy(
        licences={"news": "the publishers' terms", "licensed_exports": "not for redistribution", "demo": "CC0"},
        mart_sources={"fct_things": ["demo"], "dim_orgs": ["news", "licensed_exports"]},
        restricted_sources=frozenset({"licensed_exports"}),
    )
    published = tmp_path / "wh" / "cadena.duckdb"
    info = pub.publish(work, published, policy=policy)
    exports = published.parent / "exports"
    with duckdb.connect() as con:
        rows = con.execute(f"select id, licence from '{exports / 'fct_rounds.parquet'}'").fetchall()
        assert rows == [(1, "the publishers' terms")]
        orgs = con.execute(f"select id, licence from '{exports / 'dim_orgs.csv'}' order by id").fetchall()
        assert [o[0] for o in orgs] == ["a", "c"]
        assert orgs[0][1] == "not for redistribution; the publishers' terms"
        assert con.execute(f"select distinct licence from '{exports / 'fct_things.csv'}'").fetchall() == [("CC0",)]
    with duckdb.connect(str(published), read_only=True) as con:  # the user's own database keeps them
        assert con.execute("select count(*) from fct_rounds").fetchone()[0] == 3
    manifest = json.loads((info.folder / "manifest.json").read_text())
    assert manifest["licences"] == {"demo": "CC0"}
    assert manifest["rows_left_out_of_exports"]["rows"] == {"fct_rounds": 2, "dim_orgs": 1}
    assert manifest["mart_licences"]["fct_things"] == ["CC0"]
    pub.publish(work, published, policy=pub.ExportPolicy(**{**policy.__dict__, "include_restricted": True}))
    with duckdb.connect() as con:
        assert con.execute(f"select count(*) from '{exports / 'fct_rounds.csv'}'").fetchone()[0] == 3
