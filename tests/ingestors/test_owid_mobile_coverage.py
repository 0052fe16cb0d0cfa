"""OWID mobile coverage: the 2G-5G columns read by their short names, LatAm + US + World kept, offline run."""

from __future__ import annotations

import json

import duckdb
import httpx
import pytest

from ingestors.core.errors import PayloadError
from ingestors.core.offline import SAMPLES_DIR
from ingestors.core.pipeline import run_source
from ingestors.sources import owid_mobile_coverage as cov
from ingestors.sources.owid_ai_investment import csv_file, metadata_file
from tests.conftest import real_capture
from tests.ingestors.helpers import parse_files

SAMPLES = SAMPLES_DIR / "owid_mobile_coverage"
CSV, META = csv_file(cov.SLUG), metadata_file(cov.SLUG)
HEADER = "entity,code,year," + ",".join(cov.GENERATIONS.values())


def _parse(tmp_path, replaced: dict[str, bytes] | None = None):
    return parse_files(tmp_path, cov.SOURCE, {CSV: SAMPLES / CSV, META: SAMPLES / META, **(replaced or {})})


def _rows(result) -> dict[tuple[str, int, str], dict]:
    return {(r["entity"], r["year"], r["generation"]): r for r in result.rows[cov.TABLE]}


def test_parse_sample(tmp_path):
    result = _parse(tmp_path)
    rows = _rows(result)
    assert len(rows) == 31
    brazil = {k: v for k, v in rows[("Brazil", 2023, "4G")].items() if not k.startswith("_")}
    assert brazil == {
        "entity": "Brazil", "entity_code": "BRA", "country_iso2": "BR", "year": 2023, "generation": "4G",
        "population_covered_pct": 96.5, "series_column": "_9_c_1__it_mob_4gntwk", "unit": "%",
        "citation": "International Telecommunication Union (via UN SDG Indicators Database) (2025) – processed by "
                    "Our World in Data",
    }
    assert ("Argentina", 2022, "5G") not in rows  # an empty cell is no observation
    assert rows[("World", 2023, "5G")]["entity_code"] == "OWID_WRL"
    assert rows[("United States", 2023, "2G")]["country_iso2"] is None
    assert not any(e in ("Canada", "Americas") for e, _, _ in rows)  # out of scope
    assert [(q["record_id"], q["reason"]) for q in result.quarantine] == [
        (f"{CSV} line 8", "_9_c_1__it_mob_5gntwk: not a number: 'x7'")]


@pytest.mark.parametrize(("line", "reason"), [
    ("Mexico,MEX,20x3,90,80,70,10", "year: not a number: '20x3'"),
    ("Mexico,MEX,2023,90,80,170,10", "population_covered_pct: Input should be less than or equal to 100"),
    ("Mexico,MEX,2023,90,80", "row has 5 cells, the header 7"),
])
def test_an_unreadable_row_is_quarantined_alone(tmp_path, line, reason):
    good = "Chile,CHL,2023,99,98,97,80\nBrazil,BRA,2023,99,97,96,45\nWorld,OWID_WRL,2023,97,95,90,40\n"
    text = f"{HEADER}\n{good}{line}\n"
    result = _parse(tmp_path, {CSV: text.encode()})
    assert ("Chile", 2023, "5G") in _rows(result)
    (q,) = result.quarantine
    assert q["reason"].startswith(reason)


def test_an_older_download_without_5g_is_read(tmp_path):
    """Files saved from the chart page before 5G was added: capitalised Entity,Code,Year, 4G first, no 5G."""
    text = ("Entity,Code,Year,_9_c_1__it_mob_4gntwk,_9_c_1__it_mob_3gntwk,_9_c_1__it_mob_2gntwk\n"
            "Chile,CHL,2019,90.5,97,99\nChile,CHL,2012,,60.25,\nPeru,PER,2019,70,85.5,95\n"
            "World,OWID_WRL,2019,80,90,95\n")
    rows = _rows(_parse(tmp_path, {CSV: text.encode()}))
    assert rows[("Chile", 2019, "4G")]["population_covered_pct"] == 90.5
    assert rows[("Chile", 2019, "2G")]["population_covered_pct"] == 99.0
    assert ("Chile", 2012, "4G") not in rows and rows[("Chile", 2012, "3G")]["population_covered_pct"] == 60.25
    assert not any(g == "5G" for _, _, g in rows) and len(rows) == 10


