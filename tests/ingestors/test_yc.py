"""Y Combinator directory (yc-oss): LatAm filter over regions and locations, quarantine, offline run."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import httpx
import pytest

from ingestors.core.errors import PayloadError
from ingestors.core.offline import SAMPLES_DIR
from ingestors.core.pipeline import run_source
from ingestors.sources import yc
from tests.conftest import real_capture
from tests.ingestors.helpers import parse_files

SAMPLE = SAMPLES_DIR / "yc" / "all.json"


def _parse(tmp_path: Path, content: bytes | Path):
    return parse_files(tmp_path, yc.SOURCE, {yc.FILE: content}, {yc.FILE: yc.ALL_URL})


def _sample() -> list[dict]:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


def _by_id(result) -> dict[int, dict]:
    return {row["id"]: {k: v for k, v in row.items() if not k.startswith("_")} for row in result.rows["companies"]}


# --- the sample -------------------------------------------------------------------------------


def test_sample_has_the_real_field_set():
    fields = {
        "id", "name", "slug", "former_names", "small_logo_thumb_url", "website", "all_locations",
        "long_description", "one_liner", "team_size", "industry", "subindustry", "launched_at", "tags",
        "tags_highlighted", "top_company", "isHiring", "nonprofit", "batch", "status", "industries", "regions",
        "stage", "app_video_public", "demo_day_video_public", "app_answers", "question_answers", "url", "api",
    }
    assert len(fields) == 29
    assert all(set(company) == fields for company in _sample())


def test_parse_sample_keeps_latam_companies(tmp_path):
    result = _parse(tmp_path, SAMPLE)
    rows = _by_id(result)
    assert sorted(rows) == [90001, 90002, 90003, 90006, 90007, 90010, 90020]
    # skipped: fully remote (90004), San Francisco (90005), "Latin America" with no country (90008),
    # Panama City, FL, USA (90011)
    # 90006 is based in Miami first: a US company with LatAm offices
    assert {r["hq_country_iso2"] for r in rows.values()} == {"MX", "BR", "CO", "US", "PE", "PR"}


def test_parse_sample_exact_values(tmp_path):
    result = _parse(tmp_path, SAMPLE)
    rows = _by_id(result)
    assert rows[90001] == {
        "id": 90001,
        "name": "Ejemplo Datos",
        "slug": "ejemplo-datos",
        "former_names": [],
        "website": "https://ejemplo-datos.example.org/",
        "one_liner": "AI agents for retail back offices",
        "long_description": "Ejemplo Datos builds AI agents for Mexican retailers (sample text).\n\nIllustrative only.",
        "batch": "Winter 2025",
        "status": "Active",
        "stage": "Early",
        "team_size": 12,
        "industry": "B2B",
        "subindustry": "B2B -> Retail",
        "industries": ["B2B", "Retail"],
        "tags": ["Artificial Intelligence", "B2B", "Retail"],
        "regions": ["Mexico", "Latin America", "Remote", "Partly Remote"],
        "all_locations": "Mexico City, CDMX, Mexico",
        "country_iso2s": ["MX"],
        "hq_country_iso2": "MX",
        "launched_at": datetime(2025, 1, 1, tzinfo=UTC),  # 1735689600
        "is_hiring": True,
        "nonprofit": False,
        "top_company": False,
        "yc_url": "https://www.ycombinator.com/companies/ejemplo-datos",
    }
    record_urls = {row["id"]: row["_record_url"] for row in result.rows["companies"]}
    assert record_urls[90001] == "https://www.ycombinator.com/companies/ejemplo-datos"

    multi = rows[90006]  # US, Chile and Mexico: regions first, deduplicated; HQ is the first location (Miami)
    assert (multi["country_iso2s"], multi["hq_country_iso2"], multi["top_company"]) == (["CL", "MX"], "US", True)

    peru = rows[90007]  # regions say only "Latin America"; the country comes from all_locations
    assert (peru["regions"], peru["country_iso2s"], peru["website"]) == (
        ["Latin America", "Remote", "Partly Remote"], ["PE"], None)

    assert rows[90003]["former_names"] == ["Cobros Ejemplo"]
    boricua = rows[90010]
    assert (boricua["team_size"], boricua["top_company"], boricua["stage"], boricua["status"]) == (
        None, None, None, "Inactive")
    assert boricua["country_iso2s"] == ["PR"]


def test_parse_sample_quarantines_the_bad_id(tmp_path):
    result = _parse(tmp_path, SAMPLE)
    assert [(q["record_id"], q["reason"]) for q in result.quarantine] == [
        ("90009-x", "id is not an integer: '90009-x'")
    ]


@pytest.mark.parametrize(
    ("regions", "locations", "iso2s"),
    [
        (["Mexico", "Latin America"], "Mexico City, CDMX, Mexico", ["MX"]),
        (["Latin America"], "Bogotá, Bogota, Colombia; Remote", ["CO"]),
        (["Latin America", "Remote"], "Remote", []),
        (["United States of America", "America / Canada"], "Panama City, FL, USA", []),
        (["United States of America", "Brazil"], "New York, NY, USA; São Paulo, SP, Brazil", ["BR"]),
        (["Chile"], "Mexico City, CDMX, Mexico; Santiago, Santiago Metropolitan Region, Chile", ["CL", "MX"]),
        (["Puerto Rico"], "San Juan, San Juan, Puerto Rico", ["PR"]),
        ([], None, []),
        ([None, 7], "", []),
    ],
)
def test_latam_iso2s(regions, locations, iso2s):
    assert yc.latam_iso2s(regions, locations) == iso2s


# --- one bad record goes to quarantine --------------------------------------------------------


def test_unreadable_values_are_quarantined(tmp_path):
    companies = _sample()
    by_id = {c["id"]: c for c in companies}
    by_id[90001]["launched_at"] = "2025-01-01"
    by_id[90002]["team_size"] = "a dozen"
    companies.append("not a company")
    result = _parse(tmp_path, json.dumps(companies).encode())
    reasons = {q["record_id"]: q["reason"] for q in result.quarantine}
    assert reasons["90001"] == "launched_at: not unix seconds: '2025-01-01'"
    assert reasons["90002"].startswith("team_size: Input should be a valid integer")
    assert reasons[f"#{len(companies) - 1}"] == "not a JSON object: str"
    assert sorted(_by_id(result)) == [90003, 90006, 90007, 90010, 90020]


# --- wholly wrong payloads --------------------------------------------------------------------


def test_object_instead_of_list_fails(tmp_path):
    with pytest.raises(PayloadError, match="yc: bad payload in snapshot .*/all.json: expected a JSON list of "
                                           "companies, got dict$"):
        _parse(tmp_path, json.dumps({"companies": _sample()}).encode())


def test_a_field_gone_from_every_record_fails(tmp_path):
    companies = [{k: v for k, v in c.items() if k not in {"regions", "url"}} for c in _sample()]
    with pytest.raises(PayloadError, match="field\\(s\\) missing from every company: regions, url$"):
        _parse(tmp_path, json.dumps(companies).encode())


def test_an_empty_list_fails(tmp_path):
    with pytest.raises(PayloadError, match="/all.json: the company list is empty$"):
        _parse(tmp_path, b"[]")


def test_a_list_without_latam_companies_fails(tmp_path):
    companies = [c for c in _sample() if c["id"] in {90004, 90005, 90008, 90011}]
    with pytest.raises(PayloadError, match="table companies got 0 rows, expected at least 1"):
        _parse(tmp_path, json.dumps(companies).encode())


# --- fetch and offline run ---------------------------------------------------------------------


def test_fetch_with_mock_transport(settings):
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=SAMPLE.read_bytes(), headers={"content-type": "application/json"})

    result = run_source(yc.SOURCE, settings, transport=httpx.MockTransport(handler))
    assert (result.status, result.requests, result.rows, result.quarantined) == ("loaded", 1, {"companies": 7}, 1)
    assert [str(r.url) for r in seen] == ["https://yc-oss.github.io/api/companies/all.json"]


def test_offline_run_loads_companies(settings):
    result = run_source(yc.SOURCE, settings, offline=True)
    assert (result.status, result.rows, result.quarantined) == ("loaded", {"companies": 7}, 1)
    with duckdb.connect(str(settings.working_db), read_only=True) as con:
        rows = con.execute(
            "select id, hq_country_iso2, country_iso2s, launched_at from raw_yc.companies order by id"
        ).fetchall()
        types = dict(con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'raw_yc' and table_name = 'companies'"
        ).fetchall())
        reasons = con.execute("select record_id, reason from meta.quarantine where source = 'yc'").fetchall()
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (90001, "MX", ["MX"]), (90002, "BR", ["BR"]), (90003, "CO", ["CO"]), (90006, "US", ["CL", "MX"]),
        (90007, "PE", ["PE"]), (90010, "PR", ["PR"]), (90020, "BR", ["BR"]),
    ]
    assert rows[0][3] == datetime(2025, 1, 1, tzinfo=UTC)
    assert (types["id"], types["launched_at"], types["country_iso2s"], types["is_hiring"]) == (
        "BIGINT", "TIMESTAMP WITH TIME ZONE", "VARCHAR[]", "BOOLEAN")
    assert reasons == [("90009-x", "id is not an integer: '90009-x'")]


# --- the real captures (../shared/samples, skipped when absent) ---------------------------------


def _countries(rows: list[dict]) -> dict[str, int]:
    return dict(sorted(Counter(iso2 for row in rows for iso2 in row["country_iso2s"]).items()))


@pytest.mark.parametrize(
    ("path", "companies", "by_country", "by_hq"),
    [
        ("companies/top.json", 1, {"CO": 1}, {"CO": 1}),
        ("tags/artificial-intelligence.json", 8, {"BR": 4, "CO": 2, "MX": 1, "PR": 1},
         {"BR": 3, "CO": 2, "MX": 1, "PR": 1, "US": 1}),
        ("industries/fintech.json", 68,
         {"AR": 5, "BR": 17, "CL": 5, "CO": 7, "CR": 1, "MX": 31, "PA": 2, "PE": 2},
         {"AR": 5, "BR": 16, "CL": 4, "CO": 7, "CR": 1, "MX": 28, "PA": 2, "PE": 2, "US": 3}),
        ("batches/winter-2025.json", 1, {"CO": 1}, {"CO": 1}),
    ],
)
def test_real_capture_lists(tmp_path, path, companies, by_country, by_hq):
    result = _parse(tmp_path, real_capture("yc", *path.split("/")))
    rows = result.rows["companies"]
    assert result.quarantine == []
    assert len(rows) == companies
    assert _countries(rows) == by_country
    assert dict(sorted(Counter(row["hq_country_iso2"] for row in rows).items())) == by_hq
    assert all(row["yc_url"] and row["_record_url"] == row["yc_url"] for row in rows)
    assert all(row["launched_at"] is not None and "\r" not in (row["long_description"] or "") for row in rows)


def test_real_capture_company_files(tmp_path):
    """The per-company files (one object each, under batches/<batch>/) are all LatAm companies."""
    files = sorted(real_capture("yc", "batches").glob("*/*.json"))
    assert len(files) == 8
    companies = [json.loads(p.read_text(encoding="utf-8")) for p in files]
    result = _parse(tmp_path, json.dumps(companies).encode())
    assert (len(result.rows["companies"]), result.quarantine) == (8, [])
    assert _countries(result.rows["companies"]) == {"BR": 3, "MX": 2, "PA": 1, "PR": 2}


def test_real_capture_empty_list_is_a_bad_payload(tmp_path):
    with pytest.raises(PayloadError, match="the company list is empty"):
        _parse(tmp_path, real_capture("yc", "companies", "hispanic-latino-founded.json"))


@pytest.mark.parametrize(("locations", "latam", "expected"), [
    ("New York, NY, USA; Mexico City, CDMX, Mexico", ["MX"], "US"),  # based in New York first
    ("São Paulo, SP, Brazil; San Francisco, CA, USA", ["BR"], "BR"),
    ("Remote; Bogotá, Bogota, Colombia", ["CO"], "CO"),  # no city first: the first LatAm country
    (None, ["PE"], "PE"),
    ("Atlantis, Nowhere", ["CL"], "CL"),  # a spelling Cadena cannot place
])
def test_hq_is_the_first_location(locations, latam, expected):
    assert yc.hq_country(locations, latam) == expected
