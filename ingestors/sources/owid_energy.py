"""Our World in Data's energy dataset: electricity mix, demand and carbon intensity per country and year.

Endpoints (both named in the README of github.com/owid/energy-data):

* ``https://nyc3.digitaloceanspaces.com/owid-public/data/energy/owid-energy-data.csv``:
  the whole dataset, one row per location and year, one column per indicator
  (about 130), roughly 9 MB;
* ``https://raw.githubusercontent.com/owid/energy-data/master/owid-energy-codebook.csv``:
  one row per column (``column,description,unit,source``).

No auth, CC BY 4.0 (cite OWID and the underlying sources the codebook names:
for electricity, Ember's Yearly Electricity Data and the Energy Institute's
Statistical Review). Two requests per run, both conditional.

Format traps:

* the data CSV is wide and its columns are read **by name**, never by
  position: OWID adds columns between releases and sorts them
  alphabetically after ``country,year,iso_code,population,gdp``;
* ``iso_code`` is ISO3 for countries and **empty** for OWID's aggregates
  (``World``, ``South America``, ``Latin America and Caribbean (Ember)``, ...),
  which are told apart only by ``country``. Only LatAm countries, the United
  States and the World are kept (the last two as the reference a LatAm
  figure is read against);
* the file starts in 1900 for some series; only years from 2000 are kept;
* an empty cell is no observation, never a zero. Shares are percentages
  (0-100), generation and demand terawatt-hours, carbon intensity grams of
  CO2-equivalent per kWh: the unit of each column is taken from the codebook
  as published, not assumed;
* the electricity columns mix two publishers: Ember where it covers a
  country-year, the Energy Institute otherwise (the codebook's ``source``
  lists both); OWID does not say which one a given cell came from.

A file whose header lacks ``country``/``year``/``iso_code`` or one of the
:data:`INDICATORS`, a codebook without ``column``/``unit``, or an HTML body
fails the source naming the file. A kept row whose year or value cannot be
read is quarantined on its own.
"""

from __future__ import annotations

from collections.abc import Iterator

from ingestors.core.errors import RecordError
from ingestors.core.registry import FetchPlan, Record, Reject, Row, Source, Table
from ingestors.domain import numbers
from ingestors.domain.countries import by_iso3

NAME = "owid_energy"
DATA_HOST = "nyc3.digitaloceanspaces.com"
DATA_URL = f"https://{DATA_HOST}/owid-public/data/energy/owid-energy-data.csv"
CODEBOOK_HOST = "raw.githubusercontent.com"
CODEBOOK_URL = f"https://{CODEBOOK_HOST}/owid/energy-data/master/owid-energy-codebook.csv"
HOMEPAGE = "https://github.com/owid/energy-data"
DATA_FILE = "owid-energy-data.csv"
CODEBOOK_FILE = "owid-energy-codebook.csv"
FIRST_YEAR = 2000
REFERENCE_ENTITIES = {"World"}  # aggregates kept by name (their iso_code is empty)
REFERENCE_ISO3 = {"USA"}  # non-LatAm countries kept as a reference
KEY_COLUMNS = ("country", "year", "iso_code")

_SOURCES_OF_ELECTRICITY = ("coal", "gas", "oil", "nuclear", "hydro", "solar", "wind", "biofuel")
# The columns kept: the electricity system (size, mix, carbon) and primary energy for context.
INDICATORS: tuple[str, ...] = (
    "electricity_generation", "electricity_demand", "electricity_demand_per_capita", "per_capita_electricity",
    "carbon_intensity_elec", "greenhouse_gas_emissions", "net_elec_imports", "net_elec_imports_share_demand",
    *(f"{s}_electricity" for s in _SOURCES_OF_ELECTRICITY), "other_renewable_electricity",
    "renewables_electricity", "low_carbon_electricity", "fossil_electricity",
    *(f"{s}_share_elec" for s in _SOURCES_OF_ELECTRICITY), "other_renewables_share_elec",
    "renewables_share_elec", "low_carbon_share_elec", "fossil_share_elec",
    "primary_energy_consumption", "energy_per_capita",
)


class Observation(Row):
    entity: str  # OWID's country column: a LatAm country, the United States or World
    entity_code: str | None  # OWID's iso_code (ISO3); null for World, whose iso_code is empty
    country_iso2: str | None  # ISO2 of a LatAm country; null for the reference entities
    year: int  # calendar year, 2000 or later
    indicator: str  # the owid-energy-data.csv column, e.g. carbon_intensity_elec (unit in the indicators table)
    value: float  # the cell's value in the column's unit; an empty cell is no row


