"""Our World in Data: private investment in AI by country and year (two grapher charts).

Endpoints: every OWID chart ``https://ourworldindata.org/grapher/<slug>`` serves
its data at ``<slug>.csv`` and a description of it at ``<slug>.metadata.json``.
Two charts are read:

* ``private-investment-in-artificial-intelligence``: the AI Index series
  (Quid data), for a handful of entities: the World and a few of the
  largest economies;
* ``private-investment-in-artificial-intelligence-cset``: CSET's Country
  Activity Tracker (Crunchbase-based), for over a hundred countries, the
  LatAm ones among them.

No auth, CC BY 4.0. Four requests per run (CSV and metadata of each chart),
each conditional.

Format traps:

* the CSV is ``Entity,Code,Year`` then one column per indicator, named by its
  display name (``Estimated investment - Field: All``), never a fixed name:
  every column after ``Year`` is an indicator, kept under its name. Both files
  are requested with ``useColumnShortNames=false`` because the metadata's
  ``columns`` object is keyed by the same names as the CSV header only when
  both use the same naming;
* ``Code`` is an ISO3 code for countries, ``OWID_WRL``-style for OWID's
  aggregates, and empty for some regions; it becomes ``entity_code`` (null
  when empty). ``country_iso2`` is set only for LatAm countries;
* with several indicator columns a row may leave some empty: an empty cell is
  no observation, not a zero;
* units: OWID states that both series are adjusted for inflation with the US
  CPI, in constant 2021 US$, not nominal dollars. The AI Index series says so
  in its ``unit`` (``constant 2021 US$``); the CSET series' ``unit`` reads
  only ``US dollars`` and the adjustment is in its description and chart note.
  The unit is stored exactly as published (``unit``), with the column's
  ``citationShort`` (``citation``), so a change of base year shows up in the
  data rather than being assumed;
* all entities are kept, the World and regions included: they are the
  context LatAm's totals are read against.

A CSV without ``Entity``/``Code``/``Year``, a metadata file that is not a JSON
object with ``columns``, or a body that is HTML fails the source naming the
file. A row whose year or value cannot be read is quarantined on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import Any

from ingestors.core.errors import RecordError
from ingestors.core.registry import FetchPlan, Record, Reject, Row, Source, Table
from ingestors.domain import numbers
from ingestors.domain.countries import by_iso3

NAME = "owid_ai_investment"
HOST = "ourworldindata.org"
BASE = f"https://{HOST}/grapher"
SERIES = (
    "private-investment-in-artificial-intelligence",
    "private-investment-in-artificial-intelligence-cset",
)
# The layout both files are asked for: the full table, columns under their display names.
PARAMS = {"v": "1", "csvType": "full", "useColumnShortNames": "false"}
TABLE = "observations"
ENTITY, CODE, YEAR = "Entity", "Code", "Year"


class Observation(Row):
    series: str  # the grapher chart slug
    entity: str
    entity_code: str | None  # ISO3, OWID_WRL-style, or null
    country_iso2: str | None  # LatAm countries only
    year: int
    indicator: str  # the CSV column name
    value: float
    unit: str | None
    citation: str | None


def csv_file(slug: str) -> str:
    return f"{slug}.csv"


def metadata_file(slug: str) -> str:
    return f"{slug}.metadata.json"


def chart_url(slug: str) -> str:
    return f"{BASE}/{slug}"


def fetch(ctx) -> None:
    for slug in SERIES:
        ctx.get(metadata_file(slug), f"{chart_url(slug)}.metadata.json", params=PARAMS)
        ctx.get(csv_file(slug), f"{chart_url(slug)}.csv", params=PARAMS)


# --- parse ------------------------------------------------------------------------------------


def read_metadata(snapshot, slug: str) -> tuple[dict[str, dict], str | None]:
    """The metadata's per-column descriptions and the chart's citation."""
    name = metadata_file(slug)
    body = snapshot.read_json(name)
    columns = body.get("columns") if isinstance(body, dict) else None
    if not isinstance(columns, dict):
        raise snapshot.error("expected a JSON object with a 'columns' object", file=name)
    chart = body.get("chart") if isinstance(body.get("chart"), dict) else {}
    return {k: v for k, v in columns.items() if isinstance(v, dict)}, _text(chart.get("citation"))


def read_csv(snapshot, slug: str) -> tuple[list[str], list[list[str]]]:
    """The header and the data rows of a grapher CSV; a payload that is not one fails the source."""
    name = csv_file(slug)
    header, *rows = snapshot.read_csv(name) or [[]]
    if header[:3] != [ENTITY, CODE, YEAR]:
        raise snapshot.error(f"expected a header starting {ENTITY},{CODE},{YEAR}; got {','.join(header[:3])!r}",
                             file=name)
    if len(header) < 4:
        raise snapshot.error("no indicator column after Entity,Code,Year", file=name)
    return header, rows


def _text(value: Any) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else None


def parse_year(text: str) -> int:
    year = numbers.parse_int(YEAR, text)
    if year is None:
        raise RecordError(f"{YEAR} is empty")
    return year


def parse_value(indicator: str, text: str) -> float:
    value = numbers.parse_number(indicator, text)
    if value is None:
        raise RecordError(f"{indicator} is empty")
    return value


def observations(slug: str, header: list[str], cells: list[str], columns: dict[str, dict],
                 chart_citation: str | None) -> Iterator[dict]:
    """The observations of one CSV row, one per non-empty indicator cell; RecordError names the bad cell."""
    if len(cells) != len(header):
        raise RecordError(f"row has {len(cells)} cells, the header {len(header)}")
    entity, code = cells[0].strip(), cells[1].strip() or None
    if not entity:
        raise RecordError(f"{ENTITY} is empty")
    year = parse_year(cells[2])
    country = by_iso3().get(code) if code else None
    for indicator, text in zip(header[3:], cells[3:], strict=True):
        if not text.strip():
            continue  # no observation for this indicator in this row
        meta = columns.get(indicator, {})
        yield {
            "series": slug, "entity": entity, "entity_code": code,
            "country_iso2": country.iso2 if country else None, "year": year, "indicator": indicator,
            "value": parse_value(indicator, text.strip()), "unit": _text(meta.get("unit")),
            "citation": _text(meta.get("citationShort")) or chart_citation,
        }


def grapher_records(table: str, slug: str, header: list[str], rows: list[list[str]],
                    line_rows: Callable[[list[str]], Iterable[dict]],
                    record_id: Callable[[dict], str]) -> Iterator[Record | Reject]:
    """The records of a grapher CSV's data lines (``line_rows`` turns one line's cells into rows): blank lines
    are skipped, and a line whose cells fail (``RecordError``) is a Reject naming the file and line."""
    for line, cells in enumerate(rows, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        try:
            found = list(line_rows(cells))
        except RecordError as exc:
            yield Reject(table, f"{csv_file(slug)} line {line}", str(exc), dict(zip(header, cells, strict=False)))
            continue
        for data in found:
            yield Record(table, data, record_url=chart_url(slug), record_id=record_id(data))


def parse(snapshot) -> Iterator[Record | Reject]:
    for slug in SERIES:
        columns, chart_citation = read_metadata(snapshot, slug)
        header, rows = read_csv(snapshot, slug)
        yield from grapher_records(TABLE, slug, header, rows,
                                   partial(observations, slug, header, columns=columns, chart_citation=chart_citation),
                                   lambda data: f"{data['series']}/{data['entity']}/{data['year']}/{data['indicator']}")


SOURCE = Source(
    name=NAME,
    family="funding",
    title="Our World in Data: private investment in AI",
    endpoint=('Our World in Data grapher CSVs + metadata: private investment in AI (AI Index / Quid) and the '
              'CSET variant'),
    description="Private investment in AI per country (LatAm flagged), region and the World, per year: the "
                "AI Index (Quid) and CSET series as OWID publishes them, with their unit and citation.",
    homepage=chart_url(SERIES[1]),
    licence="CC BY 4.0 (Our World in Data; cite the underlying sources)",
    cadence="monthly",
    tables=(
        Table(TABLE, Observation, ("series", "entity", "year", "indicator"),
              "One value per chart, entity, year and indicator column, in the column's published unit.",
              min_rows=10, partition_by="series"),
    ),
    fetch=fetch,
    parse=parse,
    plan=FetchPlan(
        rate_limits={HOST: 1.0},
    ),
)
