"""OWID energy: the wide CSV read by column name, LatAm + reference entities kept, codebook units, offline run."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from ingestors.core.errors import PayloadError
from ingestors.core.offline import SAMPLES_DIR
from ingestors.core.pipeline import run_source
from ingestors.sources import owid_energy as energy
from tests.ingestors.fixtures.owid_energy import make_sample
from tests.ingestors.helpers import parse_files

SAMPLES = SAMPLES_DIR / "owid_energy"
FIXTURES = Path(__file__).parent / "fixtures" / "owid_energy"
FILES = (energy.DATA_FILE, energy.CODEBOOK_FILE)


# The same source without its minimum row counts, for tests that parse a few hand-written lines.
ANY_SIZE = replace(energy.SOURCE, tables=tuple(replace(t, min_rows=0) for t in energy.SOURCE.tables))


def _parse(tmp_path: Path, replaced: dict[str, bytes | Path] | None = None, source=energy.SOURCE):
    return parse_files(tmp_path, source, {**{n: SAMPLES / n for n in FILES}, **(replaced or {})})


def _values(result) -> dict[tuple[str, int, str], float]:
    return {(r["entity"], r["year"], r["indicator"]): r["value"] for r in result.rows["observations"]}


def _data(lines: list[str]) -> dict[str, bytes]:
    header = (FIXTURES / "header.txt").read_text().strip()
    return {energy.DATA_FILE: "\n".join([header, *lines, ""]).encode()}


def _line(**cells: str) -> str:
    header = (FIXTURES / "header.txt").read_text().strip().split(",")
    return ",".join(cells.get(column, "") for column in header)


# --- the sample -------------------------------------------------------------------------------


def test_the_committed_sample_is_what_make_sample_writes():
    assert (SAMPLES / energy.DATA_FILE).read_text() == make_sample.data_csv()
    assert (SAMPLES / energy.CODEBOOK_FILE).read_text() == make_sample.codebook_csv()


def test_parse_sample(tmp_path):
    result = _parse(tmp_path)
    values = _values(result)
    entities = {(r["entity"], r["entity_code"], r["country_iso2"]) for r in result.rows["observations"]}
    # LatAm countries, the United States and the World; Canada, "South America" and 1999 are dropped
    assert entities == {("Brazil", "BRA", "BR"), ("Chile", "CHL", "CL"), ("Costa Rica", "CRI", "CR"),
                        ("Mexico", "MEX", "MX"), ("Paraguay", "PRY", "PY"), ("United States", "USA", None),
                        ("World", None, None)}
    assert {r["year"] for r in result.rows["observations"]} == {2023, 2024}
    assert values[("Brazil", 2023, "electricity_generation")] == 700.0
    assert values[("Brazil", 2023, "hydro_share_elec")] == 58.0
    assert values[("Paraguay", 2024, "net_elec_imports")] == -34.0
    # an empty cell is no observation
    assert ("Paraguay", 2024, "carbon_intensity_elec") not in values
    assert [(q["record_id"], q["reason"]) for q in result.quarantine] == [
        ("owid-energy-data.csv line 21", "year: not a number: '2024x'")]
    units = {r["indicator"]: r["unit"] for r in result.rows["indicators"]}
    assert set(units) == set(energy.INDICATORS)
    assert units["carbon_intensity_elec"] == "grams of CO₂ equivalents per kilowatt-hour"


def test_columns_are_read_by_name_not_position(tmp_path):
    header = (FIXTURES / "header.txt").read_text().strip().split(",")
    shuffled = ["zz_new_column", *reversed(header)]
    row = {"country": "Chile", "year": "2024", "iso_code": "CHL", "electricity_demand": "88.5", "zz_new_column": "9"}
    text = ",".join(shuffled) + "\n" + ",".join(row.get(c, "") for c in shuffled) + "\n"
    result = _parse(tmp_path, {energy.DATA_FILE: text.encode()}, ANY_SIZE)
    assert _values(result) == {("Chile", 2024, "electricity_demand"): 88.5}


@pytest.mark.parametrize(("line", "reason"), [
    (_line(country="Chile", year="2024", iso_code="CHL", electricity_demand="8e"),
     "electricity_demand: not a number: '8e'"),
    (_line(country="Chile", year="2024", iso_code="CHL", electricity_demand="nan"),
     "electricity_demand: not a finite number: 'nan'"),
    (_line(country="Chile", year="2024", iso_code="CHL") + ",extra", "row has 131 cells, the header 130"),
])
def test_an_unreadable_row_is_quarantined_alone(tmp_path, line, reason):
    good = _line(country="Mexico", year="2024", iso_code="MEX", electricity_demand="350")
    result = _parse(tmp_path, _data([good, line]), ANY_SIZE)
    assert [(q["record_id"], q["reason"]) for q in result.quarantine] == [("owid-energy-data.csv line 3", reason)]
    assert _values(result) == {("Mexico", 2024, "electricity_demand"): 350.0}


def test_out_of_scope_rows_are_not_read_at_all(tmp_path):
    # a bad value in a row Cadena does not keep is no quarantine
    result = _parse(tmp_path, _data([_line(country="Canada", year="2024", iso_code="CAN", electricity_demand="x"),
                                     _line(country="Brazil", year="1985", iso_code="BRA", electricity_demand="x")]),
                    ANY_SIZE)
    assert result.quarantine == [] and result.rows["observations"] == []


# --- wholly bad payloads ------------------------------------------------------------------------


@pytest.mark.parametrize(("replaced", "reason"), [
    ({energy.DATA_FILE: b"country,year,iso_code,electricity_demand\nChile,2024,CHL,80\n"},
     "owid-energy-data.csv: header lacks column(s) electricity_generation, electricity_demand_per_capita"),
    ({energy.CODEBOOK_FILE: b"name,text\n"},
     "owid-energy-codebook.csv: header lacks column(s) column, description, unit, source"),
    ({energy.DATA_FILE: b"\xff\xfec\x00o\x00"}, "owid-energy-data.csv: not UTF-8 text"),
])
def test_a_wholly_bad_file_fails_the_source(tmp_path, replaced, reason):
    with pytest.raises(PayloadError) as exc:
        _parse(tmp_path, replaced)
    message = str(exc.value)
    assert message.startswith("owid_energy: bad payload in snapshot ") and reason in message
    assert "\n" not in message


# --- fetch ------------------------------------------------------------------------------------


def test_fetch_asks_for_the_codebook_then_the_data(settings):
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=(SAMPLES / request.url.path.rsplit("/", 1)[-1]).read_bytes())

    result = run_source(energy.SOURCE, settings, transport=httpx.MockTransport(handler))
    assert (result.status, result.rows) == ("loaded", {"observations": 474, "indicators": 34})
    assert [str(r.url) for r in seen] == [energy.CODEBOOK_URL, energy.DATA_URL]


# --- the real codebook ------------------------------------------------------------------------


def test_real_codebook_describes_every_kept_column(tmp_path):
    """An excerpt of the real owid-energy-codebook.csv (github.com/owid/energy-data, commit 873ea63d, 2025-05-30):
    the header, country/year/iso_code and every kept indicator, as published. header.txt is the real file's
    column list in order (the codebook lists the columns in the data file's order)."""
    result = _parse(tmp_path, {energy.CODEBOOK_FILE: FIXTURES / "codebook-excerpt.csv"})
    rows = {r["indicator"]: r for r in result.rows["indicators"]}
    assert set(rows) == set(energy.INDICATORS)
    assert rows["carbon_intensity_elec"]["unit"] == "grams of CO₂ equivalents per kilowatt-hour"
    assert rows["electricity_demand"]["unit"] == "terawatt-hours"
    assert rows["hydro_share_elec"]["unit"] == "%"
    assert "Ember - Yearly Electricity Data (2025)" in rows["electricity_demand"]["sources"]
    assert all(r["description"] and r["sources"] for r in rows.values())
    header = (FIXTURES / "header.txt").read_text().strip().split(",")
    assert header[:5] == ["country", "year", "iso_code", "population", "gdp"] and len(header) == 130
