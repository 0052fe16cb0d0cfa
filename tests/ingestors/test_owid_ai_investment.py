"""OWID AI investment: grapher CSVs read by column name, units and citations from the metadata, offline run."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import httpx
import pytest

from ingestors.core.errors import PayloadError
from ingestors.core.offline import SAMPLES_DIR
from ingestors.core.pipeline import run_source
from ingestors.sources import owid_ai_investment as owid
from tests.conftest import real_capture
from tests.ingestors.helpers import parse_files

SAMPLES = SAMPLES_DIR / "owid_ai_investment"
AI_INDEX, CSET = owid.SERIES


def _sample_files() -> dict[str, bytes | Path]:
    return {name: SAMPLES / name for slug in owid.SERIES for name in (owid.csv_file(slug), owid.metadata_file(slug))}


def _parse(tmp_path: Path, replaced: dict[str, bytes] | None = None):
    """Parse the sample snapshot, some of its files replaced by the given bytes."""
    return parse_files(tmp_path, owid.SOURCE, {**_sample_files(), **(replaced or {})})


def _cset_csv(text: str) -> dict[str, bytes]:
    return {owid.csv_file(CSET): text.encode()}


def _rows(result) -> dict[tuple[str, str, int, str], dict]:
    return {(r["series"], r["entity"], r["year"], r["indicator"]): r for r in result.rows["observations"]}


# --- the sample -------------------------------------------------------------------------------


def test_parse_sample(tmp_path):
    result = _parse(tmp_path)
    rows = _rows(result)
    assert len(rows) == 24
    assert [q["reason"] for q in result.quarantine] == ["Year: not a number: '20x4'"]  # the sample's bad row
    brazil = rows[(CSET, "Brazil", 2024, "Estimated investment - Field: All")]
    assert {k: v for k, v in brazil.items() if not k.startswith("_")} == {
        "series": CSET,
        "entity": "Brazil",
        "entity_code": "BRA",
        "country_iso2": "BR",
        "year": 2024,
        "indicator": "Estimated investment - Field: All",
        "value": 690_250_000.5,
        "unit": "US dollars",  # as published: the inflation adjustment is only in the description
        "citation": "Center for Security and Emerging Technology (2024) – with major processing by Our World in Data",
    }
    assert brazil["_record_id"] == f"{CSET}/Brazil/2024/Estimated investment - Field: All"
    assert brazil["_record_url"] == f"https://ourworldindata.org/grapher/{CSET}"

    world = rows[(AI_INDEX, "World", 2024, "Private investment")]
    assert (world["entity_code"], world["country_iso2"], world["unit"]) == ("OWID_WRL", None, "constant 2021 US$")
    assert world["value"] == 141_500_000_000.0
    assert rows[(AI_INDEX, "United States", 2023, "Private investment")]["country_iso2"] is None
    latam = {r["country_iso2"] for r in result.rows["observations"] if r["country_iso2"]}
    assert latam == {"AR", "BR", "CL", "CO", "MX"}


def test_several_indicator_columns_and_empty_cells(tmp_path):
    text = ("Entity,Code,Year,Estimated investment - Field: All,Disclosed investment - Field: All\n"
            "Brazil,BRA,2023,515000000,\n"
            "Brazil,BRA,2024,,401000000\n"
            "Latin America and the Caribbean,,2024,1500000000,1200000000\n")
    rows = _rows(_parse(tmp_path, _cset_csv(text)))
    cset = {key: row for key, row in rows.items() if key[0] == CSET}
    assert sorted((e, y, i[:9]) for _, e, y, i in cset) == [
        ("Brazil", 2023, "Estimated"), ("Brazil", 2024, "Disclosed"),
        ("Latin America and the Caribbean", 2024, "Disclosed"), ("Latin America and the Caribbean", 2024, "Estimated"),
    ]
    region = cset[(CSET, "Latin America and the Caribbean", 2024, "Disclosed investment - Field: All")]
    assert (region["entity_code"], region["country_iso2"]) == (None, None)
    # a column the metadata does not describe: no unit, the chart's citation
    assert (region["unit"], region["citation"]) == (None, "Center for Security and Emerging Technology (2024)")


@pytest.mark.parametrize(("line", "reason"), [
    ("Brazil,BRA,2024a,1", "Year: not a number: '2024a'"),
    ("Brazil,BRA,2024,1.2e", "Estimated investment - Field: All: not a number: '1.2e'"),
    ("Brazil,BRA,2024,inf", "Estimated investment - Field: All: not a finite number: 'inf'"),
    (",BRA,2024,1", "Entity is empty"),
    ("Brazil,BRA,2024,1,2", "row has 5 cells, the header 4"),
])
def test_an_unreadable_row_is_quarantined_alone(tmp_path, line, reason):
    text = f"Entity,Code,Year,Estimated investment - Field: All\nMexico,MEX,2024,264000000\n{line}\n"
    result = _parse(tmp_path, _cset_csv(text))
    refused = [(q["record_id"], q["reason"]) for q in result.quarantine if q["record_id"].startswith(CSET)]
    assert refused == [(f"{CSET}.csv line 3", reason)]
    assert (CSET, "Mexico", 2024, "Estimated investment - Field: All") in _rows(result)


# --- wholly bad payloads ------------------------------------------------------------------------


@pytest.mark.parametrize(("replaced", "reason"), [
    (_cset_csv("<!DOCTYPE html><html>Not found</html>"),
     f"{CSET}.csv: got HTML or XML, not CSV; starts '<!DOCTYPE html><html>"),
    (_cset_csv("Country,Year,Investment\nBrazil,2024,1\n"),
     f"{CSET}.csv: expected a header starting Entity,Code,Year; got 'Country,Year,Investment'"),
    (_cset_csv("Entity,Code,Year\nBrazil,BRA,2024\n"), f"{CSET}.csv: no indicator column after Entity,Code,Year"),
    ({owid.metadata_file(AI_INDEX): b"[]"},
     f"{AI_INDEX}.metadata.json: expected a JSON object with a 'columns' object"),
    ({owid.metadata_file(AI_INDEX): b"<html>"},
     f"{AI_INDEX}.metadata.json: not JSON"),
])
def test_a_wholly_bad_file_fails_the_source(tmp_path, replaced, reason):
    with pytest.raises(PayloadError) as exc:
        _parse(tmp_path, replaced)
    message = str(exc.value)
    assert message.startswith("owid_ai_investment: bad payload in snapshot ") and reason in message
    assert "\n" not in message


def test_a_missing_metadata_file_fails_the_source(tmp_path):
    files = _sample_files()
    del files[owid.metadata_file(CSET)]
    with pytest.raises(PayloadError, match=f"file '{CSET}.metadata.json' is missing from the snapshot"):
        parse_files(tmp_path, owid.SOURCE, files)


# --- fetch and offline run --------------------------------------------------------------------


def test_fetch_asks_for_both_files_of_both_charts_conditionally(settings):
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        name = request.url.path.rsplit("/", 1)[-1]
        if request.headers.get("if-none-match") == f'"{name}"':
            return httpx.Response(304, headers={"etag": f'"{name}"'})
        return httpx.Response(200, content=(SAMPLES / name).read_bytes(), headers={"etag": f'"{name}"'})

    first = run_source(owid.SOURCE, settings, transport=httpx.MockTransport(handler))
    second = run_source(owid.SOURCE, settings, transport=httpx.MockTransport(handler))
    assert (first.status, first.requests, first.rows) == ("loaded", 4, {"observations": 24})
    assert (second.status, second.requests) == ("unchanged", 4)
    query = "v=1&csvType=full&useColumnShortNames=false"
    assert [str(r.url) for r in seen[:4]] == [
        f"https://ourworldindata.org/grapher/{AI_INDEX}.metadata.json?{query}",
        f"https://ourworldindata.org/grapher/{AI_INDEX}.csv?{query}",
        f"https://ourworldindata.org/grapher/{CSET}.metadata.json?{query}",
        f"https://ourworldindata.org/grapher/{CSET}.csv?{query}",
    ]
    assert all("if-none-match" in r.headers for r in seen[4:])


def test_offline_run_loads_duckdb(settings):
    result = run_source(owid.SOURCE, settings, offline=True)
    assert (result.status, result.rows, result.quarantined, result.requests) == (
        "loaded", {"observations": 24}, 1, 4)
    with duckdb.connect(str(settings.working_db), read_only=True) as con:
        assert con.execute("select country_iso2, sum(value) from raw_owid_ai_investment.observations "
                           "where country_iso2 is not null and year = 2024 group by 1 order by 1").fetchall() == [
            ("AR", 88_500_000.0), ("BR", 690_250_000.5), ("CL", 57_300_000.0), ("CO", 121_000_000.0),
            ("MX", 264_000_000.0)]


def test_plan():
    assert owid.SOURCE.plan.rate_limits == {"ourworldindata.org": 1.0}
    assert all((SAMPLES / name).is_file() for name in _sample_files())


def test_the_sample_metadata_describes_every_sample_column():
    for slug in owid.SERIES:
        header = (SAMPLES / owid.csv_file(slug)).read_text().splitlines()[0].split(",")
        columns = json.loads((SAMPLES / owid.metadata_file(slug)).read_text())["columns"]
        assert set(header[3:]) == set(columns)


# --- a real capture, when one is present ------------------------------------------------------


def test_real_capture(tmp_path):
    folder = real_capture("owid_ai_investment")
    files = {name: folder / name for name in _sample_files()}
    result = parse_files(tmp_path, owid.SOURCE, files)
    rows = result.rows["observations"]
    assert result.quarantine == []
    assert {r["series"] for r in rows} == set(owid.SERIES)
    assert any(r["entity_code"] == "OWID_WRL" for r in rows)
    assert all(r["unit"] for r in rows)
