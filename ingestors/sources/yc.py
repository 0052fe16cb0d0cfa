"""Y Combinator companies with a presence in Latin America (the yc-oss directory API).

Endpoint: ``https://yc-oss.github.io/api/companies/all.json``, one static JSON
file rebuilt daily by the yc-oss project from the public YC directory: a list
of every launched company, no auth, no paging. (``/tags/{tag}.json``,
``/industries/{industry}.json``, ``/batches/{batch}.json`` and
``/companies/top.json`` are subsets in the same record shape.)

Each company is an object of 29 fields. Format traps:

* ``regions`` mixes continents ("Latin America", "America / Canada"),
  countries ("Mexico", "United States of America") and work modes ("Remote",
  "Partly Remote", "Fully Remote");
* ``all_locations`` is one string of ``"; "``-separated locations, each
  ``"City, State, Country"`` (or just ``"Remote"``); only the last part of a
  location names a country (``"Panama City, FL, USA"`` is in the USA);
* ``launched_at`` is unix seconds; ``long_description`` has ``\\r\\n`` line
  breaks (kept as ``\\n``); ``team_size`` and ``top_company`` may be null;
* the hiring flag is spelled ``isHiring``; ``url`` is the company's YC page.

A company is kept when a LatAm country (``ingestors.domain.countries``) is named in
``regions`` or is the country of one of its ``all_locations``.
``country_iso2s`` lists them in that order (regions first), deduplicated.
"Latin America" is a region, not a country: a company whose only LatAm trace
is that label is skipped.

``hq_country_iso2`` is the country of the first location, the city the
directory lists first as the company's base: a LatAm country, or a country
outside LatAm spelled as the directory spells it (``OTHER_COUNTRIES``: a
company based in New York with an office in Mexico City is a US company).
Only when the first location names no country Cadena can place ("Remote",
none, or a spelling outside that list) is it the first LatAm country named.

The directory states no founding year: ``launched_at`` is when the company
launched on YC's directory, not when it was founded, so it is never used as one.

A kept company whose ``id`` is not an integer, or whose ``launched_at`` is not
unix seconds, is quarantined; wrong types elsewhere are caught by the row model.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from ingestors.core.errors import RecordError
from ingestors.core.registry import FetchPlan, Record, Reject, Row, Source, Table
from ingestors.domain.countries import lookup_name

HOST = "yc-oss.github.io"
ALL_URL = f"https://{HOST}/api/companies/all.json"
FILE = "all.json"
TABLE = "companies"

# Fields without which the payload is not the directory any more (checked across all records).
REQUIRED_FIELDS = ("id", "name", "slug", "regions", "all_locations", "url")


class Company(Row):
    id: int
    name: str
    slug: str
    former_names: list[str]
    website: str | None
    one_liner: str | None
    long_description: str | None
    batch: str | None
    status: str | None
    stage: str | None
    team_size: int | None
    industry: str | None
    subindustry: str | None
    industries: list[str]
    tags: list[str]
    regions: list[str]
    all_locations: str | None
    country_iso2s: list[str]  # LatAm countries named in regions, then all_locations; deduplicated
    hq_country_iso2: str | None  # the first location's country (any); if it names none, the first of country_iso2s
    launched_at: datetime | None
    is_hiring: bool | None
    nonprofit: bool | None
    top_company: bool | None
    yc_url: str | None


# Countries outside LatAm as the directory spells them in ``all_locations`` (ISO 3166-1 alpha-2).
OTHER_COUNTRIES = {
    "USA": "US", "United States": "US", "Canada": "CA", "United Kingdom": "GB", "India": "IN",
    "Nigeria": "NG", "Singapore": "SG", "France": "FR", "Indonesia": "ID", "Germany": "DE", "Israel": "IL",
    "Pakistan": "PK", "United Arab Emirates": "AE", "Vietnam": "VN", "Kenya": "KE", "Denmark": "DK",
    "South Korea": "KR", "Egypt": "EG", "Sweden": "SE", "Spain": "ES", "Australia": "AU", "Switzerland": "CH",
    "Netherlands": "NL", "Portugal": "PT", "Italy": "IT", "Ireland": "IE", "Japan": "JP", "China": "CN",
}


def hq_country(all_locations: str | None, latam: list[str]) -> str | None:
    """ISO2 of the first location's country; else (Remote, none, an unknown spelling) the first of ``latam``."""
    first = next(iter(location_countries(all_locations)), None)
    if first is not None:
        if (country := lookup_name(first)) is not None:
            return country.iso2
        if first in OTHER_COUNTRIES:
            return OTHER_COUNTRIES[first]
    return latam[0] if latam else None


def location_countries(all_locations: str | None) -> list[str]:
    """The country part (the last comma-separated part) of each ``;``-separated location."""
    if not isinstance(all_locations, str):
        return []
    return [loc.rsplit(",", 1)[-1].strip() for loc in all_locations.split(";") if loc.strip()]


