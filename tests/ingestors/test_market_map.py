"""The market map: its counting rule, and the CSV, Parquet and self-contained HTML every publication exports.

The marts are hand-made and tiny (only the columns the market map reads); the organisations are placeholders."""

from __future__ import annotations

import csv
import json
import re

import duckdb
import pytest

from ingestors.core import market_map
from ingestors.core import publish as pub

ORGS = [  # id, name, type, hq, source_urls
    ("cloudco", "Example Cloud <Inc>", "corporate", "US", ["https://cloud.example/regions"]),
    ("dc-cl", "Ejemplo Centro de Datos", "corporate", "CL", []),
    ("lab-br", "Laboratório Exemplo", "startup", "BR", ["javascript:alert(1)"]),
    ("fund-only", "Licensed Only Co", "startup", "MX", []),
]
PRESENCE = [  # org, country, latam, layer, sub, kind, statuses, sources, snapshots, urls
    ("cloudco", "BR", True, "hardware_infrastructure", "cloud", "cloud_region", ["operating"], ["aws_ip_ranges"],
     ["snap-aws"], ["https://ip-ranges.example/ip-ranges.json"]),
    ("cloudco", "US", False, "hardware_infrastructure", "cloud", "headquarters", ["operating"], ["curated_registry"],
     [], None),
    ("dc-cl", "CL", True, "hardware_infrastructure", "data_centers", "facility", ["planned"], ["peeringdb"],
     ["snap-pdb"], ["https://www.peeringdb.com/fac/1"]),
    ("dc-cl", "CL", True, "hardware_infrastructure", "data_centers", "headquarters", ["operating"],
     ["curated_registry"], [], None),
    ("lab-br", "BR", True, "research", None, "headquarters", ["operating"], ["wikidata"], [], None),
    ("lab-br", "AR", True, "research", None, "office", ["operating"], ["curated_registry"], [], None),
    ("fund-only", "MX", True, "applications", None, "headquarters", ["operating"], ["licensed_exports"], [], None),
]


