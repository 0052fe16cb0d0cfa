"""Our World in Data: share of the population within range of a 2G, 3G, 4G and 5G mobile network.

Endpoint: the grapher chart
``https://ourworldindata.org/grapher/population-covered-by-mobile-network-by-network-capability``
serves its data at ``<chart>.csv`` and its description at ``<chart>.metadata.json``
(the same layout as :mod:`ingestors.sources.owid_ai_investment`). The figures are
ITU's, as published for SDG indicator 9.c.1 ("proportion of population covered by
a mobile network, by technology") in the UN SDG Indicators Database; OWID carries
every country and year in one file. ITU's own DataHub API serves the same series
(``api.datahub.itu.int/v2/data/bycode/{id}``, e.g. 19306 for 4G) but has refused
anonymous clients (HTTP 403) since July 2026 and is published under a
non-commercial licence, so Cadena reads OWID's copy (CC BY 4.0).

Two requests a run, both conditional, for every country the chart covers.

Format traps:

* both files are asked for with ``useColumnShortNames=true``: the header is then
  ``entity,code,year`` (lower case) and one column per generation with the SDG
  series code in it, ``_9_c_1__it_mob_2gntwk`` ... ``_9_c_1__it_mob_5gntwk``
  (:data:`GENERATIONS`); the metadata's ``columns`` are keyed by the same short
  names. The columns are read by name, never by position (a copy of the file
  saved from the chart page years ago has ``Entity,Code,Year`` capitalised, the
  generations in the order 4G, 3G, 2G and no 5G column: it is read too). A
  missing 2G, 3G or 4G column fails the source (a renamed series);
* a generation's coverage is "at least" that generation: 3G coverage includes
  the people covered by 4G, so 4G <= 3G <= 2G normally holds, but national
  reports do not always respect it and the values are kept as published;
* an empty cell is no observation, never a zero; 5G starts around 2019 and is
  missing for most countries before that;
* ``code`` is ISO3 for countries, ``OWID_WRL`` for the World and empty for
  some regions: only LatAm countries, the United States and the World are kept;
* values are percentages (0-100) of the total population, coverage, not use.

A CSV without ``entity``/``code``/``year`` or one of the generation columns, or
a metadata file that is not a JSON object with ``columns``, fails the source
naming the file; a kept row whose year or value cannot be read is quarantined.
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from ingestors.core.errors import RecordError
from ingestors.core.registry import FetchPlan, Record, Reject, Row, Source, Table
from ingestors.domain import numbers
from ingestors.domain.countries import by_iso3
from ingestors.sources.owid_ai_investment import (
    chart_url,
    csv_file,
    grapher_records,
    metadata_file,
    parse_value,
    read_metadata,
)

NAME = "owid_mobile_coverage"
HOST = "ourworldindata.org"
SLUG = "population-covered-by-mobile-network-by-network-capability"
PARAMS = {"v": "1", "csvType": "full", "useColumnShortNames": "true"}
ENTITY, CODE, YEAR = "entity", "code", "year"
# The CSV column of each generation (SDG 9.c.1 series IT_MOB_2GNTWK ... IT_MOB_5GNTWK, short names).
GENERATIONS = {
    "2G": "_9_c_1__it_mob_2gntwk",
    "3G": "_9_c_1__it_mob_3gntwk",
    "4G": "_9_c_1__it_mob_4gntwk",
    "5G": "_9_c_1__it_mob_5gntwk",
}
OPTIONAL_GENERATION = "5G"  # absent from files saved before OWID added it
REFERENCE_ENTITIES = {"World"}
REFERENCE_ISO3 = {"USA"}
TABLE = "coverage"


class Coverage(Row):
    entity: str  # OWID's entity: a LatAm country, the United States or World
    entity_code: str | None  # ISO3, or OWID_WRL for the World
    country_iso2: str | None  # LatAm countries only
    year: int = Field(ge=1990, le=2100)
    generation: str = Field(pattern=r"^[2-5]G$")  # covered by at least this generation
    population_covered_pct: float = Field(ge=0, le=100)  # % of the total population within range of a signal
    series_column: str  # the CSV column the value comes from, e.g. _9_c_1__it_mob_4gntwk
    unit: str | None  # the metadata's unit for the column, as published
    citation: str | None  # the metadata's citationShort for the column


def fetch(ctx) -> None:
    ctx.get(metadata_file(SLUG), f"{chart_url(SLUG)}.metadata.json", params=PARAMS)
    ctx.get(csv_file(SLUG), f"{chart_url(SLUG)}.csv", params=PARAMS)


# --- parse ------------------------------------------------------------------------------------


def read_csv(snapshot) -> tuple[list[str], list[list[str]]]:
    """Header (its first three names lower-cased) and rows; the 5G column may be absent (older files)."""
    name = csv_file(SLUG)
    header, *rows = snapshot.read_csv(name) or [[]]
    if [h.lower() for h in header[:3]] != [ENTITY, CODE, YEAR]:
        raise snapshot.error(f"expected a header starting {ENTITY},{CODE},{YEAR}; got {','.join(header[:3])!r}",
                             file=name)
    missing = [c for g, c in GENERATIONS.items() if c not in header and g != OPTIONAL_GENERATION]
    if missing:
        raise snapshot.error(f"header lacks column(s) {', '.join(missing)}", file=name)
    return [h.lower() for h in header[:3]] + header[3:], rows


def keep(entity: str, code: str | None) -> bool:
    return entity in REFERENCE_ENTITIES or (code is not None and (code in by_iso3() or code in REFERENCE_ISO3))


def coverage(header: list[str], cells: list[str], columns: dict[str, dict],
             chart_citation: str | None) -> Iterator[dict]:
    """The kept observations of one row (none when its entity is out of scope); RecordError names the bad cell."""
    if len(cells) != len(header):
        raise RecordError(f"row has {len(cells)} cells, the header {len(header)}")
    row = dict(zip(header, cells, strict=True))
    entity, code = row[ENTITY].strip(), row[CODE].strip() or None
    if not keep(entity, code):
        return
    year = numbers.parse_int(YEAR, row[YEAR].strip())
    if year is None:
        raise RecordError(f"{YEAR} is empty")
    country = by_iso3().get(code) if code else None
    for generation, column in GENERATIONS.items():
        text = row.get(column, "").strip()
        if not text:
            continue  # no observation
        meta = columns.get(column, {})
        yield {
            "entity": entity, "entity_code": code, "country_iso2": country.iso2 if country else None,
            "year": year, "generation": generation, "population_covered_pct": parse_value(column, text),
            "series_column": column, "unit": (meta.get("unit") or None),
            "citation": meta.get("citationShort") or chart_citation,
        }


def parse(snapshot) -> Iterator[Record | Reject]:
    columns, chart_citation = read_metadata(snapshot, SLUG)
    header, rows = read_csv(snapshot)
    yield from grapher_records(TABLE, SLUG, header, rows,
                               lambda cells: coverage(header, cells, columns, chart_citation),
                               lambda data: f"{data['entity']}/{data['year']}/{data['generation']}")


SOURCE = Source(
    name=NAME,
    family="capacity",
    title="Our World in Data: mobile network coverage",
    endpoint="Our World in Data grapher CSV + metadata: population covered by 2G/3G/4G/5G (ITU, SDG 9.c.1)",
    description="Share of the population within range of at least a 2G, 3G, 4G and 5G mobile signal, per LatAm "
                "country and year (United States and World as reference): ITU's SDG 9.c.1 figures as OWID "
                "publishes them.",
    homepage=chart_url(SLUG),
    licence="CC BY 4.0 (Our World in Data; the figures are ITU's, SDG indicator 9.c.1)",
    cadence="monthly",
    tables=(
        Table(TABLE, Coverage, ("entity", "year", "generation"),
              "One value per entity, year and mobile generation: % of the population within range of a signal.",
              min_rows=10),
    ),
    fetch=fetch,
    parse=parse,
    plan=FetchPlan(
        max_requests=4,  # the metadata and the CSV
        rate_limits={HOST: 1.0},
    ),
)
