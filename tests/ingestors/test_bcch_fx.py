"""Banco Central de Chile's dólar observado: Latin-1 JSON, day-first dates, ND days, errors behind a 200,
and credentials that reach the wire but never the snapshot."""

from __future__ import annotations

import json
from datetime import date

import httpx
import pytest

from ingestors.core.errors import PayloadError, SourceSkipped
from ingestors.core.offline import SAMPLES_DIR
from ingestors.core.pipeline import fetch_snapshot, run_source
from ingestors.sources import bcch_fx
from tests.ingestors.helpers import parse_files

SAMPLE = SAMPLES_DIR / "bcch_fx" / bcch_fx.FILE


def _body(obs, codigo=0, descripcion="Success") -> bytes:
    return json.dumps({"Codigo": codigo, "Descripcion": descripcion,
                       "Series": {"descripEsp": "Tipo de cambio nominal (dólar observado $CLP/USD)",
                                  "seriesId": bcch_fx.SERIES, "Obs": obs},
                       "SeriesInfos": []}, ensure_ascii=False).encode("latin-1")


def test_the_sample_reads_as_pesos_per_dollar(tmp_path):
    result = parse_files(tmp_path, bcch_fx.SOURCE, {bcch_fx.FILE: SAMPLE})
    rates = {r["rate_date"]: r["units_per_usd"] for r in result.rows["rates"]}
    assert rates == {date(2024, 1, 2): 884.59, date(2024, 1, 3): 889.1, date(2025, 9, 15): 962.3,
                     date(2025, 9, 16): 958.75, date(2025, 12, 31): 931.4}
    assert {r["currency"] for r in result.rows["rates"]} == {"CLP"}
    # the accented title survived the Latin-1 body
    assert result.rows["rates"][0]["series"] == "F073.TCO.PRE.Z.D (Tipo de cambio nominal (dólar observado $CLP/USD))"
    # 06-01 and 07-01 are ND/NaN (no row, not a zero); 31-11-2025 is no day (quarantined)
    assert [q["reason"] for q in result.quarantine] == ["indexDateString is not DD-MM-YYYY: '31-11-2025'"]


def test_the_sample_is_latin_1_like_the_publisher():
    raw = SAMPLE.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert "dólar" in raw.decode("latin-1")


@pytest.mark.parametrize(("obs", "kept"), [
    ({"indexDateString": "05-01-2024", "value": "", "statusCode": "ND"}, False),
    ({"indexDateString": "05-01-2024", "value": "NaN", "statusCode": "OK"}, False),
    ({"indexDateString": "05-01-2024", "value": "877", "statusCode": "OK"}, True),
])
def test_no_value_days_give_no_row(tmp_path, obs, kept):
    good = [{"indexDateString": f"0{d}-02-2024", "value": "900.5", "statusCode": "OK"} for d in (1, 2, 5)]
    result = parse_files(tmp_path, bcch_fx.SOURCE, {bcch_fx.FILE: _body([*good, obs])})
    assert (date(2024, 1, 5) in {r["rate_date"] for r in result.rows["rates"]}) is kept
    assert result.quarantine == []


@pytest.mark.parametrize(("codigo", "text"), [(-5, "Invalid username or password"),
                                              (-50, "An internal error has occurred")])
def test_an_error_behind_a_200_fails_the_source_naming_the_code(tmp_path, codigo, text):
    with pytest.raises(PayloadError, match=f"Codigo {codigo}: {text}"):
        parse_files(tmp_path, bcch_fx.SOURCE, {bcch_fx.FILE: _body(None, codigo, text)})


def test_without_credentials_the_source_is_skipped_naming_both_variables(settings, monkeypatch):
    monkeypatch.delenv(bcch_fx.USER_ENV, raising=False)
    monkeypatch.delenv(bcch_fx.PASS_ENV, raising=False)
    with pytest.raises(SourceSkipped, match="set BCCH_USER and BCCH_PASS"):
        run_source(bcch_fx.SOURCE, settings)


def test_the_credentials_reach_the_wire_and_never_the_snapshot(settings, monkeypatch):
    monkeypatch.setenv(bcch_fx.USER_ENV, "someone@example.org")
    monkeypatch.setenv(bcch_fx.PASS_ENV, "hunter2-secret")
    seen = []

    def handler(request):
        seen.append(request.url)
        return httpx.Response(200, content=SAMPLE.read_bytes(),
                              headers={"content-type": "application/json; charset=ISO-8859-1"})

    snapshot, _ = fetch_snapshot(bcch_fx.SOURCE, settings, offline=False, transport=httpx.MockTransport(handler))
    assert seen[0].params["user"] == "someone@example.org" and seen[0].params["pass"] == "hunter2-secret"
    assert seen[0].params["function"] == "GetSeries" and seen[0].params["firstdate"] == "2015-01-01"
    sidecar = "\n".join(p.read_text(errors="replace") for p in settings.warehouse_dir.rglob("*") if p.is_file())
    assert "hunter2" not in sidecar and "someone" not in sidecar
    assert snapshot.file(bcch_fx.FILE).query["pass"] == "***"
    result = run_source(bcch_fx.SOURCE, settings, offline=False, transport=httpx.MockTransport(handler))
    assert result.status in {"loaded", "unchanged"}


def test_the_record_url_shows_the_request_with_the_credentials_masked():
    url = bcch_fx.record_url({**bcch_fx.params(date(2026, 1, 5)), "user": "***", "pass": "***"})
    assert url.startswith("https://si3.bcentral.cl/SieteRestWS/SieteRestWS.ashx?function=GetSeries&timeseries="
                          "F073.TCO.PRE.Z.D&firstdate=2015-01-01&lastdate=2026-01-05")
    assert url.endswith("&user=***&pass=***")
