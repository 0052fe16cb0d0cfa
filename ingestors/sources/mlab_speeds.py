"""M-Lab: measured Internet speed (NDT tests) per LatAm country and day, from M-Lab's statistics archive.

Endpoint: ``GET https://statistics.measurementlab.net/v0/{continent}/{CC}/{year}/histogram_daily_stats.json``,
one public file per continent, country and year (no key, no BigQuery). The format
is documented in M-Lab's stats-pipeline repository ("Statistics Output Format"):
a JSON array with, for each day, one object per throughput histogram bucket
(eight buckets, so about 365 x 8 objects a year). Every object of a day repeats
the day's summary statistics::

    {"date": "2023-05-01", "bucket_min": 0, "bucket_max": 1.778,
     "dl_samples_bucket": 10695, "dl_frac_bucket": 0.057, "dl_samples_day": 188725,
     "download_MIN": 0, "download_Q25": 8.141, "download_MED": 31.95, "download_AVG": 79.745,
     "download_Q75": 97.572, "download_MAX": 3655.15, "download_minRTT_MED": 25,
     "ul_samples_day": 183326, "upload_MED": 7.857, "upload_minRTT_MED": 23.83, ...}

Speeds are megabits per second (``MeanThroughputMbps`` of each test), round
trips milliseconds; ``*_samples_day`` counts one randomly chosen test per client
IP and day. M-Lab test data is CC0; cite "The M-Lab NDT Data Set" with the dates
used (https://measurementlab.net/tests/ndt).

Traps:

* the archive is **frozen**: the statistics pipeline's last write was on
  2024-03-28 (observed on the public bucket by third parties in August 2026),
  so the series ends in March 2024. The files are fetched conditionally (the
  bucket sends ETags), so a monthly refresh costs 304s until M-Lab resumes;
* the day's statistics are repeated on each bucket row: the parser keeps one
  row per day and checks the repeats agree (a day whose buckets disagree is
  quarantined rather than one of them picked);
* NDT measures the people who choose to run a test (speed-test users, Google's
  "test your speed" box): a measure of experienced throughput, not of the
  network's capacity, and biased toward the connected;
* the continent segment is M-Lab's two-letter continent code: ``SA`` for South
  America, ``NA`` for Mexico, Central America and the Caribbean
  (:func:`continent`); a country-year M-Lab has no file for answers 404 and is
  skipped with a log line.

Requests: one per LatAm country and year from :data:`FIRST_YEAR` to
:data:`LAST_YEAR` (49 x 5 = 245 a run, most of them 304 once fetched); offline
only the sample's country-years (:data:`SAMPLE_FILES`). A file that is not a JSON
array fails the source naming it; a day that cannot be read is quarantined.
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

NAME = "mlab_speeds"
HOST = "statistics.measurementlab.net"
BASE = f"https://{HOST}/v0"
FILE = "histogram_daily_stats.json"
FIRST_YEAR, LAST_YEAR = 2020, 2024  # the archive's years; it stopped on 2024-03-28
SAMPLE_FILES = (("BR", 2023), ("BR", 2024), ("CL", 2023))  # ingestors/samples/mlab_speeds/, fetched offline
TABLE = "country_days"
# The day's statistics kept, as (row model field, JSON key); all are repeated on every bucket row of a day.
STATS = (
    ("download_median_mbps", "download_MED"), ("download_q25_mbps", "download_Q25"),
    ("download_q75_mbps", "download_Q75"), ("download_mean_mbps", "download_AVG"),
    ("download_min_rtt_median_ms", "download_minRTT_MED"), ("download_samples", "dl_samples_day"),
    ("upload_median_mbps", "upload_MED"), ("upload_samples", "ul_samples_day"),
)


class CountryDay(Row):
    country_iso2: str = Field(pattern=r"^[A-Z]{2}$")
    day: date  # the test day (UTC)
    download_median_mbps: float | None = Field(ge=0)  # download_MED: median download throughput that day, Mbps
    download_q25_mbps: float | None = Field(ge=0)  # download_Q25
    download_q75_mbps: float | None = Field(ge=0)  # download_Q75
    download_mean_mbps: float | None = Field(ge=0)  # download_AVG (pulled up by a few fast lines)
    download_min_rtt_median_ms: float | None = Field(ge=0)  # download_minRTT_MED: median minimum round trip, ms
    download_samples: int | None = Field(ge=0)  # dl_samples_day: download tests (one per client IP) that day
    upload_median_mbps: float | None = Field(ge=0)  # upload_MED
    upload_samples: int | None = Field(ge=0)  # ul_samples_day


def continent(iso2: str) -> str:
    """M-Lab's continent segment of a LatAm country's path."""
    return "SA" if by_iso2()[iso2].subregion == "south_america" else "NA"


def file_name(iso2: str, year: int) -> str:
    return f"{iso2}-{year}.json"


def country_url(iso2: str, year: int) -> str:
    return f"{BASE}/{continent(iso2)}/{iso2}/{year}/{FILE}"


def fetch(ctx) -> None:
    wanted = SAMPLE_FILES if ctx.offline else tuple(
        (c.iso2, y) for c in sorted(latam(), key=lambda c: c.iso2) for y in range(FIRST_YEAR, LAST_YEAR + 1))
    missing = []
    for iso2, year in wanted:
        try:
            ctx.get(file_name(iso2, year), country_url(iso2, year))
        except FetchError as exc:
            if exc.status != 404:
                raise
            missing.append(f"{iso2} {year}")
    if missing:
        log.info("%s: M-Lab has no statistics file for %s (HTTP 404); skipped", NAME, ", ".join(missing))


# --- parse ------------------------------------------------------------------------------------


def _day(text: Any) -> date | None:
    try:
        return date.fromisoformat(text) if isinstance(text, str) and len(text) == 10 else None
    except ValueError:
        return None


def _stats(item: dict) -> dict[str, Any]:
    return {field: item.get(key) for field, key in STATS}


def days(iso2: str, rows: list, name: str, url: str) -> Iterator[Record | Reject]:
    """One record per day of a country-year file, from the day's bucket rows."""
    found: dict[date, tuple[str, dict[str, Any]]] = {}
    conflicting: set[date] = set()
    for i, item in enumerate(rows):
        record_id = f"{name}#{i}"
        if not isinstance(item, dict):
            yield Reject(TABLE, record_id, "array element is not a JSON object", item)
            continue
        day = _day(item.get("date"))
        if day is None:
            yield Reject(TABLE, record_id, f"date {item.get('date')!r} is not YYYY-MM-DD", item)
            continue
        stats = _stats(item)
        if day not in found:
            found[day] = (record_id, stats)
        elif found[day][1] != stats and day not in conflicting:
            conflicting.add(day)
            yield Reject(TABLE, f"{iso2}/{day.isoformat()}", "the day's bucket rows disagree on its statistics", item)
    for day, (_, stats) in sorted(found.items()):
        if day in conflicting:
            continue
        if stats["download_samples"] == 0 and stats["upload_samples"] == 0:
            continue  # no tests that day: its zeros are not speeds
        yield Record(TABLE, {"country_iso2": iso2, "day": day, **stats},
                     record_id=f"{iso2}/{day.isoformat()}", record_url=url)


