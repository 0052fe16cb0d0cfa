"""APNIC Labs: IPv6 capability and preference of each LatAm economy's Internet users, per day.

Endpoint (documented at https://data1.labs.apnic.net/ipv6-data-format.html):
``GET https://data1.labs.apnic.net/v6stats/v6economy/{CC}.json``, one file per
ISO 3166 economy, each the economy's whole daily series. The page
``stats.labs.apnic.net/ipv6/{CC}`` is a chart wrapper around the same file;
its ``?f=j``-style query strings still return HTML, so the bulk file is read.

APNIC measures with an online advertisement that asks the browser to fetch an
IPv6-only object and a dual-stack one: *capable* users fetched the IPv6-only
object, *preferred* users fetched the dual-stack one over IPv6. Results are
weighted per economy by APNIC. Data "(C) APNIC Pty/Ltd. re-use with
attribution permitted" on a hold-harmless basis.

Format (one JSON object)::

    {"copyright": "...", "description": "...", "docs": "https://labs.apnic.net/ipv6-data.html",
     "data": [{"raw": {"seen": 1234, "capable": 456, "capable_pc": 36.9, "preferred": 400,
                       "preferred_pc": 32.4},
               "10": {...}, "30": {...}, "60": {...}, "90": {...},
               "type": "v6economy", "date": "2024-05-01", "cc": "BR",
               "updated": "2024-05-02:04:18:16"}, ...]}

Traps:

* ``raw`` holds the day's sample counts (integers) and percentages; the
  ``"10"``/``"30"``/``"60"``/``"90"`` objects are simple moving averages over
  that many days, with fractional counts. Only ``raw`` and ``"30"`` are kept;
* percentages are 0-100, not shares;
* a day with ``seen: 0`` carries ``0.0`` percentages: that is no
  measurement, not zero adoption, and is left out;
* the keys of the smoothing windows are strings of digits (``"30"``), not
  numbers; ``updated`` is ``YYYY-MM-DD:HH:MM:SS`` (a colon before the time);
* the daily raw series is noisy for small economies (a few hundred samples a
  day): ``samples`` is kept so a reader can weight or discard days;
* an economy APNIC has no series for answers 404: it is skipped with a log
  line, not a failure (several small Caribbean territories).

Only days from :data:`FIRST_DATE` on are kept (about 4,000 days an economy).
A file that is not such an object fails the source naming it; a day whose date
or raw block cannot be read is quarantined on its own.

Requests: one per LatAm economy of the seed (49 a run), 1 a second; offline
only the sample economies (:data:`SAMPLE_COUNTRIES`) are asked for.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date
from typing import Any

from pydantic import Field

from ingestors.core.errors import FetchError
from ingestors.core.registry import FetchPlan, Record, Reject, Row, Source, Table
from ingestors.domain.countries import by_iso2, latam

log = logging.getLogger(__name__)

NAME = "apnic_ipv6"
HOST = "data1.labs.apnic.net"
BASE = f"https://{HOST}/v6stats/v6economy"
DOCS = f"https://{HOST}/ipv6-data-format.html"
FIRST_DATE = date(2015, 1, 1)
SMOOTHING = "30"  # the moving-average window kept beside the raw day
SAMPLE_COUNTRIES = ("BR", "MX", "UY")  # the economies of ingestors/samples/apnic_ipv6/, fetched offline
TABLE = "economy_days"


class EconomyDay(Row):
    country_iso2: str = Field(pattern=r"^[A-Z]{2}$")
    day: date  # the measurement day (UTC)
    samples: int = Field(ge=1)  # raw.seen: measurements APNIC counted that day
    capable_pct: float = Field(ge=0, le=100)  # raw.capable_pc: % of users able to fetch an IPv6-only object
    preferred_pct: float = Field(ge=0, le=100)  # raw.preferred_pc: % who used IPv6 for a dual-stack object
    capable_pct_30d: float | None = Field(default=None, ge=0, le=100)  # the "30" block: 30-day moving average
    preferred_pct_30d: float | None = Field(default=None, ge=0, le=100)  # the "30" block, preferred
    updated_at: str | None = None  # APNIC's "updated" stamp for the day, as published


def file_name(iso2: str) -> str:
    return f"{iso2}.json"


def economy_url(iso2: str) -> str:
    return f"{BASE}/{file_name(iso2)}"


def fetch(ctx) -> None:
    countries = SAMPLE_COUNTRIES if ctx.offline else tuple(sorted(c.iso2 for c in latam()))
    missing = []
    for iso2 in countries:
        try:
            ctx.get(file_name(iso2), economy_url(iso2))
        except FetchError as exc:
            if exc.status != 404:
                raise
            missing.append(iso2)
    if missing:
        log.info("%s: APNIC publishes no IPv6 series for %s (HTTP 404); skipped", NAME, ", ".join(missing))


# --- parse ------------------------------------------------------------------------------------


def _day(text: Any) -> date | None:
    try:
        return date.fromisoformat(text) if isinstance(text, str) and len(text) == 10 else None
    except ValueError:
        return None


def _block(item: dict, key: str) -> dict | None:
    block = item.get(key)
    return block if isinstance(block, dict) else None


def _pct(block: dict | None, key: str) -> Any:
    return block.get(key) if block else None


def days(iso2: str, body: dict, name: str) -> Iterator[Record | Reject]:
    """The kept days of one economy's file."""
    for i, item in enumerate(body["data"]):
        record_id = f"{name}#{i}"
        if not isinstance(item, dict):
            yield Reject(TABLE, record_id, "data element is not a JSON object", item)
            continue
        day, raw = _day(item.get("date")), _block(item, "raw")
        if day is None:
            yield Reject(TABLE, record_id, f"date {item.get('date')!r} is not YYYY-MM-DD", item)
            continue
        if raw is None:
            yield Reject(TABLE, record_id, "no 'raw' object", item)
            continue
        if item.get("cc") not in (None, iso2):
            yield Reject(TABLE, record_id, f"cc {item.get('cc')!r} in the file of {iso2}", item)
            continue
        if day < FIRST_DATE or raw.get("seen") == 0:
            continue  # before the kept window, or a day without measurements (its 0.0 is not a zero)
        smooth = _block(item, SMOOTHING)
        updated = item.get("updated")
        yield Record(
            TABLE,
            {
                "country_iso2": iso2, "day": day, "samples": raw.get("seen"),
                "capable_pct": raw.get("capable_pc"), "preferred_pct": raw.get("preferred_pc"),
                "capable_pct_30d": _pct(smooth, "capable_pc"), "preferred_pct_30d": _pct(smooth, "preferred_pc"),
                "updated_at": updated if isinstance(updated, str) and updated else None,
            },
            record_id=f"{iso2}/{day.isoformat()}",
            record_url=economy_url(iso2),
        )


