"""ECB euro foreign exchange reference rates: the whole daily history since 1999.

Endpoint: ``https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip``, a ZIP
holding one CSV, ``eurofxref-hist.csv``. No auth, no documented limit. The ZIP
is fetched with a conditional GET (the previous snapshot's ETag and
Last-Modified), so a day without a new fixing costs one ``304`` and no bytes.

Format traps:

* one row per TARGET business day, newest first, one column per currency; a
  rate is units of that currency per euro (``USD`` 1.0850 means 1 EUR buys
  1.0850 USD). The dollar rate of any currency is the cross rate through USD,
  which is why every currency is kept, not only the LatAm ones;
* every line, the header included, ends with a comma, so a CSV reader sees a
  last, nameless column: columns without a header name are ignored;
* ``N/A`` marks a currency without a rate that day: one that joined the euro
  (CYP until 2007), was suspended (RUB after March 2022, ISK from December
  2008 to January 2018) or was added later (BRL and MXN only from 2008). It
  is skipped, as is an empty cell: no rate is not a zero;
* BRL and MXN are the only LatAm currencies; the rest of the region's dollar
  rates come from the World Bank's annual PA.NUS.FCRF (``world_bank`` source);
* a body that is not a ZIP (an HTML error page behind a 200) or a ZIP without
  ``eurofxref-hist.csv`` fails the source naming the file. A cell that is
  neither ``N/A`` nor a positive number, or a row whose date cannot be read,
  is quarantined on its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import ClassVar

from ingestors.core.errors import RecordError
from ingestors.core.registry import FetchPlan, Record, Reject, Row, Source, Table
from ingestors.domain import numbers

NAME = "ecb_fx"
HOST = "www.ecb.europa.eu"
ZIP_URL = f"https://{HOST}/stats/eurofxref/eurofxref-hist.zip"
FILE = "eurofxref-hist.zip"
CSV_MEMBER = "eurofxref-hist.csv"
TABLE = "rates"
DATE_COLUMN = "Date"
MISSING = {"", "N/A"}


class Rate(Row):
    horizon_days: ClassVar[int] = 3  # a fixing is published on its day: a later date is a wrong row
    rate_date: date
    currency: str  # ISO 4217, as the column header says
    units_per_eur: float


def fetch(ctx) -> None:
    ctx.get(FILE, ZIP_URL)  # conditional: a 304 reuses the previous snapshot's bytes


# The full history since 1999 unpacks to about 6 MB; a ZIP declaring far more is not the ECB's file.
MAX_CSV_BYTES = 64 * 1024**2


def read_csv(snapshot) -> list[list[str]]:
    """The rows of the CSV inside the ZIP, header first; a payload that is not that fails the source."""
    with snapshot.open_zip(FILE, max_members=4, max_bytes=MAX_CSV_BYTES) as archive:
        if CSV_MEMBER not in archive.namelist():
            raise snapshot.error(f"no {CSV_MEMBER} in the ZIP (it holds: {', '.join(archive.namelist())})",
                                 file=FILE)
        data = archive.read(CSV_MEMBER)
    rows = snapshot.read_csv(FILE, data=data, member=CSV_MEMBER)
    if not rows or rows[0][:1] != [DATE_COLUMN]:
        head = ",".join(rows[0][:3]) if rows else ""
        raise snapshot.error(f"{CSV_MEMBER}: expected a header starting {DATE_COLUMN!r}, got {head!r}", file=FILE)
    return rows


def parse_date(text: str) -> date:
    day = numbers.parse_date(DATE_COLUMN, text)
    if day is None:
        raise RecordError(f"{DATE_COLUMN} is empty")
    return day


def parse_rate(currency: str, text: str) -> float:
    if "," in text:  # a decimal comma would shift every later column: refuse the row, never guess
        raise RecordError(f"{currency}: not a number (comma in a rate): {text!r}")
    rate = numbers.parse_number(currency, text, positive=True)
    if rate is None:
        raise RecordError(f"{currency} is empty")
    return rate


def parse(snapshot) -> Iterator[Record | Reject]:
    header, *rows = read_csv(snapshot)
    currencies = [(i, name.strip()) for i, name in enumerate(header) if i > 0 and name.strip()]
    url = snapshot.url_of(FILE)
    for line, cells in enumerate(rows, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        try:
            day = parse_date(cells[0])
            if len(cells) > len(header):  # a decimal comma splits a rate in two and shifts every later column
                raise RecordError(f"{len(cells)} cells, the header has {len(header)}: a comma inside a rate?")
        except RecordError as exc:
            yield Reject(TABLE, f"{CSV_MEMBER} line {line}", str(exc), dict(zip(header, cells, strict=False)))
            continue
        for i, currency in currencies:
            text = cells[i].strip() if i < len(cells) else ""
            if text in MISSING:
                continue
            record_id = f"{day.isoformat()}/{currency}"
            try:
                value = parse_rate(currency, text)
            except RecordError as exc:
                yield Reject(TABLE, record_id, str(exc), {DATE_COLUMN: cells[0], currency: text})
                continue
            yield Record(TABLE, {"rate_date": day, "currency": currency, "units_per_eur": value},
                         record_id=record_id, record_url=url)


SOURCE = Source(
    name=NAME,
    family="funding",
    title="ECB euro reference rates",
    endpoint='ECB `eurofxref-hist.zip`, daily euro reference rates since 1999 (conditional GET)',
    description="Daily euro foreign exchange reference rates since 1999 for every currency the ECB quotes "
                "(BRL and MXN among them): the day's rates for converting amounts to USD through the euro.",
    homepage="https://www.ecb.europa.eu/stats/policy_and_exchange_rates/euro_reference_exchange_rates/html/index.en.html",
    licence="ECB statistics, free reuse with the source named (ECB copyright notice)",
    cadence="daily",
    tables=(
        Table(TABLE, Rate, ("rate_date", "currency"),
              "One row per TARGET business day and currency quoted that day: units of the currency per euro.",
              min_rows=50, partition_by="currency"),  # a currency column gone is a payload fault
    ),
    fetch=fetch,
    parse=parse,
    plan=FetchPlan(
        rate_limits={HOST: 1.0},
    ),
)
