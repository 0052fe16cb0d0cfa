"""APNIC Labs IPv6: one documented JSON file per economy, days kept from 2015, 404s skipped, offline run."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path

import duckdb
import httpx
import pytest

from ingestors.core.errors import FetchError, PayloadError
from ingestors.core.offline import SAMPLES_DIR
from ingestors.core.pipeline import fetch_snapshot, run_source
from ingestors.core.registry import FetchPlan
from ingestors.domain.countries import latam
from ingestors.sources import apnic_ipv6 as apnic
from tests.conftest import real_capture
from tests.ingestors.helpers import parse_files

SAMPLES = SAMPLES_DIR / "apnic_ipv6"
SAMPLE_FILES = {apnic.file_name(c): SAMPLES / apnic.file_name(c) for c in apnic.SAMPLE_COUNTRIES}


def _block(seen, capable_pc, preferred_pc) -> dict:
    return {"seen": seen, "capable": 0, "capable_pc": capable_pc, "preferred": 0, "preferred_pc": preferred_pc}


def _day(day: str, cc: str = "UY", seen: int = 500, capable_pc: float = 40.0, **extra) -> dict:
    return {"raw": _block(seen, capable_pc, capable_pc - 2), "30": _block(480.5, 39.5, 37.25),
            "type": "v6economy", "date": day, "cc": cc, "updated": f"{day}:04:18:16", **extra}


def _file(*days: dict) -> bytes:
    return json.dumps({"copyright": "(C) APNIC Pty/Ltd. re-use with attribution permitted",
                       "description": "test", "docs": "https://labs.apnic.net/ipv6-data.html",
                       "data": list(days)}).encode()


def _parse(tmp_path: Path, replaced: dict[str, bytes] | None = None):
    return parse_files(tmp_path, apnic.SOURCE, {**SAMPLE_FILES, **(replaced or {})})


def _rows(result) -> dict[tuple[str, date], dict]:
    return {(r["country_iso2"], r["day"]): r for r in result.rows[apnic.TABLE]}


# --- parse ------------------------------------------------------------------------------------


def test_parse_samples(tmp_path):
    result = _parse(tmp_path)
    rows = _rows(result)
    assert len(rows) == 8  # BR 3 (a 2014 day and a day without samples left out), MX 3, UY 2
    brazil = {k: v for k, v in rows[("BR", date(2024, 6, 30))].items() if not k.startswith("_")}
    assert brazil == {
        "country_iso2": "BR", "day": date(2024, 6, 30), "samples": 10000, "capable_pct": 47.0,
        "preferred_pct": 45.0, "capable_pct_30d": 46.91, "preferred_pct_30d": 45.26,
        "updated_at": "2024-06-30:04:18:16",
    }
    assert rows[("BR", date(2024, 6, 30))]["_record_url"] == "https://data1.labs.apnic.net/v6stats/v6economy/BR.json"
    assert ("BR", date(2014, 12, 31)) not in rows and ("BR", date(2024, 7, 1)) not in rows
    assert [(q["record_id"], q["reason"]) for q in result.quarantine] == [
        ("UY.json#2", "date '2024-06-31' is not YYYY-MM-DD")]


def test_smoothing_block_is_optional_and_percentages_are_checked(tmp_path):
    no_smoothing = _day("2024-01-02")
    del no_smoothing["30"]
    too_high = _day("2024-01-03", capable_pc=140.0)
    result = _parse(tmp_path, {"UY.json": _file(_day("2024-01-01"), no_smoothing, too_high)})
    rows = _rows(result)
    assert rows[("UY", date(2024, 1, 2))]["capable_pct_30d"] is None
    assert rows[("UY", date(2024, 1, 1))]["capable_pct_30d"] == 39.5
    (q,) = result.quarantine
    assert q["record_id"] == "UY/2024-01-03" and q["reason"].startswith("capable_pct: Input should be less than")


@pytest.mark.parametrize(("item", "reason"), [
    ("2024-01-05", "data element is not a JSON object"),
    ({"date": "2024-01-05", "cc": "UY"}, "no 'raw' object"),
    (_day("05/01/2024"), "date '05/01/2024' is not YYYY-MM-DD"),
    (_day("2024-01-05", cc="AR"), "cc 'AR' in the file of UY"),
])
def test_an_unreadable_day_is_quarantined_alone(tmp_path, item, reason):
    result = _parse(tmp_path, {"UY.json": _file(_day("2024-01-04"), item)})
    assert ("UY", date(2024, 1, 4)) in _rows(result)
    assert [(q["record_id"], q["reason"]) for q in result.quarantine] == [("UY.json#1", reason)]


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("BR.json", b"<html><body>Service unavailable</body></html>", "BR.json: not JSON"),
    ("BR.json", b"[]", 'BR.json: expected a JSON object with a "data" list'),
    ("BR.json", json.dumps({"copyright": "x", "data": {"date": "2024-01-01"}}).encode(), '"data" list'),
    ("US.json", _file(_day("2024-01-01", cc="US")), "US.json: unexpected file"),
])
def test_a_wholly_bad_file_fails_the_source(tmp_path, name, content, reason):
    with pytest.raises(PayloadError) as exc:
        _parse(tmp_path, {name: content})
    message = str(exc.value)
    assert message.startswith("apnic_ipv6: bad payload in snapshot ") and reason in message
    assert "\n" not in message


# --- fetch ------------------------------------------------------------------------------------


def _unlimited():
    return dataclasses.replace(apnic.SOURCE, plan=FetchPlan(max_requests=apnic.SOURCE.plan.max_requests))


def test_fetch_asks_for_every_latam_economy_and_skips_the_ones_apnic_lacks(settings, caplog):
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        cc = request.url.path.rsplit("/", 1)[-1].removesuffix(".json")
        seen.append(cc)
        if cc in ("BL", "MF"):
            return httpx.Response(404, text="Not Found")
        return httpx.Response(200, content=_file(_day("2024-01-01", cc=cc)))

    with caplog.at_level("INFO"):
        snapshot, requests = fetch_snapshot(_unlimited(), settings, offline=False,
                                            transport=httpx.MockTransport(handler))
    countries = sorted(c.iso2 for c in latam())
    assert seen == countries and requests == len(countries) <= apnic.SOURCE.plan.max_requests
    assert len(snapshot.names()) == len(countries) - 2 and "BL.json" not in snapshot.names()
    assert "BL, MF" in caplog.text


def test_a_server_error_still_fails_the_fetch(settings):
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(403, text="Forbidden")

    with pytest.raises(FetchError, match="HTTP 403"):
        fetch_snapshot(_unlimited(), settings, offline=False, transport=httpx.MockTransport(handler))


def test_offline_run_loads_duckdb(settings):
    result = run_source(apnic.SOURCE, settings, offline=True)
    assert (result.status, result.rows, result.quarantined, result.requests) == (
        "loaded", {apnic.TABLE: 8}, 1, len(apnic.SAMPLE_COUNTRIES))
    with duckdb.connect(str(settings.working_db), read_only=True) as con:
        assert con.execute("select country_iso2, count(*), max(day) from raw_apnic_ipv6.economy_days "
                           "group by 1 order by 1").fetchall() == [
            ("BR", 3, date(2025, 6, 30)), ("MX", 3, date(2025, 6, 30)), ("UY", 2, date(2024, 6, 30))]


def test_plan():
    assert apnic.SOURCE.plan.rate_limits == {"data1.labs.apnic.net": 1.0}
    assert apnic.SOURCE.plan.max_requests >= len(latam())


def test_real_capture(tmp_path):
    """Real v6economy files, when ../shared/samples/apnic_ipv6/ holds some (named <CC>.json)."""
    folder = real_capture("apnic_ipv6")
    files = {p.name: p for p in folder.glob("*.json") if p.stem in {c.iso2 for c in latam()}}
    result = parse_files(tmp_path, apnic.SOURCE, files)
    rows = result.rows[apnic.TABLE]
    assert rows and all(r["day"] >= apnic.FIRST_DATE for r in rows)
    assert len(result.quarantine) <= len(rows) // 100