def latam_iso2s(regions: Iterable[Any], all_locations: str | None) -> list[str]:
    """ISO2 codes of the LatAm countries named in ``regions`` then ``all_locations``, deduplicated."""
    iso2s: list[str] = []
    for name in [*regions, *location_countries(all_locations)]:
        country = lookup_name(name) if isinstance(name, str) else None
        if country is not None and country.iso2 not in iso2s:
            iso2s.append(country.iso2)
    return iso2s


def _text(value: Any) -> Any:
    """Trim a string, empty to None; anything else is left for the row model to judge."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip() or None
    return value


def _list(value: Any) -> Any:
    return [] if value is None else value


def _launched_at(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RecordError(f"launched_at: not unix seconds: {value!r}")
    return datetime.fromtimestamp(value, UTC)


def _company(item: dict, iso2s: list[str]) -> dict:
    """The table row for one company; raises RecordError for a value the parser refuses."""
    company_id = item.get("id")
    if isinstance(company_id, bool) or not isinstance(company_id, int):
        raise RecordError(f"id is not an integer: {company_id!r}")
    return {
        "id": company_id,
        "name": _text(item.get("name")),
        "slug": _text(item.get("slug")),
        "former_names": _list(item.get("former_names")),
        "website": _text(item.get("website")),
        "one_liner": _text(item.get("one_liner")),
        "long_description": _text(item.get("long_description")),
        "batch": _text(item.get("batch")),
        "status": _text(item.get("status")),
        "stage": _text(item.get("stage")),
        "team_size": item.get("team_size"),
        "industry": _text(item.get("industry")),
        "subindustry": _text(item.get("subindustry")),
        "industries": _list(item.get("industries")),
        "tags": _list(item.get("tags")),
        "regions": _list(item.get("regions")),
        "all_locations": _text(item.get("all_locations")),
        "country_iso2s": iso2s,
        "hq_country_iso2": hq_country(item.get("all_locations"), iso2s),
        "launched_at": _launched_at(item.get("launched_at")),
        "is_hiring": item.get("isHiring"),
        "nonprofit": item.get("nonprofit"),
        "top_company": item.get("top_company"),
        "yc_url": _text(item.get("url")),
    }


def fetch(ctx) -> None:
    ctx.get(FILE, ALL_URL)


def parse_companies(snapshot, name: str) -> Iterator[Record | Reject]:
    """Parse one file holding a list of company records (``all.json`` or any subset file)."""
    body = snapshot.read_json(name)
    if not isinstance(body, list):
        raise snapshot.error(f"expected a JSON list of companies, got {type(body).__name__}", file=name)
    records = [item for item in body if isinstance(item, dict)]
    if not records:
        raise snapshot.error("the list holds no company object" if body else "the company list is empty", file=name)
    missing = [f for f in REQUIRED_FIELDS if not any(f in item for item in records)]
    if missing:
        raise snapshot.error(f"field(s) missing from every company: {', '.join(missing)}", file=name)

    for index, item in enumerate(body):
        if not isinstance(item, dict):
            yield Reject(TABLE, f"#{index}", f"not a JSON object: {type(item).__name__}", item)
            continue
        regions = item.get("regions") if isinstance(item.get("regions"), list) else []
        iso2s = latam_iso2s(regions, item.get("all_locations"))
        if not iso2s:
            continue  # not in LatAm (or only labelled "Latin America" without a country)
        record_id = str(item.get("id") or item.get("slug") or f"#{index}")
        try:
            data = _company(item, iso2s)
        except RecordError as exc:
            yield Reject(TABLE, record_id, str(exc), item)
            continue
        yield Record(TABLE, data, record_id=record_id, record_url=data["yc_url"])


def parse(snapshot) -> Iterator[Record | Reject]:
    yield from parse_companies(snapshot, FILE)


SOURCE = Source(
    name="yc",
    family="organisations",
    title="Y Combinator companies (yc-oss)",
    endpoint='`yc-oss.github.io/api/companies/all.json`, companies with a LatAm country',
    description="Y Combinator-backed companies located (at least partly) in LatAm countries, from the "
                "yc-oss mirror of the public YC directory.",
    homepage="https://github.com/yc-oss/api",
    licence="yc-oss API (public Y Combinator directory data, MIT-licensed project)",
    cadence="daily",
    tables=(
        Table(
            TABLE,
            Company,
            ("id",),
            "One row per YC company with a LatAm country in its regions or locations: batch, status, "
            "stage, team size, industries, tags, LatAm countries (HQ first) and launch time.",
        ),
    ),
    fetch=fetch,
    parse=parse,
    plan=FetchPlan(
        # GitHub Pages serves a static file; one request a day.
        rate_limits={HOST: 1.0},
    ),
)
