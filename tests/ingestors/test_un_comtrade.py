"""UN Comtrade preview: totals only, one year per answer, in-band errors and the 500-row cap fail the source."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from ingestors.core.errors import PayloadError
from ingestors.core.offline import SAMPLES_DIR
from ingestors.core.pipeline import run_source
from ingestors.domain.countries import by_iso2
from ingestors.sources import un_comtrade as comtrade
from tests.ingestors.helpers import parse_files

SAMPLE = SAMPLES_DIR / "un_comtrade" / "preview.json"


def _body() -> dict:
    return json.loads(SAMPLE.read_text())


def _parse(tmp_path: Path, answers: dict[int, bytes | Path] | None = None):
    answers = answers or {2022: SAMPLE, 2023: SAMPLE}
    return parse_files(tmp_path, comtrade.SOURCE, {comtrade.year_file(y): body for y, body in answers.items()})


def _rows(result) -> dict[tuple, dict]:
    return {(r["country_iso2"], r["year"], r["flow"], r["cmd_code"]): r for r in result.rows["trade"]}


def test_parse_sample(tmp_path):
    result = _parse(tmp_path)
    rows = _rows(result)
    assert len(rows) == 58  # 5 countries x 3 codes x 2 flows x 2 years, less Chile's unreported 2023 parts
    mexico = rows[("MX", 2022, "import", "8542")]
    assert (mexico["primary_value_usd"], mexico["cif_value_usd"], mexico["fob_value_usd"]) == (
        30_000_000_123.45, 30_000_000_123.45, None)
    assert mexico["classification_code"] == "H6" and mexico["is_reported"] is True
    assert rows[("CO", 2023, "import", "8471")]["is_reported"] is False
    assert ("CL", 2023, "import", "847330") not in rows  # not reported yet: no row, not zero
    # the partner-country row and the United States' row are dropped
    assert rows[("MX", 2023, "import", "8542")]["primary_value_usd"] == 31_800_000_123.45
    assert {r["country_iso2"] for r in result.rows["trade"]} == {"MX", "CR", "BR", "CL", "CO"}
    assert [(q["record_id"], q["reason"]) for q in result.quarantine] == [
        ("preview-2023.json#60", "primaryValue: not a number: 'n/a'")]


def test_a_row_of_another_year_is_not_that_answers(tmp_path):
    result = _parse(tmp_path, {2021: SAMPLE, 2022: SAMPLE})
    assert {r["year"] for r in result.rows["trade"]} == {2022}
    assert all(r["_snapshot_id"] for r in result.rows["trade"])


@pytest.mark.parametrize(("body", "reason"), [
    ({"elapsedTime": "0 secs", "count": 0, "data": None, "error": "Invalid period"},
     "the API answered with an error: Invalid period"),
    ({"statusCode": 429, "message": "Rate limit is exceeded."}, "no 'data' array in the answer"),
    ([], "expected a JSON object with 'data'"),
])
def test_an_in_band_error_fails_the_source(tmp_path, body, reason):
    with pytest.raises(PayloadError) as exc:
        _parse(tmp_path, {2022: SAMPLE, 2023: json.dumps(body).encode()})
    assert str(exc.value).startswith("un_comtrade: bad payload in snapshot ")
    assert f"preview-2023.json: {reason}" in str(exc.value)


def test_a_truncated_answer_fails_the_source(tmp_path):
    body = _body()
    body["data"] = body["data"][:1] * comtrade.PREVIEW_CAP
    with pytest.raises(PayloadError, match="500 rows: the preview's cap of 500, so the year is truncated"):
        _parse(tmp_path, {2022: json.dumps(body).encode()})


def test_breakdown_rows_are_not_totals(tmp_path):
    body = _body()
    by_transport = {**body["data"][0], "motCode": 1000, "primaryValue": 5.0}
    by_procedure = {**body["data"][0], "customsCode": "C01", "primaryValue": 6.0}
    body["data"] = [body["data"][0], by_transport, by_procedure]
    result = _parse(tmp_path, {2022: json.dumps(body).encode()})
    assert [r["primary_value_usd"] for r in result.rows["trade"]] == [30_000_000_123.45]


def test_years_and_params():
    assert list(comtrade.years(datetime(2026, 12, 7, tzinfo=UTC))) == list(range(2019, 2026))
    p = comtrade.params(2023)
    assert p["period"] == "2023" and p["cmdCode"] == "8542,8471,847330" and p["flowCode"] == "M,X"
    assert (p["partnerCode"], p["partner2Code"], p["customsCode"], p["motCode"]) == ("0", "0", "C00", "0")
    assert set(comtrade.M49) == set(by_iso2())
    assert len(p["reporterCode"].split(",")) == 49


def test_fetch_asks_one_year_per_call(settings):
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=SAMPLE.read_bytes(), headers={"content-type": "application/json"})

    result = run_source(comtrade.SOURCE, settings, transport=httpx.MockTransport(handler))
    expected_years = list(comtrade.years())
    assert (result.status, result.requests) == ("loaded", len(expected_years))
    assert [r.url.params["period"] for r in seen] == [str(y) for y in expected_years]
    assert all(str(r.url).startswith("https://comtradeapi.un.org/public/v1/preview/C/A/HS?") for r in seen)
    assert all("Ocp-Apim-Subscription-Key" not in r.headers for r in seen)