def parse(snapshot) -> Iterator[Record | Reject]:
    known = by_iso2()
    for name in snapshot.names():
        iso2 = name.removesuffix(".json")
        if not name.endswith(".json") or iso2 not in known:
            raise snapshot.error("unexpected file: expected <LatAm ISO2>.json", file=name)
        body = snapshot.read_json(name)
        if not isinstance(body, dict) or not isinstance(body.get("data"), list):
            raise snapshot.error('expected a JSON object with a "data" list', file=name)
        yield from days(iso2, body, name)


SOURCE = Source(
    name=NAME,
    family="capacity",
    title="APNIC Labs IPv6 measurement",
    endpoint="`data1.labs.apnic.net/v6stats/v6economy/{CC}.json`, one daily series per LatAm economy",
    description="Share of each LatAm economy's Internet users able to use IPv6 (capable) and using it by "
                "preference, per day since 2015, from APNIC Labs' advertisement-based measurement.",
    homepage="https://stats.labs.apnic.net/ipv6",
    licence="(C) APNIC Pty/Ltd, re-use with attribution permitted",
    cadence="weekly",
    tables=(
        Table(TABLE, EconomyDay, ("country_iso2", "day"),
              "One row per economy and measured day: samples, IPv6-capable and IPv6-preferred percentages, "
              "raw and 30-day averaged.",
              min_rows=5, partition_by="country_iso2"),
    ),
    fetch=fetch,
    parse=parse,
    plan=FetchPlan(
        max_requests=60,  # one per LatAm economy (49), with room for retries
        rate_limits={HOST: 1.0},  # APNIC publishes no limit; the files are large (megabytes each)
    ),
)
