"""BCRP statistics API: the sol's official daily dollar rate (Peru).

Endpoint: ``https://estadisticas.bcrp.gob.pe/estadisticas/series/api/{codes}/json/{from}/{to}/esp``
(BCRPData "API para desarrolladores": series codes joined by ``-``, output
format, first and last period, language; open, no key). ``PD04638PD`` is the
interbank exchange rate, soles per US dollar, sell side, daily. The answer::

    {"config": {"title": "...", "series": [{"name": "Tipo de cambio - TC Interbancario (S/ por US$) - Venta",
                                            "dec": "3"}]},
     "periods": [{"name": "02.Ene.24", "values": ["3.705"]}, ...]}

Format traps:

* a period's ``name`` is the day as ``DD.Mmm.YY`` with a **Spanish** month
  abbreviation (``Ene``, ``Abr``, ``Ago``, ``Set`` for September, ``Dic``) and
  a two-digit year; the English answer (``ing``) writes ``Jan``, ``Apr``... The
  request asks for ``esp`` and the parser reads both. The series starts in 1997
  (``02.Ene.97``): a two-digit year that would land after next year is 19YY;
* values are strings, one per requested series, in the order of the codes;
  ``"n.d."`` (no data) marks a day the series has no value (a holiday, or a
  day not yet published): it is no row, never a zero;
* ``dec`` is the declared precision but the values can carry more digits
  (averages): they are kept as sent;
* an unknown code or an empty range comes back as an HTML page behind a 200:
  the source fails naming the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

from ingestors.core.errors import RecordError
from ingestors.core.registry import FetchPlan, Record, Reject, Row, Source, Table
from ingestors.domain import numbers

NAME = "bcrp_fx"
HOST = "estadisticas.bcrp.gob.pe"
SERIES = "PD04638PD"  # Tipo de cambio interbancario, S/ por US$, venta (daily)
FIRST_DAY = date(2015, 1, 1)
FILE = f"{SERIES}.json"
TABLE = "rates"
NO_DATA = "n.d."
MONTHS = {
    "ene": 1, "feb": 2, "mar": 3, "abr": 4, "may": 5, "jun": 6, "jul": 7, "ago": 8, "set": 9, "sep": 9,
    "oct": 10, "nov": 11, "dic": 12, "jan": 1, "apr": 4, "aug": 8, "dec": 12,
}


class Rate(Row):
    rate_date: date
    currency: str  # ISO 4217 code of the currency whose rate this is (PEN)
    units_per_usd: float  # soles per US dollar, interbank sell rate
    series: str  # the BCRP series code and name


def url(last_day: date) -> str:
    return (f"https://{HOST}/estadisticas/series/api/{SERIES}/json/"
            f"{FIRST_DAY.isoformat()}/{last_day.isoformat()}/esp")


def fetch(ctx) -> None:
    ctx.get(FILE, url(datetime.now(UTC).date()))


def parse_period(name: str) -> date:
    """``02.Ene.24`` (or ``02.Jan.24``) -> 2024-01-02."""
    try:
        day, month, year = name.strip().split(".")
        full_year = 2000 + int(year)
        if full_year > datetime.now(UTC).year + 1:
            full_year -= 100
        return date(full_year, MONTHS[month.lower()], int(day))
    except (ValueError, KeyError, AttributeError) as exc:
        raise RecordError(f"period name is not DD.Mmm.YY: {name!r}") from exc


def parse(snapshot) -> Iterator[Record | Reject]:
    body = snapshot.read_json(FILE)
    if not isinstance(body, dict) or not isinstance(body.get("periods"), list):
        raise snapshot.error("expected a JSON object with config and periods", file=FILE)
    series = (body.get("config") or {}).get("series") or [{}]
    label = f"{SERIES} ({series[0].get('name') or 'no name'})"
    link = snapshot.url_of(FILE)
    for i, period in enumerate(body["periods"]):
        raw = period if isinstance(period, dict) else {"period": period}
        values = raw.get("values") or []
        try:
            rate_date = parse_period(raw.get("name"))
            if not values:
                raise RecordError("no values")
            if str(values[0]).strip() == NO_DATA:
                continue
            value = numbers.parse_number(SERIES, values[0], positive=True)
            if value is None:
                raise RecordError(f"{SERIES} is empty")
        except RecordError as exc:
            yield Reject(TABLE, f"{FILE}#{i}", str(exc), raw)
            continue
        yield Record(TABLE, {"rate_date": rate_date, "currency": "PEN", "units_per_usd": value, "series": label},
                     record_id=f"{rate_date.isoformat()}/PEN", record_url=link)


SOURCE = Source(
    name=NAME,
    family="funding",
    title="BCRP exchange rate (Peru)",
    endpoint=f"BCRPData statistics API, series `{SERIES}` (interbank sell rate) since 2015, one request",
    description="The Banco Central de Reserva del Perú's daily interbank sell rate, soles per US dollar: the "
                "official rate that converts sol amounts to USD on the round's date.",
    homepage="https://estadisticas.bcrp.gob.pe/estadisticas/series/ayuda/api",
    licence="BCRP statistics, free use with the source named",
    cadence="daily",
    tables=(
        Table(TABLE, Rate, ("rate_date", "currency"),
              "One row per day with a published rate: soles per US dollar (interbank, sell).", min_rows=3),
    ),
    fetch=fetch,
    parse=parse,
    plan=FetchPlan(
        rate_limits={HOST: 1.0},
        max_requests=3,
        sample_routes={f"{HOST}/estadisticas/series/api/{SERIES}/json/*": FILE},
    ),
)
