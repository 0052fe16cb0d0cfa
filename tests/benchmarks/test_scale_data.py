"""The scale benchmark's generator: copies are other entities that still join, bounded tables stay unique."""

from __future__ import annotations

import sys

import duckdb
import pytest

from ingestors.core.config import REPO_ROOT
from ingestors.domain.countries import by_iso2

sys.path.insert(0, str(REPO_ROOT / "warehouse" / "benchmarks"))
from scale_data import scale_raw  # noqa: E402

LIVE = {("raw_peeringdb", "organizations"): 400, ("raw_peeringdb", "facilities"): 300,
        ("raw_peeringdb", "internet_exchanges"): 40, ("raw_peeringdb", "ix_facilities"): 200,
        ("raw_news", "articles"): 200, ("raw_news", "funding_events"): 100}

SCHEMA = """
create schema raw_peeringdb; create schema raw_world_bank; create schema raw_news;
create table raw_peeringdb.organizations (id bigint primary key, name varchar, website varchar, country varchar,
    _record_id varchar);
create table raw_peeringdb.facilities (id bigint primary key, org_id bigint, org_name varchar, name varchar,
    website varchar, country varchar, _record_id varchar);
create table raw_peeringdb.ix_facilities (id bigint primary key, ix_id bigint, fac_id bigint, country varchar,
    _record_id varchar);
create table raw_peeringdb.internet_exchanges (id bigint primary key, org_id bigint, name varchar, country varchar,
    _record_id varchar);
create table raw_world_bank.observations (indicator_code varchar, indicator_name varchar, country_iso3 varchar,
    country_iso2 varchar, year bigint, value double, _record_id varchar,
    primary key (indicator_code, country_iso3, year));
create table raw_news.articles (article_url varchar primary key, published_at timestamptz, _record_id varchar);
create table raw_news.funding_events (event_id varchar primary key, article_url varchar, published_date date,
    company_name varchar, _record_id varchar);
insert into raw_peeringdb.organizations values (1, 'Nuvem', 'https://nuvem.example.com', 'BR', 'org/1'),
    (2, 'Pampa', null, 'AR', 'org/2');
insert into raw_peeringdb.facilities values (10, 1, 'Nuvem', 'Nuvem SP1', 'https://nuvem.example.com', 'BR', 'fac/10');
insert into raw_peeringdb.internet_exchanges values (20, 2, 'IX Sul', 'AR', 'ix/20');
insert into raw_peeringdb.ix_facilities values (30, 20, 10, 'BR', 'ixfac/30');
insert into raw_world_bank.observations values ('SP.POP.TOTL', 'Population', 'BRA', 'BR', 2022, 2.1e8, 'x'),
    ('SP.POP.TOTL', 'Population', 'MEX', 'MX', 2022, 1.3e8, 'y');
insert into raw_news.articles values ('https://n.example/a', '2025-01-15 10:00:00+00', 'a');
insert into raw_news.funding_events values
    ('https://n.example/a#0', 'https://n.example/a', '2025-01-15', 'NotCo', 'a#0');
"""


@pytest.fixture(scope="module")
def grown(tmp_path_factory):
    db = tmp_path_factory.mktemp("scale") / "raw.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute(SCHEMA)
    written = scale_raw(str(db), 1, LIVE)
    con = duckdb.connect(str(db))
    yield written, con
    con.close()


def test_entity_tables_reach_their_live_size_with_distinct_keys(grown):
    written, con = grown
    assert written["raw_peeringdb.organizations"] == LIVE[("raw_peeringdb", "organizations")]
    assert written["raw_news.articles"] == LIVE[("raw_news", "articles")]
    names = con.execute("select count(distinct name), count(*) from raw_peeringdb.organizations").fetchone()
    assert names[0] == names[1]  # each copy is another organisation
    hosts = con.execute("select count(distinct website) from raw_peeringdb.organizations "
                        "where website is not null").fetchone()[0]
    assert hosts == con.execute("select count(*) from raw_peeringdb.organizations where website is not null"
                                ).fetchone()[0]


def test_shared_ids_point_at_rows_that_exist_and_keep_their_country(grown):
    _, con = grown
    assert con.execute("""select count(*) from raw_peeringdb.ix_facilities x
                          left join raw_peeringdb.facilities f on f.id = x.fac_id
                          left join raw_peeringdb.internet_exchanges i on i.id = x.ix_id
                          where f.id is null or i.id is null or f.country <> x.country""").fetchone() == (0,)
    assert con.execute("""select count(*) from raw_peeringdb.facilities f
                          left join raw_peeringdb.organizations o on o.id = f.org_id
                          where o.id is null""").fetchone() == (0,)
    assert con.execute("""select count(*) from raw_news.funding_events e join raw_news.articles a using (article_url)
                          where e.published_date <> a.published_at::date""").fetchone() == (0,)


def test_countries_spread_over_latam_per_row(grown):
    _, con = grown
    countries = dict(con.execute("select country, count(*) from raw_peeringdb.facilities group by 1").fetchall())
    assert set(countries) <= set(by_iso2()) and len(countries) > 10
    assert max(countries, key=countries.get) in ("BR", "MX")


def test_bounded_tables_fill_countries_and_years_once(grown):
    written, con = grown
    assert written["raw_world_bank.observations"] == len(by_iso2()) * 25  # one indicator x countries x 2000-2024
    pairs = {(iso2, iso3) for iso2, iso3 in con.execute(
        "select distinct country_iso2, country_iso3 from raw_world_bank.observations").fetchall()}
    assert pairs == {(c.iso2, c.iso3) for c in by_iso2().values()}
    # Brazil's cells take Brazil's value; a country without a sample takes one of the indicator's values
    assert con.execute("select distinct value from raw_world_bank.observations where country_iso2 = 'BR'"
                       ).fetchall() == [(2.1e8,)]
