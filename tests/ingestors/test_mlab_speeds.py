"""M-Lab speeds: one row per day from the day's bucket rows, disagreeing buckets refused, 404s skipped, offline run."""

from __future__ import annotations

import dataclasses
import json
from datetime import date

import duckdb
import httpx
import pytest

from ingestors.core.errors import PayloadError
from ingestors.core.offline import SAMPLES_DIR
from ingestors.core.pipeline import fetch_snapshot, run_source
from ingestors.core.registry import FetchPlan
from ingestors.domain.countries import latam
from ingestors.sources import mlab_speeds as mlab
from tests.conftest import real_capture
from tests.ingestors.helpers import parse_files

SAMPLES = SAMPLES_DIR / "mlab_speeds"
SAMPLE_FILES = {mlab.file_name(c, y): SAMPLES / mlab.file_name(c, y) for c, y in mlab.SAMPLE_FILES}


def _bucket(day: str, b: int, dl: float = 40.0, n: int = 100, **extra) -> dict:
    return {"date": day, "bucket_min": b, "bucket_max": b + 1, "dl_samples_bucket": n // 8, "dl_frac_bucket": 0.125,
            "dl_samples_day": n, "download_MIN": 0, "download_Q25": dl / 2, "download_MED": dl,
            "download_AVG": dl * 2, "download_Q75": dl * 3, "download_MAX": 900, "download_minRTT_MED": 20,
            "ul_samples_day": n, "upload_MED": dl / 4, "upload_minRTT_MED": 19, **extra}


def _day(day: str, **kw) -> list[dict]:
    return [_bucket(day, b, **kw) for b in range(8)]


def _parse(tmp_path, replaced: dict[str, bytes] | None = None):
    return parse_files(tmp_path, mlab.SOURCE, {**SAMPLE_FILES, **(replaced or {})})


def _rows(result) -> dict[tuple[str, date], dict]:
    return {(r["country_iso2"], r["day"]): r for r in result.rows[mlab.TABLE]}


def test_parse_samples(tmp_path):
    result = _parse(tmp_path)
    rows = _rows(result)
    assert sorted(rows) == [("BR", date(2023, 5, 1)), ("BR", date(2023, 11, 1)), ("BR", date(2024, 2, 1)),
                            ("CL", date(2023, 5, 1)), ("CL", date(2023, 11, 1))]
    chile = {k: v for k, v in rows[("CL", date(2023, 11, 1))].items() if not k.startswith("_")}
    assert chile == {
        "country_iso2": "CL", "day": date(2023, 11, 1), "download_median_mbps": 95.0, "download_q25_mbps": 38.0,
        "download_q75_mbps": 237.5, "download_mean_mbps": 180.5, "download_min_rtt_median_ms": 17.0,
        "download_samples": 22000, "upload_median_mbps": 33.5, "upload_samples": 21000,
    }
    assert rows[("CL", date(2023, 11, 1))]["_record_url"] == (
        "https://statistics.measurementlab.net/v0/SA/CL/2023/histogram_daily_stats.json")
    # 2024-02-02 had no tests (left out); 2024-02-03's buckets disagree (refused)
    assert [(q["record_id"], q["reason"]) for q in result.quarantine] == [
        ("BR/2024-02-03", "the day's bucket rows disagree on its statistics")]


@pytest.mark.parametrize(("rows", "reason"), [
    ([*_day("2023-01-02"), "oops"], "array element is not a JSON object"),
    ([*_day("2023-01-02"), _bucket("2023-02-30", 0)], "date '2023-02-30' is not YYYY-MM-DD"),
])
def test_an_unreadable_row_is_quarantined_alone(tmp_path, rows, reason):
    result = _parse(tmp_path, {"UY-2023.json": json.dumps(rows).encode()})
    assert ("UY", date(2023, 1, 2)) in _rows(result)
    assert [(q["record_id"], q["reason"]) for q in result.quarantine if q["record_id"].startswith("UY")] == [
        ("UY-2023.json#8", reason)]


