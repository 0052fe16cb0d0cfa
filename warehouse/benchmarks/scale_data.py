"""Synthetic raw tables at ``factor`` x their live sizes, for bench_scale.py.

The generator grows the raw tables of a built offline warehouse in place, keeping each table's real schema
(the table its source's loader created, primary key included). Nothing here is data: the warehouse it grows
is thrown away. Two kinds of table, because they grow differently in the world:

* **Entity tables** (organisations, facilities, exchanges, cables, YC companies, news articles and their
  funding events, filings, models, price offers) grow with the ecosystem: each gets ``factor`` x its live
  row count by copying the sample rows. Copy ``n`` of a row is another entity, not the same one again:
  its identifiers get the copy number (``id + n * 10,000,000``, ``'slug~n'``), its organisation names a
  made-up word ("NotCo Kavoli"), its website host the number ("nuvem-dc-7.example.com.br"), its country a
  draw per row (not per copy: a copy's rows spread over the region) from every LatAm country, weighted
  roughly by economic size, and news dates spread over ten years.
  Identifiers that tables of one source share (a facility's ``org_id``, a landing's ``cable_id``, a funding
  event's ``article_url``) get the copy number of the row they point to, so copies join like the originals;
  a table with more copies than the one it points to wraps round (copy ``n`` points to copy
  ``1 + (n - 1) % copies``), and the country of a row that points to a facility is that facility's.
* **Bounded tables** (World Bank indicators, OpenAlex works per country and year, ECB rates) are keyed by
  country or currency and year or day: their live size is at most countries x indicators x years and does
  not grow with the ecosystem, so they are filled to that extent once (every LatAm country x 2000-2024 for
  each indicator the samples carry; every weekday of ten years for each currency) and are the same size at
  every factor. Copying them would put two observations on one country, indicator and year (the failure of
  the first 10x runs: ``fct_country_indicators``' primary key and ``int_fx_rates_annual``'s unique key).
  A filled cell takes the value of a sample row of the same country (and indicator) when there is one,
  else of the same indicator in another country, so values stay in their real ranges.

Tables not listed here (the curated registry, the small per-country series) keep their sample size.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from ingestors.domain.countries import latam

# Rows a live refresh loads, per entity table (orders of magnitude, from the sources' docstrings and the real
# captures in ../shared/samples): PeeringDB facilities, exchanges and organisations in LatAm, TeleGeography's
# LatAm cables and landings, every YC company with a LatAm location, ten years of funding news.
LIVE_ROWS = {
    ("raw_peeringdb", "facilities"): 900, ("raw_peeringdb", "internet_exchanges"): 150,
    ("raw_peeringdb", "ix_facilities"): 600, ("raw_peeringdb", "organizations"): 2_500,
    ("raw_telegeography", "cables"): 120, ("raw_telegeography", "landing_points"): 300,
    ("raw_telegeography", "cable_landings"): 700, ("raw_yc", "companies"): 450,
    ("raw_news", "articles"): 30_000, ("raw_news", "funding_events"): 6_000,
    ("raw_wikidata", "organizations"): 4_000, ("raw_openalex", "institutions"): 800,
    ("raw_sec_form_d", "offerings"): 300, ("raw_azure_retail_prices", "prices"): 600,
    ("raw_aws_ec2_gpu", "offers"): 400, ("raw_epoch_notable_models", "models"): 60,
    ("raw_epoch_gpu_clusters", "clusters"): 40, ("raw_top500", "systems"): 500,
    ("raw_licensed_exports", "rounds"): 3_000,
}


@dataclass(frozen=True)
class Grid:
    """A bounded table: the cells ``by`` x country x time, filled once (see the module docstring)."""

    time: str  # the year or date column
    times: str  # SQL for the time values (a table expression with one column ``t``)
    by: tuple[str, ...] = ()  # other key columns kept as the samples have them (indicator, currency)
    iso2: str | None = None
    iso3: str | None = None


TEN_YEARS_OF_WEEKDAYS = ("(select d::date as t from (select unnest(generate_series("
                         "(select max(rate_date) from base) - interval 10 year, (select max(rate_date) from base), "
                         "interval 1 day)) as d) where dayofweek(d) between 1 and 5)")
GRIDS = {
    ("raw_world_bank", "observations"): Grid("year", "(select range as t from range(2000, 2025))",
                                             by=("indicator_code",), iso2="country_iso2", iso3="country_iso3"),
    ("raw_openalex", "works_by_country_year"): Grid("year", "(select range as t from range(2000, 2026))",
                                                    iso2="country_iso2"),
    ("raw_ecb_fx", "rates"): Grid("rate_date", TEN_YEARS_OF_WEEKDAYS, by=("currency",)),
}

# Identifier columns by id space: the table that owns a space (whose key it is) is listed first.
ID_SPACES = {
    "pdb_org": [("raw_peeringdb", "organizations", "id"), ("raw_peeringdb", "facilities", "org_id"),
                ("raw_peeringdb", "internet_exchanges", "org_id")],
    "pdb_fac": [("raw_peeringdb", "facilities", "id"), ("raw_peeringdb", "ix_facilities", "fac_id")],
    "pdb_ix": [("raw_peeringdb", "internet_exchanges", "id"), ("raw_peeringdb", "ix_facilities", "ix_id")],
    "tg_cable": [("raw_telegeography", "cables", "cable_id"), ("raw_telegeography", "cable_landings", "cable_id")],
    "tg_landing": [("raw_telegeography", "landing_points", "landing_point_id"),
                   ("raw_telegeography", "cable_landings", "landing_point_id")],
    "news_article": [("raw_news", "articles", "article_url"), ("raw_news", "funding_events", "article_url")],
}
# Other identifiers that must stay unique per entity (a YC company's slug, from its name).
OTHER_IDS = {("raw_yc", "companies"): ("slug",)}
# Organisation names: each copy is another organisation ("Acme" -> "Acme Kavoli").
NAME_COLUMNS = {
    ("raw_news", "funding_events"): ("company_name",), ("raw_licensed_exports", "rounds"): ("organization_name",),
    ("raw_sec_form_d", "offerings"): ("entity_name",), ("raw_yc", "companies"): ("name",),
    ("raw_peeringdb", "organizations"): ("name",), ("raw_peeringdb", "facilities"): ("name", "org_name"),
    ("raw_openalex", "institutions"): ("display_name",), ("raw_wikidata", "organizations"): ("label",),
    ("raw_telegeography", "cables"): ("name",), ("raw_epoch_gpu_clusters", "clusters"): ("owner",),
}
# Websites: another organisation has another host (entity resolution matches on the domain).
WEBSITE_COLUMNS = {
    ("raw_yc", "companies"): ("website",), ("raw_peeringdb", "organizations"): ("website",),
    ("raw_peeringdb", "facilities"): ("website",), ("raw_wikidata", "organizations"): ("website",),
    ("raw_licensed_exports", "rounds"): ("organization_website",),
}
# Country columns drawn per row: column -> kind ("iso2", "iso2_list" = a one-element list, "tg_name" = the
# country's TeleGeography name), and the id column whose (original value, copy number) seeds the draw.
COUNTRY_COLUMNS = {
    ("raw_peeringdb", "organizations"): ("id", {"country": "iso2"}),
    ("raw_peeringdb", "facilities"): ("id", {"country": "iso2"}),
    ("raw_peeringdb", "internet_exchanges"): ("id", {"country": "iso2"}),
    ("raw_peeringdb", "ix_facilities"): ("fac_id", {"country": "iso2"}),  # the facility's country
    ("raw_telegeography", "landing_points"): ("landing_point_id", {"country_iso2": "iso2",
                                                                   "country_name": "tg_name"}),
    ("raw_yc", "companies"): ("id", {"hq_country_iso2": "iso2", "country_iso2s": "iso2_list"}),
    ("raw_wikidata", "organizations"): ("qid", {"country_iso2": "iso2", "country_iso2_all": "iso2_list"}),
    ("raw_licensed_exports", "rounds"): ("row_number", {"country_iso2": "iso2"}),
}
# Dates spread over ten years, by the copy number of an id space (an event keeps its article's date).
DATE_SPREAD = {
    ("raw_news", "articles"): ("news_article", ("published_at",)),
    ("raw_news", "funding_events"): ("news_article", ("published_date",)),
    ("raw_licensed_exports", "rounds"): (None, ("announced_date",)),
}
# Share of organisations and facilities per country: roughly the region's economic weight; every other LatAm
# country of the seed gets 0.2.
COUNTRY_WEIGHTS = {"BR": 34, "MX": 25, "AR": 8, "CO": 6, "CL": 5, "PE": 4, "EC": 2, "DO": 2, "GT": 2, "CR": 1.5,
                   "PA": 1.5, "UY": 1.5, "BO": 1, "PY": 1, "SV": 0.6, "HN": 0.6, "NI": 0.3, "CU": 1, "VE": 2,
                   "JM": 0.3, "TT": 0.4, "PR": 2}
SYLLABLES = ("ka", "lo", "mi", "ra", "te", "vu", "so", "ne", "di", "pa", "xo", "be", "ru", "ti", "ga", "mo", "sa",
             "le", "qui", "na")
ID_LIKE = ("_id", "id", "_key", "url", "number", "qid", "slug")


def _country_lists() -> tuple[list[str], list[str]]:
    """The weighted draw: each country repeated by its weight x 5 (Brazil 170 times, the small islands once)."""
    iso2, names = [], []
    for c in latam():
        times = max(1, round(COUNTRY_WEIGHTS.get(c.iso2, 0.2) * 5))
        iso2 += [c.iso2] * times
        names += [c.telegeography_name] * times
    return iso2, names


def _sql_list(values: list[str]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def _word(n: str) -> str:
    """SQL for a made-up capitalised word, unique per copy number ``n`` below 160,000."""
    s = _sql_list(list(SYLLABLES))
    k = len(SYLLABLES)
    return (f"(upper(({s})[1 + {n} % {k}][1]) || ({s})[1 + {n} % {k}][2:] || ({s})[1 + ({n} // {k}) % {k}] || "
            f"({s})[1 + ({n} // {k ** 2}) % {k}] || case when {n} >= {k ** 3} then ({s})[1 + ({n} // {k ** 3}) % {k}] "
            "else '' end)")


def _copy_column(keys: list[str], types: dict[str, str]) -> str:
    """A table outside ID_SPACES: the key column the copy number goes into, an id-like text, else a number."""
    for test in (lambda c: types[c].startswith("VARCHAR") and c.endswith(ID_LIKE),
                 lambda c: types[c] in ("BIGINT", "INTEGER"), lambda c: types[c].startswith("VARCHAR")):
        found = [c for c in sorted(keys) if test(c)]
        if found:
            return found[0]
    raise ValueError(f"no column to tell copies apart among {keys}")


@dataclass
class Table:
    schema: str
    name: str
    columns: list[tuple[str, str]]
    keys: list[str]
    rows: int
    copies: int = 0
    ids: dict[str, str] = field(default_factory=dict)  # column -> id space

    @property
    def key(self) -> tuple[str, str]:
        return (self.schema, self.name)

    @property
    def types(self) -> dict[str, str]:
        return dict(self.columns)


def _describe(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> Table | None:
    exists = con.execute("select count(*) from duckdb_tables() where schema_name = ? and table_name = ?",
                         [schema, name]).fetchone()[0]
    if not exists:
        return None
    columns = con.execute("select column_name, data_type from duckdb_columns() where schema_name = ? and "
                          "table_name = ? order by column_index", [schema, name]).fetchall()
    keys = [k for k, in con.execute(
        "select unnest(constraint_column_names) from duckdb_constraints() where schema_name = ? and "
        "table_name = ? and constraint_type = 'PRIMARY KEY'", [schema, name]).fetchall()]
    rows = con.execute(f"select count(*) from {schema}.{name}").fetchone()[0]
    return Table(schema, name, columns, keys, rows)


def _copy_of(space_copies: int, n: str = "r.n") -> str:
    """The copy number, in a space with ``space_copies`` copies, that copy ``n`` of a row points to."""
    return f"(1 + ({n} - 1) % {space_copies})" if space_copies else "0"


def _with_copy(col: str, dtype: str, m: str) -> str:
    if dtype in ("BIGINT", "INTEGER"):
        return f"case when {m} = 0 then {col} else {col} + {m} * 10000000 end"
    return f"case when {m} = 0 then {col} else {col} || '~' || {m} end"


def _copy_sql(t: Table, space_copies: dict[str, int]) -> str:
    """One INSERT: the table's original rows x copy numbers 1..copies, each copy another entity."""
    iso2, tg_names = _country_lists()
    m_of = {col: _copy_of(space_copies[space]) for col, space in t.ids.items()}
    seed_col, country_kinds = COUNTRY_COLUMNS.get(t.key, (None, {}))
    if seed_col:
        index = f"(1 + hash(t.\"{seed_col}\", {m_of.get(seed_col, 'r.n')}) % {len(iso2)})::bigint"
    spread_space, spread_cols = DATE_SPREAD.get(t.key, (None, ()))
    shift = f"cast(({_copy_of(space_copies[spread_space]) if spread_space else 'r.n'} * 7919) % 3650 as integer)"
    select = []
    for name, dtype in t.columns:
        col = f't."{name}"'
        if name in t.ids:
            expr = _with_copy(col, dtype, m_of[name])
        elif name == "_record_id" or name in OTHER_IDS.get(t.key, ()):
            expr = f"{col} || '~' || r.n"
        elif name in NAME_COLUMNS.get(t.key, ()):
            expr = f"{col} || ' ' || {_word('r.n')}"
        elif name in WEBSITE_COLUMNS.get(t.key, ()):
            expr = f"regexp_replace({col}, '^(https?://)([^/.]+)', '\\1\\2-' || r.n)"
        elif name in country_kinds:
            kind = country_kinds[name]
            pick = (f"{_sql_list(iso2)}[{index}]" if kind == "iso2" else f"[{_sql_list(iso2)}[{index}]]"
                    if kind == "iso2_list" else f"{_sql_list(tg_names)}[{index}]")
            expr = f"case when {col} is not null then {pick} end"
        elif name in spread_cols:
            expr = f"{col} - {shift}" if dtype == "DATE" else f"{col} - to_days({shift})"
        else:
            expr = col
        select.append(expr)
    return (f"insert or ignore into {t.schema}.{t.name} select {', '.join(select)} "
            f"from (select * from {t.schema}.{t.name}) as t, range(1, {t.copies + 1}) as r(n)")