def parse(snapshot) -> Iterator[Record | Reject]:
    known = by_iso2()
    for name in snapshot.names():
        stem = name.removesuffix(".json")
        iso2, _, year = stem.partition("-")
        if not name.endswith(".json") or iso2 not in known or not (year.isdigit() and len(year) == 4):
            raise snapshot.error("unexpected file: expected <LatAm ISO2>-<year>.json", file=name)
        body = snapshot.read_json(name)
        if not isinstance(body, list):
            raise snapshot.error("expected a JSON array of daily histogram rows", file=name)
        yield from days(iso2, body, name, country_url(iso2, int(year)))


SOURCE = Source(
    name=NAME,
    family="capacity",
    title="M-Lab NDT speed statistics",
    endpoint=("`statistics.measurementlab.net/v0/{continent}/{CC}/{year}/histogram_daily_stats.json`, "
              "per LatAm country, 2020-2024 (the archive stopped in March 2024)"),
    description="Measured download and upload throughput and round-trip time of M-Lab NDT tests per LatAm "
                "country and day (daily median, quartiles, mean, samples), from M-Lab's public statistics archive.",
    homepage="https://www.measurementlab.net/tests/ndt/",
    licence="CC0 (The M-Lab NDT Data Set, https://measurementlab.net/tests/ndt)",
    cadence="monthly",
    tables=(
        Table(TABLE, CountryDay, ("country_iso2", "day"),
              "One row per country and day with NDT tests: median, quartiles and mean download throughput (Mbps), "
              "median minimum round trip (ms), median upload, and the day's test counts.",
              min_rows=5, partition_by="country_iso2"),
    ),
    fetch=fetch,
    parse=parse,
    plan=FetchPlan(
        max_requests=300,  # 49 countries x 5 years, with room for retries
        rate_limits={HOST: 2.0},
        # offline: the sample of each country-year, by the path's country and year segments
        sample_routes={f"{HOST}/v0/*/{c}/{y}/{FILE}": file_name(c, y) for c, y in SAMPLE_FILES},
    ),
)
