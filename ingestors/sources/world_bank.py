"""World Bank indicators for LatAm countries (API v2, JSON).

Endpoint: ``https://api.worldbank.org/v2/country/{iso3;iso3;...}/indicator/{code}``
with ``format=json``. The body is ``[header, rows]``; the header's keys change
between API versions (older answers lack ``sourceid``), so only ``page`` and
``pages`` are read from it. An error comes back as ``[{"message": [...]}]``.
Aggregates carry ``countryiso3code: ""``; years with no value carry ``null``
and are left out (no data is not a zero). A row without a ``value`` or
``date`` key at all is a renamed field, not a missing value: it fails the
source rather than silently dropping a whole indicator. ``date`` is a string
(``"2022"``) read explicitly as a year; a lower-case ISO3 code is quarantined.

``PA.NUS.FCRF`` (official exchange rate, local currency units per US$, period
average) converts amounts in the currencies the ECB does not quote, one rate a
year. The dollarised economies report 1.0 (Ecuador, El Salvador, Panama);
years without an official rate (Venezuela has long gaps) are ``null`` and so
absent.

The connectivity series (``IT.NET.BBND.P2`` fixed broadband and ``IT.CEL.SETS.P2``
mobile cellular subscriptions, per 100 people) are ITU's, republished by the
World Bank: subscriptions, not people, so mobile exceeds 100 where people hold
several SIMs. One request per indicator (nine a run): every LatAm country and
year since 2000 fits in one page of 5,000.
"""

from __future__ import annotations

from collections.abc import Iterator

from ingestors.core.registry import FetchPlan, Record, Reject, Row, Source, Table
from ingestors.domain.countries import by_iso3, latam

BASE = "https://api.worldbank.org/v2"
INDICATORS = {
    "IT.NET.USER.ZS": "Individuals using the Internet (% of population)",
    "IT.NET.SECR.P6": "Secure Internet servers (per 1 million people)",
    "IT.NET.BBND.P2": "Fixed broadband subscriptions (per 100 people)",
    "IT.CEL.SETS.P2": "Mobile cellular subscriptions (per 100 people)",
    "EG.ELC.ACCS.ZS": "Access to electricity (% of population)",
    "EG.USE.ELEC.KH.PC": "Electric power consumption (kWh per capita)",
    "NY.GDP.MKTP.CD": "GDP (current US$)",
    "SP.POP.TOTL": "Population, total",
    "PA.NUS.FCRF": "Official exchange rate (LCU per US$, period average)",
}
# LatAm territories the World Bank does not list as economies (French Guiana, Guadeloupe and Martinique are in
# France's figures, Bonaire-Sint Eustatius-Saba in the Netherlands', Anguilla and Montserrat are not covered,
# Saint Barthélemy neither): asked for, they make the API answer for the whole request with an error.
NOT_WORLD_BANK_ECONOMIES = frozenset({"GUF", "GLP", "MTQ", "BLM", "AIA", "MSR", "BES"})
FIRST_YEAR = 2000
PER_PAGE = 5000


class Observation(Row):
    indicator_code: str
    indicator_name: str
    country_iso3: str
    country_iso2: str
    year: int
    value: float
    unit: str | None
    obs_status: str | None
    decimal: int | None


def _file(code: str, page: int) -> str:
    return f"{code}.page-{page}.json"


def economies() -> list[str]:
    """The LatAm countries the World Bank reports on (ISO3), sorted."""
    return sorted(c.iso3 for c in latam() if c.iso3 not in NOT_WORLD_BANK_ECONOMIES)


def fetch(ctx) -> None:
    countries = ";".join(economies())
    for code in INDICATORS:
        page, pages = 1, 1
        while page <= pages:
            url = f"{BASE}/country/{countries}/indicator/{code}"
            params = {"format": "json", "per_page": PER_PAGE, "date": f"{FIRST_YEAR}:2100", "page": page}
            body = ctx.get(_file(code, page), url, params=params)
            pages = _pages(body)
            page += 1


def _pages(body: bytes) -> int:
    import json

    try:
        header = json.loads(body)[0]
        return int(header.get("pages", 1) or 1)
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        return 1  # parse() reports the bad payload with its snapshot


def parse(snapshot) -> Iterator[Record | Reject]:
    known = by_iso3()
    for name in snapshot.names():
        body = snapshot.read_json(name)
        if not (isinstance(body, list) and body and isinstance(body[0], dict)):
            raise snapshot.error("expected a JSON array [header, rows]", file=name)
        if "message" in body[0]:
            raise snapshot.error(f"the API answered with an error: {body[0]['message']}", file=name)
        if len(body) < 2 or body[1] is None:
            continue  # a page past the end: header only
        url = snapshot.url_of(name)
        for i, item in enumerate(body[1]):
            record_id = f"{name}#{i}"
            try:
                iso3 = item["countryiso3code"]
                indicator = item["indicator"]
            except (KeyError, TypeError):
                yield Reject("observations", record_id, "missing countryiso3code or indicator", item)
                continue
            if "value" not in item or "date" not in item:
                raise snapshot.error(f"row {i} has no 'value' or 'date' field (renamed?): {sorted(item)}", file=name)
            if isinstance(iso3, str) and iso3 != iso3.upper() and iso3.upper() in known:
                yield Reject("observations", record_id, f"countryiso3code {iso3!r} is not upper case", item)
                continue
            if iso3 not in known or item.get("value") is None:
                continue  # aggregates, non-LatAm rows, years without data
            year = str(item.get("date") or "")
            if not year.isdigit():
                yield Reject("observations", record_id, f"date {item.get('date')!r} is not a year", item)
                continue
            yield Record(
                "observations",
                {
                    "indicator_code": indicator.get("id"),
                    "indicator_name": indicator.get("value"),
                    "country_iso3": iso3,
                    "country_iso2": (item.get("country") or {}).get("id"),
                    "year": int(year),
                    "value": item.get("value"),
                    "unit": item.get("unit") or None,
                    "obs_status": item.get("obs_status") or None,
                    "decimal": item.get("decimal"),
                },
                record_id=f"{indicator.get('id')}/{iso3}/{item.get('date')}",
                record_url=url,
            )


SOURCE = Source(
    name="world_bank",
    family="capacity",
    title="World Bank indicators",
    endpoint=('World Bank API v2, nine indicators for every LatAm country (incl. PA.NUS.FCRF, the official '
              'exchange rate)'),
    description="Connectivity, energy and size indicators per LatAm country and year (WDI via API v2).",
    homepage="https://data.worldbank.org/",
    licence="CC BY 4.0",
    cadence="monthly",
    tables=(
        Table("observations", Observation, ("indicator_code", "country_iso3", "year"),
              "One indicator value per country and year; years without a value are absent.",
              partition_by="indicator_code"),
    ),
    fetch=fetch,
    parse=parse,
    plan=FetchPlan(
        max_requests=60,  # nine indicators, a page or two each
        # The API publishes no hard limit; stay gentle.
        rate_limits={"api.worldbank.org": 2.0},
        sample_routes={f"api.worldbank.org/v2/country/*/indicator/{code}": f"{code}.json" for code in INDICATORS},
    ),
)