def _grid_sql(t: Table, grid: Grid) -> str:
    """One INSERT filling every (by, country, time) cell the samples leave empty (see the module docstring)."""
    by = ["1 as _k", *(f'"{c}"' for c in grid.by)]
    by_names = ["_k", *grid.by]
    countries = ", ".join(f"('{c.iso2}', '{c.iso3}')" for c in latam())
    own = "coalesce(pc.rows, p.rows)" if grid.iso2 else "p.rows"
    cell_country = "c.iso2" if grid.iso2 else "'-'"
    select = []
    for name, _ in t.columns:
        if name in grid.by:
            select.append(f'cells."{name}"')
        elif name == grid.iso2:
            select.append("cells.iso2")
        elif name == grid.iso3:
            select.append("cells.iso3")
        elif name == grid.time:
            select.append("cells.t")
        elif name == "_record_id":
            parts = [f'cells."{c}"' for c in grid.by] + (["cells.iso2"] if grid.iso2 else []) + ["cells.t"]
            select.append("concat_ws('/', " + ", ".join(f"cast({p} as varchar)" for p in parts) + ")")
        else:
            select.append(f'cells.r."{name}"')
    join_c = " and ".join(f'pc."{c}" = b."{c}"' for c in by_names)
    return f"""
        insert or ignore into {t.schema}.{t.name}
        with base as (select * from {t.schema}.{t.name}),
        keyed as (select {', '.join(by)}, {'"' + grid.iso2 + '" as iso2_,' if grid.iso2 else ''} base from base),
        pool as (select {', '.join(by_names)}, list(base) as rows from keyed group by all),
        pool_c as (select {', '.join(by_names)}{', iso2_ as "' + grid.iso2 + '"' if grid.iso2 else ''},
                          list(base) as rows from keyed group by all),
        countries(iso2, iso3) as (values {countries}),
        cells as (
            select b.*, {cell_country} as iso2, {'c.iso3' if grid.iso2 else "'-'"} as iso3, d.t,
                   {own}[(1 + hash({cell_country}, d.t) % len({own}))::bigint] as r
            from (select distinct {', '.join(by_names)} from pool) b
            join pool p using ({', '.join(by_names)})
            cross join {'countries c' if grid.iso2 else '(select 1)'}
            cross join {grid.times} d
            left join pool_c pc on {join_c if grid.iso2 else 'false'}
                {f'and pc."{grid.iso2}" = c.iso2' if grid.iso2 else ''}
        )
        select {', '.join(select)} from cells"""


