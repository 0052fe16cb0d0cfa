"""ECB reference rates: the history ZIP read cell by cell, N/A skipped, conditional fetch, offline run."""

from __future__ import annotations

import importlib.util
import io
import zipfile
from collections import Counter
from datetime import date
from pathlib import Path

import duckdb
import httpx
import pytest

from ingestors.core.errors import PayloadError
from ingestors.core.offline import SAMPLES_DIR
from ingestors.core.pipeline import run_source
from ingestors.sources import ecb_fx
from tests.conftest import real_capture
from tests.ingestors.helpers import parse_files

SAMPLE = SAMPLES_DIR / "ecb_fx" / "eurofxref-hist.zip"
GENERATOR = Path(__file__).parent / "fixtures" / "ecb_fx" / "make_sample.py"


def _generator():
    spec = importlib.util.spec_from_file_location("ecb_fx_make_sample", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_sample = _generator()


def _parse(tmp_path: Path, content: bytes | Path):
    return parse_files(tmp_path, ecb_fx.SOURCE, {ecb_fx.FILE: content}, {ecb_fx.FILE: ecb_fx.ZIP_URL})


def _rates(result) -> dict[tuple[date, str], float]:
    return {(r["rate_date"], r["currency"]): r["units_per_eur"] for r in result.rows["rates"]}


def _with_cells(changes: dict[tuple[int, str], str]) -> bytes:
    """The sample CSV with some cells replaced: (data line index, column name) -> text."""
    lines = make_sample.csv_text().splitlines()
    header = lines[0].split(",")
    for (index, column), text in changes.items():
        cells = lines[index + 1].split(",")
        cells[header.index(column)] = text
        lines[index + 1] = ",".join(cells)
    return make_sample.zip_bytes("\n".join(lines) + "\n")


# --- the sample -------------------------------------------------------------------------------


def test_the_sample_is_what_the_generator_writes():
    with zipfile.ZipFile(SAMPLE) as archive:
        assert archive.namelist() == [ecb_fx.CSV_MEMBER]
        assert archive.read(ecb_fx.CSV_MEMBER).decode() == make_sample.csv_text()


# The sample's bad record: the row whose MXN rate is written with a decimal comma.
BAD_ROW = ("eurofxref-hist.csv line 12", "9 cells, the header has 8: a comma inside a rate?")


def test_parse_sample(tmp_path):
    result = _parse(tmp_path, SAMPLE)
    rates = _rates(result)
    # 15 business days x 5 quoted currencies, but for the row whose MXN rate has a decimal comma (refused whole)
    assert len(rates) == 70
    assert [(q["record_id"], q["reason"]) for q in result.quarantine] == [BAD_ROW]
    assert Counter(currency for _, currency in rates) == {"USD": 14, "JPY": 14, "GBP": 14, "BRL": 14, "MXN": 14}
    assert min(day for day, _ in rates) == date(2025, 1, 6) and max(day for day, _ in rates) == date(2025, 1, 24)
    assert rates[(date(2025, 1, 24), "USD")] == 1.0478  # the first line is the newest day
    assert rates[(date(2025, 1, 6), "BRL")] == 6.31
    assert rates[(date(2025, 1, 6), "JPY")] == 162.4
    row = next(r for r in result.rows["rates"] if (r["rate_date"], r["currency"]) == (date(2025, 1, 24), "MXN"))
    assert (row["_record_id"], row["_record_url"]) == ("2025-01-24/MXN", ecb_fx.ZIP_URL)


def test_na_and_empty_cells_are_skipped_not_zero(tmp_path):
    rates = _rates(_parse(tmp_path, _with_cells({(0, "BRL"): "N/A", (1, "MXN"): ""})))
    assert len(rates) == 68
    assert (date(2025, 1, 24), "BRL") not in rates and (date(2025, 1, 23), "MXN") not in rates
    assert not any(currency == "HRK" for _, currency in rates)


@pytest.mark.parametrize(("cell", "reason"), [
    ("abc", "BRL: not a number: 'abc'"),
    ("0", "BRL: not a positive number: '0'"),
    ("-1.2", "BRL: not a positive number: '-1.2'"),
])
def test_an_unreadable_rate_is_quarantined_alone(tmp_path, cell, reason):
    result = _parse(tmp_path, _with_cells({(0, "BRL"): cell}))
    assert [(q["record_id"], q["reason"]) for q in result.quarantine][:1] == [("2025-01-24/BRL", reason)]
    assert (date(2025, 1, 24), "USD") in _rates(result)


def test_a_row_with_an_unreadable_date_is_quarantined(tmp_path):
    result = _parse(tmp_path, _with_cells({(2, "Date"): "22/01/2025"}))
    assert [(q["record_id"], q["reason"]) for q in result.quarantine] == [
        ("eurofxref-hist.csv line 4", "Date: not a date (YYYY-MM-DD): '22/01/2025'"), BAD_ROW]
    assert len(result.rows["rates"]) == 65


# --- wholly bad payloads ------------------------------------------------------------------------


@pytest.mark.parametrize(("content", "reason"), [
    (b"<!DOCTYPE html><html><title>ECB</title></html>", "not a ZIP archive; starts '<!DOCTYPE html><html>"),
    (make_sample.zip_bytes(member="eurofxref.csv"), "no eurofxref-hist.csv in the ZIP (it holds: eurofxref.csv)"),
    (make_sample.zip_bytes("Datum,USD,\n2025-01-24,1.04,\n"),
     "eurofxref-hist.csv: expected a header starting 'Date', got 'Datum,USD,'"),
    (make_sample.zip_bytes("Date,USD,\n"), "table rates got 0 rows, expected at least 50"),
])
def test_a_wholly_bad_payload_fails_the_source(tmp_path, content, reason):
    with pytest.raises(PayloadError) as exc:
        _parse(tmp_path, content)
    message = str(exc.value)
    assert message.startswith("ecb_fx: bad payload in snapshot ") and reason in message
    assert "\n" not in message


# --- fetch and offline run --------------------------------------------------------------------


def test_fetch_is_one_conditional_request(settings):
    body = SAMPLE.read_bytes()
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.headers.get("if-none-match") == '"fx-1"':
            return httpx.Response(304, headers={"etag": '"fx-1"'})
        return httpx.Response(200, content=body, headers={"etag": '"fx-1"', "content-type": "application/zip"})

    first = run_source(ecb_fx.SOURCE, settings, transport=httpx.MockTransport(handler))
    second = run_source(ecb_fx.SOURCE, settings, transport=httpx.MockTransport(handler))
    assert (first.status, first.requests, first.rows, first.quarantined) == ("loaded", 1, {"rates": 70}, 1)
    assert (second.status, second.requests, second.snapshot_id) == ("unchanged", 1, first.snapshot_id)
    assert [str(r.url) for r in seen] == [ecb_fx.ZIP_URL, ecb_fx.ZIP_URL]
    assert "if-none-match" not in seen[0].headers and seen[1].headers["if-none-match"] == '"fx-1"'


def test_offline_run_loads_duckdb(settings):
    result = run_source(ecb_fx.SOURCE, settings, offline=True)
    assert (result.status, result.rows, result.quarantined, result.requests) == ("loaded", {"rates": 70}, 1, 1)
    with duckdb.connect(str(settings.working_db), read_only=True) as con:
        assert con.execute("select units_per_eur from raw_ecb_fx.rates "
                           "where currency = 'BRL' and rate_date = date '2025-01-24'").fetchone() == (6.1,)


def test_plan():
    assert ecb_fx.SOURCE.plan.rate_limits == {"www.ecb.europa.eu": 1.0}
    assert (ecb_fx.SOURCE.family, ecb_fx.SOURCE.cadence) == ("funding", "daily")


# --- the real capture -------------------------------------------------------------------------


def test_real_capture(tmp_path):
    path = real_capture("ecb_fx", "eurofxref-hist.csv")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(path, ecb_fx.CSV_MEMBER)
    result = _parse(tmp_path, buffer.getvalue())
    rows = result.rows["rates"]
    assert len(rows) == 210_545 and result.quarantine == []
    per_currency = Counter(r["currency"] for r in rows)
    assert len(per_currency) == 41 and (per_currency["BRL"], per_currency["MXN"]) == (4443, 4443)
    days = {r["rate_date"] for r in rows}
    assert (len(days), min(days), max(days)) == (6747, date(1999, 1, 4), date(2025, 5, 9))
    brl = [r["rate_date"] for r in rows if r["currency"] == "BRL"]
    assert min(brl) == date(2008, 1, 2)  # N/A before the ECB quoted it