class Indicator(Row):
    indicator: str  # a kept column of owid-energy-data.csv
    description: str | None  # the codebook's description of the column, as published
    unit: str | None  # the codebook's unit, as OWID spells it (terawatt-hours, %, ...)
    sources: str | None  # the codebook's source cell: publishers separated by "; "


# --- fetch ------------------------------------------------------------------------------------


def fetch(ctx) -> None:
    ctx.get(CODEBOOK_FILE, CODEBOOK_URL)
    ctx.get(DATA_FILE, DATA_URL)


# --- parse ------------------------------------------------------------------------------------


def read_table(snapshot, name: str, required: tuple[str, ...]) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a CSV in the snapshot; a body that is not the expected CSV fails the source."""
    header, *rows = snapshot.read_csv(name) or [[]]
    missing = [c for c in required if c not in header]
    if missing:
        raise snapshot.error(f"header lacks column(s) {', '.join(missing)}", file=name)
    return header, rows


def _text(value: str | None) -> str | None:
    return (value.strip() or None) if value is not None else None


def read_codebook(snapshot) -> Iterator[dict]:
    header, rows = read_table(snapshot, CODEBOOK_FILE, ("column", "description", "unit", "source"))
    wanted = set(INDICATORS)
    for cells in rows:
        row = dict(zip(header, cells, strict=False))
        if row.get("column", "").strip() in wanted:
            yield {"indicator": row["column"].strip(), "description": _text(row.get("description")),
                   "unit": _text(row.get("unit")), "sources": _text(row.get("source"))}


def keep(entity: str, code: str | None) -> bool:
    """LatAm countries, plus the reference entities (the World, the United States)."""
    return entity in REFERENCE_ENTITIES or (code is not None and (code in by_iso3() or code in REFERENCE_ISO3))


def parse_year(text: str) -> int:
    year = numbers.parse_int("year", text)
    if year is None:
        raise RecordError("year is empty")
    return year


def observations(row: dict[str, str]) -> Iterator[dict] | None:
    """The kept observations of one CSV row, or None when the row is out of scope."""
    entity, code = row["country"].strip(), _text(row["iso_code"])
    if not keep(entity, code):
        return None
    year = parse_year(row["year"])
    if year < FIRST_YEAR:
        return None
    country = by_iso3().get(code) if code else None
    found = []
    for indicator in INDICATORS:
        text = (row.get(indicator) or "").strip()
        if text:  # an empty cell is no observation
            found.append({"entity": entity, "entity_code": code, "country_iso2": country.iso2 if country else None,
                          "year": year, "indicator": indicator, "value": numbers.parse_number(indicator, text)})
    return iter(found)


def parse(snapshot) -> Iterator[Record | Reject]:
    for data in read_codebook(snapshot):
        yield Record("indicators", data, record_id=data["indicator"], record_url=CODEBOOK_URL)
    header, rows = read_table(snapshot, DATA_FILE, (*KEY_COLUMNS, *INDICATORS))
    for line, cells in enumerate(rows, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        row = dict(zip(header, cells, strict=False))
        try:
            if len(cells) != len(header):
                raise RecordError(f"row has {len(cells)} cells, the header {len(header)}")
            found = observations(row)
        except RecordError as exc:
            yield Reject("observations", f"{DATA_FILE} line {line}", str(exc),
                         {k: v for k, v in row.items() if k in KEY_COLUMNS})
            continue
        for data in found or ():
            yield Record("observations", data, record_url=HOMEPAGE,
                         record_id=f"{data['entity']}/{data['year']}/{data['indicator']}")


SOURCE = Source(
    name=NAME,
    family="capacity",
    title="Our World in Data: energy",
    endpoint=("`owid-energy-data.csv` (OWID's public bucket) + its codebook (github.com/owid/energy-data): "
              "electricity mix, demand, carbon intensity, LatAm + US + World, since 2000"),
    description="Electricity generation mix, demand, net imports and carbon intensity, and primary energy, per "
                "LatAm country and year since 2000 (with the United States and the World as reference), from "
                "OWID's energy dataset (Ember and the Energy Institute underneath).",
    homepage=HOMEPAGE,
    licence="CC BY 4.0 (Our World in Data; cite Ember and the Energy Institute)",
    cadence="monthly",
    tables=(
        Table("observations", Observation, ("entity", "year", "indicator"),
              "One value per entity, year and kept indicator column, in the codebook's unit.", min_rows=100),
        Table("indicators", Indicator, ("indicator",),
              "The codebook's description, unit and sources of each kept indicator column.", min_rows=len(INDICATORS)),
    ),
    fetch=fetch,
    parse=parse,
    plan=FetchPlan(
        rate_limits={DATA_HOST: 1.0, CODEBOOK_HOST: 1.0},
        max_requests=2,  # the codebook and the data file
    ),
)
