"""BCRA exchange-rate statistics: the peso's official daily dollar rate (Argentina).

Endpoint: ``https://api.bcra.gob.ar/estadisticascambiarias/v1.0/Cotizaciones/USD``
with ``fechadesde``/``fechahasta`` (``YYYY-MM-DD``) and ``limit``/``offset`` paging
(Estadísticas Cambiarias v1.0, open, no key; the BCRA's catalogue documents it as
``/Cotizaciones/{codMoneda}``). The answer::

    {"status": 200, "metadata": {"resultset": {"count": N, "offset": 0, "limit": 500}},
     "results": [{"fecha": "2024-06-12", "detalle": [{"codigoMoneda": "USD",
                  "descripcion": "DOLAR E.E.U.U.", "tipoPase": 0.0, "tipoCotizacion": 901.5}]}]}

Format traps:

* ``tipoCotizacion`` is Argentine pesos per unit of the currency (for USD: pesos
  per dollar); ``tipoPase`` is dollars per unit and is ``0`` for USD itself, the
  numeraire. A ``0`` quote means "not applicable", never a rate of zero: it is
  quarantined;
* a day can come back with an empty ``detalle`` (no fixing): it is no row;
* ``results`` is a list for the history endpoint but a single object for the
  one-day ``/Cotizaciones`` endpoint; only a list is accepted here;
* the manual asks for ``limit`` between 10 and 1000; pages continue while the
  offset is below ``metadata.resultset.count``;
* a ``fechahasta`` in the future is answered with HTTP 400, so the range ends on
  today's date in Buenos Aires (UTC-3), not UTC's;
* an error comes back as ``{"status": 400, "errorMessages": [...]}``: it fails
  the source with the messages.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from ingestors.core.errors import RecordError
from ingestors.core.registry import FetchPlan, Record, Reject, Row, Source, Table
from ingestors.domain import numbers

NAME = "bcra_fx"
HOST = "api.bcra.gob.ar"
BASE = f"https://{HOST}/estadisticascambiarias/v1.0/Cotizaciones"
CURRENCY = "USD"  # the BCRA's code for the dollar; its quote is pesos per dollar
FIRST_DAY = date(2015, 1, 1)
PAGE = 500
TABLE = "rates"


class Rate(Row):
    rate_date: date
    currency: str  # ISO 4217 code of the currency whose rate this is (ARS)
    units_per_usd: float  # Argentine pesos per US dollar (tipoCotizacion of USD)
    series: str  # the BCRA's currency code and description the quote was read from


def _buenos_aires_today() -> date:
    return (datetime.now(UTC) - timedelta(hours=3)).date()


def _file(page: int) -> str:
    return f"{CURRENCY}.page-{page}.json"


def _count(body: bytes) -> int | None:
    try:
        return int(json.loads(body)["metadata"]["resultset"]["count"])
    except (ValueError, KeyError, TypeError):
        return None  # parse() reports the bad payload with its snapshot


def fetch(ctx) -> None:
    params = {"fechadesde": FIRST_DAY.isoformat(), "fechahasta": _buenos_aires_today().isoformat(),
              "limit": PAGE}
    offset, page = 0, 1
    while True:
        body = ctx.get(_file(page), f"{BASE}/{CURRENCY}", params={**params, "offset": offset})
        count = _count(body)
        offset += PAGE
        page += 1
        if count is None or offset >= count:
            return


def _days(snapshot, name: str) -> list:
    body = snapshot.read_json(name)
    if not isinstance(body, dict):
        raise snapshot.error("expected a JSON object with status and results", file=name)
    if body.get("status") != 200:
        raise snapshot.error(f"the API answered status {body.get('status')}: {body.get('errorMessages')}", file=name)
    results = body.get("results")
    if not isinstance(results, list):
        raise snapshot.error("results is not a list (the one-day endpoint's shape?)", file=name)
    return results


def _rate(day: dict, quote: dict) -> dict:
    rate_date = numbers.parse_date("fecha", day.get("fecha"))
    if rate_date is None:
        raise RecordError("fecha is empty")
    if quote.get("codigoMoneda") != CURRENCY:
        raise RecordError(f"asked for {CURRENCY}, got codigoMoneda {quote.get('codigoMoneda')!r}")
    value = numbers.parse_number("tipoCotizacion", quote.get("tipoCotizacion"), positive=True)
    if value is None:
        raise RecordError("tipoCotizacion is empty")
    return {"rate_date": rate_date, "currency": "ARS", "units_per_usd": value,
            "series": f"{CURRENCY} ({quote.get('descripcion') or 'no description'})"}


def parse(snapshot) -> Iterator[Record | Reject]:
    for name in snapshot.names():
        url = snapshot.url_of(name)
        for i, day in enumerate(_days(snapshot, name)):
            quotes = day.get("detalle") if isinstance(day, dict) else None
            for j, quote in enumerate(quotes or []):
                record_id = f"{name}#{i}.{j}"
                try:
                    data = _rate(day, quote if isinstance(quote, dict) else {})
                except RecordError as exc:
                    yield Reject(TABLE, record_id, str(exc), {"fecha": day.get("fecha"), "detalle": quote})
                    continue
                yield Record(TABLE, data, record_id=f"{data['rate_date'].isoformat()}/ARS", record_url=url)


SOURCE = Source(
    name=NAME,
    family="funding",
    title="BCRA exchange rates (Argentina)",
    endpoint="BCRA Estadísticas Cambiarias v1.0, `Cotizaciones/USD` since 2015 (500 days a page)",
    description="The Banco Central de la República Argentina's daily quote of the US dollar in pesos: the "
                "official rate that converts peso amounts to USD on the round's date.",
    homepage="https://www.bcra.gob.ar/BCRAyVos/catalogo-de-APIs-banco-central.asp",
    licence="BCRA open API, free use with the source named",
    cadence="daily",
    tables=(
        Table(TABLE, Rate, ("rate_date", "currency"),
              "One row per day the BCRA quoted the dollar: Argentine pesos per US dollar.", min_rows=3),
    ),
    fetch=fetch,
    parse=parse,
    plan=FetchPlan(
        rate_limits={HOST: 1.0},
        max_requests=12,  # about 2,900 business days since 2015: six pages, with room for retries
        sample_routes={f"{HOST}/estadisticascambiarias/v1.0/Cotizaciones/{CURRENCY}": _file(1)},
    ),
)
