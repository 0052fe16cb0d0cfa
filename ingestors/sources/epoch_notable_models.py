"""Epoch AI's notable AI models, kept for models built by organisations in Latin America.

Endpoint: ``https://epoch.ai/data/notable_ai_models.csv``, one CSV, no auth, CC BY 4.0.

The file has the same traps as Epoch's GPU clusters CSV
(``ingestors.sources.epoch_gpu_clusters``, whose readers are reused here):

* columns drift: the file is read by header name, unknown columns are ignored,
  and the source fails naming any required column that disappears. The country
  column is "Country (of organization)" on Epoch's site and "Country (from
  Organization)" in copies exported from its Airtable base; either is read.
  "Task" is optional (older copies lack it: ``task`` is then empty);
* copies re-saved by a spreadsheet carry ``M/D/YYYY`` dates and numbers like
  ``9.90E+22``; Epoch's own file has ISO dates and ``1.26e+24``: both are read;
* quoted fields hold newlines and doubled quotes (notes, abstracts, links);
* multi-valued cells are comma-joined: "Organization" lists every developer,
  and "Organization categorization" and "Country (...)" list one value per
  organisation in the same order (so a country repeats when two organisations
  share it; Epoch's lists do not always line up one to one).
  ``countries`` and ``organization_categories`` keep that order;
  ``country_iso2s`` holds the LatAm ones, deduplicated. "Organization" stays
  one text, and is also split into ``organizations``;
* an organisation's own country is the country at its position
  (``organization_country_iso2s``), and only when the two lists line up one
  to one: in the real file a 2013 image classifier lists six organisations
  and "Argentina,Netherlands,Netherlands,France,France,France", and only the
  first is Argentine. When they do not line up (about one row in nine) no
  organisation gets a country from the row: a co-developer's country is never
  borrowed;
* "Link" may hold several URLs separated by newlines, spaces or commas: the
  cell is kept as is and the record's URL is the first of them.

A model is kept when at least one of its organisations' countries is a LatAm
country (``ingestors.domain.countries``). A kept row whose number or date cannot be
read is quarantined with the column and the value named.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from ingestors.core.registry import FetchPlan, Record, Reject, Row, Source, Table
from ingestors.domain.countries import lookup_name

# Private helpers of the GPU clusters source, shared on purpose (same publisher, same quirks).
from ingestors.domain.numbers import parse_number
from ingestors.sources.epoch_gpu_clusters import clean_text, latam_records, parse_date, read_csv

CSV_URL = "https://epoch.ai/data/notable_ai_models.csv"
FILE = "notable_ai_models.csv"
TABLE = "models"

# field -> the header names it may go by, preferred first
MODEL = ("Model",)
COUNTRY = ("Country (of organization)", "Country (from Organization)")
TEXT_COLUMNS = {
    "organization": ("Organization",),
    "model_accessibility": ("Model accessibility",),
    "notability_criteria": ("Notability criteria",),
    "link": ("Link",),
    "base_model": ("Base model",),
}
LIST_COLUMNS = {
    "organization_categories": ("Organization categorization",),
    "domain": ("Domain",),
}
OPTIONAL_LIST_COLUMNS = {
    "task": ("Task",),
}
NUMBER_COLUMNS = {
    "parameters": ("Parameters",),
    "training_compute_flop": ("Training compute (FLOP)",),
    "training_dataset_size": ("Training dataset size (datapoints)",),
}
DATE_COLUMNS = {
    "publication_date": ("Publication date",),
}
REQUIRED = {
    "model": MODEL,
    "countries": COUNTRY,
    **TEXT_COLUMNS,
    **LIST_COLUMNS,
    **NUMBER_COLUMNS,
    **DATE_COLUMNS,
}

_URL = re.compile(r"https?://[^\s,]+")


class NotableModel(Row):
    model: str
    organization: str | None
    organization_categories: list[str]  # one per organisation, in the order Epoch lists them
    countries: list[str]  # every country named, one per organisation (may repeat)
    country_iso2s: list[str]  # the LatAm ones among countries, deduplicated, in order
    organizations: list[str]  # "Organization" split on commas, in order
    organization_country_iso2s: list[str | None]  # each one's own LatAm country by position; null outside LatAm
    publication_date: date | None
    domain: list[str]
    task: list[str]
    parameters: float | None
    training_compute_flop: float | None
    training_dataset_size: float | None
    model_accessibility: str | None
    notability_criteria: str | None
    link: str | None  # the cell as published: may hold several URLs
    base_model: str | None


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def first_url(link: str | None) -> str | None:
    """The first http(s) URL in a Link cell, if any."""
    m = _URL.search(link or "")
    return m[0] if m else None


def own_countries(organizations: list[str], countries: list[str]) -> list[str | None]:
    """Each organisation's own LatAm country (ISO2) by position; None when it is not in LatAm,
    and None for all when the two lists do not line up one to one."""
    if len(organizations) != len(countries):
        return [None] * len(organizations)
    found = [lookup_name(name) for name in countries]
    return [country.iso2 if country else None for country in found]


def _resolve(header: list[str], names: tuple[str, ...]) -> str | None:
    return next((name for name in names if name in header), None)


def _columns(snapshot, header: list[str]) -> dict[str, str]:
    """field -> the header column it is read from; fails the source naming missing required columns."""
    columns: dict[str, str] = {}
    missing: list[str] = []
    for field, names in REQUIRED.items():
        column = _resolve(header, names)
        if column is None:
            missing.append(" or ".join(names))
        else:
            columns[field] = column
    if missing:
        raise snapshot.error(f"required column(s) missing: {', '.join(missing)}", file=FILE)
    for field, names in OPTIONAL_LIST_COLUMNS.items():
        if column := _resolve(header, names):
            columns[field] = column
    return columns


def _model(row: dict[str, str], columns: dict[str, str], names: list[str], iso2s: list[str]) -> dict:
    """The table row for one CSV row; raises RecordError naming the column that cannot be read."""
    data: dict = {"model": row[columns["model"]].strip(), "countries": names, "country_iso2s": iso2s}
    data.update({field: clean_text(row[columns[field]]) for field in TEXT_COLUMNS})
    data["organizations"] = _split(data["organization"])
    data["organization_country_iso2s"] = own_countries(data["organizations"], names)
    for field in (*LIST_COLUMNS, *OPTIONAL_LIST_COLUMNS):
        data[field] = _split(row[columns[field]]) if field in columns else []
    data.update({field: parse_number(columns[field], row[columns[field]]) for field in NUMBER_COLUMNS})
    data.update({field: parse_date(columns[field], row[columns[field]]) for field in DATE_COLUMNS})
    return data


def fetch(ctx) -> None:
    ctx.get(FILE, CSV_URL)


def parse(snapshot) -> Iterator[Record | Reject]:
    reader = read_csv(snapshot, FILE)
    columns = _columns(snapshot, reader.fieldnames or [])
    csv_url = snapshot.url_of(FILE)

    def build(row: dict, names: list[str], iso2s: list[str]) -> tuple[dict, str]:
        data = _model(row, columns, names, iso2s)
        return data, first_url(data["link"]) or csv_url

    yield from latam_records(reader, table=TABLE, country_column=columns["countries"],
                             name_column=columns["model"], build=build)


SOURCE = Source(
    name="epoch_notable_models",
    family="organisations",
    title="Epoch AI notable AI models",
    endpoint='`epoch.ai/data/notable_ai_models.csv`, models whose organisation is in LatAm',
    description="Notable AI models (Epoch AI) developed at least in part by organisations in LatAm countries.",
    homepage="https://epoch.ai/data/notable-ai-models",
    licence="Epoch AI, CC BY 4.0",
    cadence="weekly",
    tables=(
        Table(
            TABLE,
            NotableModel,
            ("model",),
            "One row per notable AI model with a LatAm organisation among its developers: organisations, "
            "countries, publication date, domain, task, parameters, training compute (FLOP), dataset "
            "size and accessibility, as Epoch reports them.",
        ),
    ),
    fetch=fetch,
    parse=parse,
    plan=FetchPlan(
        rate_limits={"epoch.ai": 1.0},
    ),
)
