"""Colombia's TRM (Tasa Representativa del Mercado): the peso's official daily dollar rate.

Endpoint: ``https://www.datos.gov.co/resource/32sa-8pi3.json``, the national open
data portal's dataset "Tasa de Cambio Representativa del Mercado - Histórico"
(certified by the Superintendencia Financiera de Colombia), read through the
Socrata SODA API with ``$select``, ``$where``, ``$order`` and ``$limit``; open,
no key (an app token only raises the anonymous throttle). The answer is a JSON
array of objects::

    [{"valor": "4389.8", "unidad": "COP", "vigenciadesde": "2022-09-15T00:00:00.000",
      "vigenciahasta": "2022-09-15T00:00:00.000"}, ...]

Format traps:

* one row is a **validity interval**, not a day: the TRM set on a Friday holds
  from Saturday to Monday (``vigenciadesde`` Saturday, ``vigenciahasta``
  Monday), so one row can cover several days; the row is kept as is, with both
  ends, and the rate of a date is the row whose ``vigenciadesde`` is the latest
  on or before it;
* Socrata sends every number as a string and every date as a floating
  timestamp without a zone (``...T00:00:00.000``);
* the anonymous default page is 1,000 rows: ``$limit`` asks for all rows since
  2015 (about 3,000) in one request;
* an error is a JSON object (``{"error": true, "message": ...}``), not an
  array: it fails the source with its message. A row whose value is not a
  positive number, whose unit is not COP or whose interval is reversed is
  quarantined on its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from ingestors.core.errors import RecordError
from ingestors.core.registry import FetchPlan, Record, Reject, Row, Source, Table
from ingestors.domain import numbers

NAME = "co_trm"
HOST = "www.datos.gov.co"
DATASET = "32sa-8pi3"
FILE = f"{DATASET}.json"
URL = f"https://{HOST}/resource/{FILE}"
FIRST_DAY = "2015-01-01T00:00:00"
TABLE = "rates"
TIMESTAMP_FORMATS = ("%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d")


class Rate(Row):
    rate_date: date  # first day the TRM is in force (vigenciadesde)
    valid_to: date  # last day it is in force (vigenciahasta); later than rate_date over weekends and holidays
    currency: str  # ISO 4217 code of the currency whose rate this is (COP)
    units_per_usd: float  # Colombian pesos per US dollar


def fetch(ctx) -> None:
    ctx.get(FILE, URL, params={
        "$select": "valor,unidad,vigenciadesde,vigenciahasta",
        "$where": f"vigenciadesde >= '{FIRST_DAY}'",
        "$order": "vigenciadesde",
        "$limit": 50000,
    })


def _day(label: str, value) -> date:
    day = numbers.parse_date(label, value, TIMESTAMP_FORMATS)
    if day is None:
        raise RecordError(f"{label} is empty")
    return day


def _rate(item: dict) -> dict:
    if (item.get("unidad") or "COP").strip().upper() != "COP":
        raise RecordError(f"unidad is {item.get('unidad')!r}, not COP")
    start, end = _day("vigenciadesde", item.get("vigenciadesde")), _day("vigenciahasta", item.get("vigenciahasta"))
    if end < start:
        raise RecordError(f"vigenciahasta {end} is before vigenciadesde {start}")
    value = numbers.parse_number("valor", item.get("valor"), positive=True)
    if value is None:
        raise RecordError("valor is empty")
    return {"rate_date": start, "valid_to": end, "currency": "COP", "units_per_usd": value}


def parse(snapshot) -> Iterator[Record | Reject]:
    body = snapshot.read_json(FILE)
    if isinstance(body, dict):
        raise snapshot.error(f"the API answered with an error: {body.get('message') or body}", file=FILE)
    if not isinstance(body, list):
        raise snapshot.error("expected a JSON array of rows", file=FILE)
    link = snapshot.url_of(FILE)
    for i, item in enumerate(body):
        try:
            data = _rate(item if isinstance(item, dict) else {})
        except RecordError as exc:
            yield Reject(TABLE, f"{FILE}#{i}", str(exc), item)
            continue
        yield Record(TABLE, data, record_id=f"{data['rate_date'].isoformat()}/COP", record_url=link)


SOURCE = Source(
    name=NAME,
    family="funding",
    title="TRM, Colombia's official exchange rate",
    endpoint=f"datos.gov.co SODA API, dataset `{DATASET}` (TRM history) since 2015, one request",
    description="Colombia's Tasa Representativa del Mercado, pesos per US dollar, with the days each value is "
                "in force: the official rate that converts peso amounts to USD on the round's date.",
    homepage=f"https://www.datos.gov.co/d/{DATASET}",
    licence="Datos Abiertos Colombia, open licence (attribution)",
    cadence="daily",
    tables=(
        Table(TABLE, Rate, ("rate_date", "currency"),
              "One row per TRM value and the interval it is in force: Colombian pesos per US dollar.",
              min_rows=3),
    ),
    fetch=fetch,
    parse=parse,
    plan=FetchPlan(rate_limits={HOST: 1.0}, max_requests=3),
)