def marts(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("""create table dim_layer as select * from (values
        ('hardware_infrastructure', 'Hardware & physical infrastructure', 1, 'cloud', 'Cloud regions'),
        ('hardware_infrastructure', 'Hardware & physical infrastructure', 1, 'data_centers', 'Data centers'),
        ('research', 'Core research & algorithms', 3, null, null),
        ('applications', 'AI applications', 6, null, null))
        t(layer_code, layer_name, stream_order, sub_layer_code, sub_layer_name)""")
    con.execute("""create table dim_country as select * from (values ('BR', 'Brazil'), ('CL', 'Chile'),
        ('AR', 'Argentina'), ('MX', 'Mexico'), ('US', 'United States')) t(country_iso2, name_en)""")
    con.execute("""create table dim_organizations (organization_id varchar, organization_name varchar,
        org_type varchar, hq_country_iso2 varchar, is_in_ai_value_chain boolean, classification_status varchar,
        source_urls varchar[], website varchar)""")
    for oid, name, kind, hq, urls in ORGS:
        con.execute("insert into dim_organizations values (?, ?, ?, ?, true, 'curated', ?, null)",
                    [oid, name, kind, hq, urls])
    con.execute("""create table bridge_organization_layers as select * from (values
        ('cloudco', 'hardware_infrastructure', 'cloud', 'https://cloud.example/about', 'About', 'curator'),
        ('dc-cl', 'hardware_infrastructure', 'data_centers', null, null, 'rule'),
        ('lab-br', 'research', null, null, null, 'rule'),
        ('fund-only', 'applications', null, null, null, 'rule'))
        t(organization_id, layer_code, sub_layer_code, evidence_url, evidence_publication, assigned_by)""")
    con.execute("alter table bridge_organization_layers add column evidence_date date")
    con.execute("""create table bridge_organization_presence (presence_id varchar, organization_id varchar,
        country_iso2 varchar, is_latam boolean, layer_code varchar, sub_layer_code varchar, presence_kind varchar,
        site_count bigint, operating_site_count bigint, sites varchar[], site_statuses varchar[],
        source_names varchar[], snapshot_ids varchar[], evidence_urls varchar[], latest_as_of date)""")
    for org, country, latam, layer, sub, kind, statuses, sources, snaps, urls in PRESENCE:
        con.execute("insert into bridge_organization_presence values (?, ?, ?, ?, ?, ?, ?, 1, 1, ?, ?, ?, ?, ?, null)",
                    [f"{org}|{country}|{layer}|{kind}", org, country, latam, layer, sub, kind, [f"{org} site"],
                     statuses, sources, snaps, urls])
    con.execute("create table mart_source_loads as select true as is_sample")


@pytest.fixture
def con():
    with duckdb.connect() as c:
        marts(c)
        yield c


def test_the_counting_rule_is_presence_for_hardware_and_headquarters_elsewhere(con):
    entries = {(e["organization_id"], e["country_iso2"], e["presence_kind"]): e for e in market_map.rows(con)}
    assert ("cloudco", "US", "headquarters") not in entries  # outside LatAm
    assert entries[("cloudco", "BR", "cloud_region")]["is_counted"]  # where its capacity sits
    # a planned site is no capacity yet: the operator counts at its headquarters
    assert not entries[("dc-cl", "CL", "facility")]["is_counted"]
    assert entries[("dc-cl", "CL", "headquarters")]["is_counted"]
    assert entries[("lab-br", "BR", "headquarters")]["is_counted"]
    assert not entries[("lab-br", "AR", "office")]["is_counted"]  # other layers count at headquarters only
    e = entries[("cloudco", "BR", "cloud_region")]
    assert (e["grid_row"], e["country_name"], e["snapshot_ids"]) == ("Cloud regions", "Brazil", ["snap-aws"])
    assert e["evidence_url"] == "https://ip-ranges.example/ip-ranges.json"
    # no presence URL: the membership's, then the organisation's first source URL
    assert entries[("lab-br", "BR", "headquarters")]["evidence_url"] == "javascript:alert(1)"


def test_the_export_writes_csv_parquet_and_a_page_that_opens_offline(con, tmp_path):
    info = market_map.export(con, tmp_path, publication_id="20261207T000000Z", licences={
        "aws_ip_ranges": "AWS terms", "peeringdb": "PeeringDB AUP", "licensed_exports": "licensed to the user"},
        restricted_sources=frozenset({"licensed_exports"}))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(market_map.FILES)
    assert info["rows"] == 5 and info["rows_left_out"] == 1  # the row only a licensed export states stays out
    with (tmp_path / "market_map.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 5 and "Licensed Only Co" not in {r["organization_name"] for r in rows}
    cloud = next(r for r in rows if r["presence_kind"] == "cloud_region")
    assert cloud["licence"] == "AWS terms" and cloud["source_names"] == "aws_ip_ranges"
    parquet = con.execute(f"select sites, licence from '{tmp_path / 'market_map.parquet'}' "
                          "where presence_kind = 'cloud_region'").fetchone()
    assert parquet == (["cloudco site"], "AWS terms")
    page = (tmp_path / "market_map.html").read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and "<style>" in page
    assert not re.search(r"<script|<link|<img|@import|src=", page, re.IGNORECASE)
    assert "Example Cloud &lt;Inc&gt;" in page and "<Inc>" not in page
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert hrefs and all(h.startswith("https://") for h in hrefs)  # javascript: never becomes a link
    assert "Sample data" in page
    # the grid shows counted entries; the planned facility is listed below it, not in the grid
    grid = page.split('<table class="grid">')[1].split("</table>")[0]
    assert "Ejemplo Centro de Datos" in grid and grid.count("Ejemplo Centro de Datos") == 1


def test_a_publication_without_the_presence_marts_exports_no_map(tmp_path):
    with duckdb.connect() as c:
        c.execute("create table dim_country as select 'BR' as country_iso2")
        assert market_map.export(c, tmp_path)["files"] == []
    assert not list(tmp_path.iterdir())


def test_every_publication_exports_the_map_and_lists_it_in_the_manifest(tmp_path):
    work = tmp_path / "work.duckdb"
    with duckdb.connect(str(work)) as c:
        marts(c)
        c.execute("create table mart_infrastructure__country as select 'BR' as country_iso2")
    info = pub.publish(work, tmp_path / "wh" / "cadena.duckdb")
    exports = tmp_path / "wh" / "exports"
    assert all((exports / name).is_file() for name in market_map.FILES)
    manifest = json.loads((info.folder / "manifest.json").read_text())
    assert manifest["market_map"]["files"] == list(market_map.FILES)
    assert manifest["market_map"]["rows"] == 6  # no licence policy given: nothing is left out
    assert info.publication_id in (exports / "market_map.html").read_text(encoding="utf-8")