def test_a_column_missing_from_the_metadata_takes_the_chart_citation(tmp_path):
    meta = json.loads((SAMPLES / META).read_text())
    del meta["columns"]["_9_c_1__it_mob_5gntwk"]
    result = _parse(tmp_path, {META: json.dumps(meta).encode()})
    row = _rows(result)[("Chile", 2023, "5G")]
    assert (row["unit"], row["citation"]) == (None, meta["chart"]["citation"])


@pytest.mark.parametrize(("replaced", "reason"), [
    ({CSV: b"<!DOCTYPE html><html>Not found</html>"}, f"{CSV}: got HTML or XML, not CSV"),
    ({CSV: b"Country,Code,Year,_9_c_1__it_mob_4gntwk\nBrazil,BRA,2023,96\n"},
     f"{CSV}: expected a header starting entity,code,year; got 'Country,Code,Year'"),
    ({CSV: b"entity,code,year,_9_c_1__it_mob_2gntwk,_9_c_1__it_mob_3gntwk\nBrazil,BRA,2023,1,1\n"},
     f"{CSV}: header lacks column(s) _9_c_1__it_mob_4gntwk"),
    ({META: b"[]"}, f"{META}: expected a JSON object with a 'columns' object"),
])
def test_a_wholly_bad_file_fails_the_source(tmp_path, replaced, reason):
    with pytest.raises(PayloadError) as exc:
        _parse(tmp_path, replaced)
    message = str(exc.value)
    assert message.startswith("owid_mobile_coverage: bad payload in snapshot ") and reason in message
    assert "\n" not in message


def test_fetch_asks_for_the_short_column_names(settings):
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=(SAMPLES / request.url.path.rsplit("/", 1)[-1]).read_bytes())

    result = run_source(cov.SOURCE, settings, transport=httpx.MockTransport(handler))
    assert (result.status, result.requests, result.rows) == ("loaded", 2, {cov.TABLE: 31})
    query = "v=1&csvType=full&useColumnShortNames=true"
    assert [str(r.url) for r in seen] == [
        f"https://ourworldindata.org/grapher/{cov.SLUG}.metadata.json?{query}",
        f"https://ourworldindata.org/grapher/{cov.SLUG}.csv?{query}",
    ]


def test_offline_run_loads_duckdb(settings):
    result = run_source(cov.SOURCE, settings, offline=True)
    assert (result.status, result.rows, result.quarantined) == ("loaded", {cov.TABLE: 31}, 1)
    with duckdb.connect(str(settings.working_db), read_only=True) as con:
        assert con.execute("select generation, population_covered_pct from raw_owid_mobile_coverage.coverage "
                           "where country_iso2 = 'CL' order by 1").fetchall() == [
            ("2G", 99.75), ("3G", 99.5), ("4G", 98.75), ("5G", 85.5)]


def test_the_sample_metadata_describes_every_generation_column():
    header = (SAMPLES / CSV).read_text().splitlines()[0].split(",")
    columns = json.loads((SAMPLES / META).read_text())["columns"]
    assert header[3:] == list(cov.GENERATIONS.values()) and set(columns) == set(header[3:])


def test_real_capture(tmp_path):
    """The real chart files, when ../shared/samples/owid_mobile_coverage/ holds them."""
    folder = real_capture("owid_mobile_coverage")
    result = parse_files(tmp_path, cov.SOURCE, {CSV: folder / CSV, META: folder / META})
    rows = result.rows[cov.TABLE]
    assert result.quarantine == []
    assert {r["generation"] for r in rows} == set(cov.GENERATIONS) and any(r["entity"] == "World" for r in rows)
    assert all(r["unit"] for r in rows)