def test_a_negative_speed_is_quarantined(tmp_path):
    result = _parse(tmp_path, {"UY-2023.json": json.dumps(_day("2023-01-02", dl=-1.0)).encode()})
    (q,) = [q for q in result.quarantine if q["record_id"].startswith("UY")]
    assert q["reason"].startswith("download_median_mbps: Input should be greater than or equal to 0")


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("BR-2023.json", b"<html>NoSuchKey</html>", "BR-2023.json: not JSON"),
    ("BR-2023.json", b'{"date": "2023-01-01"}', "BR-2023.json: expected a JSON array of daily histogram rows"),
    ("US-2023.json", b"[]", "US-2023.json: unexpected file"),
    ("BR-23.json", b"[]", "BR-23.json: unexpected file"),
])
def test_a_wholly_bad_file_fails_the_source(tmp_path, name, content, reason):
    with pytest.raises(PayloadError) as exc:
        _parse(tmp_path, {name: content})
    message = str(exc.value)
    assert message.startswith("mlab_speeds: bad payload in snapshot ") and reason in message
    assert "\n" not in message


def test_continents():
    assert (mlab.continent("BR"), mlab.continent("AR"), mlab.continent("MX"), mlab.continent("CR"),
            mlab.continent("JM")) == ("SA", "SA", "NA", "NA", "NA")
    assert mlab.country_url("MX", 2022) == "https://statistics.measurementlab.net/v0/NA/MX/2022/histogram_daily_stats.json"


def test_fetch_asks_for_every_country_year_and_skips_the_missing(settings, caplog):
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        _, _, continent, cc, year, _ = request.url.path.split("/")
        seen.append(f"{continent}/{cc}/{year}")
        if cc == "MS":
            return httpx.Response(404, text="NoSuchKey")
        return httpx.Response(200, content=json.dumps(_day(f"{year}-01-02")).encode())

    plan = FetchPlan(max_requests=mlab.SOURCE.plan.max_requests)
    with caplog.at_level("INFO"):
        snapshot, requests = fetch_snapshot(dataclasses.replace(mlab.SOURCE, plan=plan), settings, offline=False,
                                            transport=httpx.MockTransport(handler))
    years = mlab.LAST_YEAR - mlab.FIRST_YEAR + 1
    assert requests == len(seen) == len(latam()) * years <= mlab.SOURCE.plan.max_requests
    assert seen[:2] == ["NA/AG/2020", "NA/AG/2021"] and "SA/BR/2024" in seen
    assert len(snapshot.names()) == (len(latam()) - 1) * years
    assert "MS 2020" in caplog.text


def test_offline_run_loads_duckdb(settings):
    result = run_source(mlab.SOURCE, settings, offline=True)
    assert (result.status, result.rows, result.quarantined, result.requests) == (
        "loaded", {mlab.TABLE: 5}, 1, len(mlab.SAMPLE_FILES))
    with duckdb.connect(str(settings.working_db), read_only=True) as con:
        assert con.execute("select country_iso2, count(*), max(download_median_mbps) from raw_mlab_speeds.country_days "
                           "group by 1 order by 1").fetchall() == [("BR", 3, 52.5), ("CL", 2, 95.0)]


def test_real_capture(tmp_path):
    """Real country-year files, when ../shared/samples/mlab_speeds/ holds some (named <CC>-<year>.json)."""
    folder = real_capture("mlab_speeds")
    files = {p.name: p for p in folder.glob("*-*.json")}
    result = parse_files(tmp_path, mlab.SOURCE, files)
    rows = result.rows[mlab.TABLE]
    assert rows and all(r["download_median_mbps"] is None or r["download_median_mbps"] >= 0 for r in rows)
    assert len(result.quarantine) <= len(rows) // 100