def scale_raw(db: str, factor: int, live_rows: dict[tuple[str, str], int] | None = None) -> dict[str, int]:
    """Grow the raw tables of ``db`` to ``factor`` x their live sizes (bounded tables to their live extent).

    ``live_rows`` replaces LIVE_ROWS (tests grow small tables). Returns the rows of every grown table, by
    ``schema.table``."""
    live_rows = live_rows or LIVE_ROWS
    written: dict[str, int] = {}
    with duckdb.connect(db) as con:
        tables = {key: t for key in live_rows if (t := _describe(con, *key)) and t.rows}
        for key, t in tables.items():
            t.copies = max(0, -(-live_rows[key] * factor // t.rows) - 1)
        for space, columns in ID_SPACES.items():
            for schema, name, col in columns:
                if (schema, name) in tables:
                    tables[(schema, name)].ids[col] = space
        space_copies = {space: tables[cols[0][:2]].copies if cols[0][:2] in tables else 0
                        for space, cols in ID_SPACES.items()}
        for t in tables.values():
            if not set(t.keys) & set(t.ids):  # no shared id in the key: the copy number goes into one key column
                col = _copy_column([k for k in t.keys if k not in t.ids], t.types)
                space = f"{t.schema}.{t.name}.{col}"
                t.ids[col] = space
                space_copies[space] = t.copies
            if t.copies:
                con.execute(_copy_sql(t, space_copies))
            written[f"{t.schema}.{t.name}"] = con.execute(f"select count(*) from {t.schema}.{t.name}").fetchone()[0]
        for key, grid in GRIDS.items():
            t = _describe(con, *key)
            if t and t.rows:
                con.execute(_grid_sql(t, grid))
                written[f"{t.schema}.{t.name}"] = con.execute(
                    f"select count(*) from {t.schema}.{t.name}").fetchone()[0]
    return written
