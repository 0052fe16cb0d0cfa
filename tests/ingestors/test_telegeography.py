"""TeleGeography: parser on the hand-written samples, bad payloads, discovery fetch, offline run, real capture."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import duckdb
import httpx
import pytest

from ingestors.core.errors import FetchError, PayloadError
from ingestors.core.offline import SAMPLES_DIR
from ingestors.core.pipeline import fetch_snapshot, parse_snapshot, run_source
from ingestors.core.registry import FetchPlan
from ingestors.domain.countries import latam
from ingestors.sources.telegeography import (
    GEO_FILE,
    SOURCE,
    parse_length,
    slug,
    split_names,
    territory_iso2,
)
from tests.conftest import real_capture
from tests.ingestors.helpers import parse_files, snapshot_from_files

SAMPLES = SAMPLES_DIR / "telegeography"
SAMPLE_FILES = {p.name: p for p in sorted(SAMPLES.glob("*.json"))}
API = "https://www.submarinecablemap.com/api/v3"


def _unlimited():
    """The source without its rate limit, so tests do not sleep."""
    return dataclasses.replace(SOURCE, plan=FetchPlan(max_requests=SOURCE.plan.max_requests))


# --- helpers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Brazil", "brazil"),
        ("Curaçao", "curaao"),
        ("Côte d'Ivoire", "cte-divoire"),
        ("Virgin Islands (U.K.)", "virgin-islands-u-k-"),
        ("Congo, Dem. Rep.", "congo-dem-rep-"),
        ("Saint Barthélemy", "saint-barthlemy"),
        ("Valparaíso, Chile", "valparaso-chile"),
        ("L'Anse-à-Beaufils, QC, Canada", "lanse--beaufils-qc-canada"),
        ("Porto Novo—Santo Antao, Cape Verde", "porto-novosanto-antao-cape-verde"),
        ("Magen’s Bay, VI, United States", "magens-bay-vi-united-states"),
    ],
)
def test_slug(name: str, expected: str) -> None:
    assert slug(name) == expected


@pytest.mark.parametrize(
    ("text", "km"),
    [("14,517 km", 14517.0), ("128 km", 128.0), ("1,234.5 km", 1234.5), ("n.a.", None), (None, None),
     ("", None), ("about 300 miles", None)],
)
def test_parse_length(text, km) -> None:
    assert parse_length(text) == km


def test_split_names() -> None:
    assert split_names("AT&T, Blackburn Technologies, LLC., Seren Juno Network Co., Ltd.") == [
        "AT&T", "Blackburn Technologies, LLC.", "Seren Juno Network Co., Ltd."]
    assert split_names("Kakike, Lda., KumoxiCom, Lda.") == ["Kakike, Lda.", "KumoxiCom, Lda."]
    assert split_names("Arelion (formerly Telia Carrier), Telia Eesti (formerly Eesti Telekom, EMT, Elion)") == [
        "Arelion (formerly Telia Carrier)", "Telia Eesti (formerly Eesti Telekom, EMT, Elion)"]
    assert split_names("") == [] and split_names(None) == []


def test_territory_iso2() -> None:
    assert territory_iso2("San Juan, PR, United States", "United States") == "PR"
    assert territory_iso2("Christiansted, VI, United States") == "VI"
    assert territory_iso2("Kralendijk, Bonaire, Netherlands") == "BQ"
    assert territory_iso2("Boca Raton, FL, United States") is None
    assert territory_iso2("Cancún, Mexico") is None


# --- parse ----------------------------------------------------------------------------------


def test_parse_samples(tmp_path: Path) -> None:
    result = parse_files(tmp_path, SOURCE, SAMPLE_FILES)
    assert {t: len(r) for t, r in result.rows.items()} == {"cables": 4, "landing_points": 10, "cable_landings": 11}

    cables = {r["cable_id"]: r for r in result.rows["cables"]}
    austral = cables["austral-link"]
    assert austral["name"] == "Austral Link"
    assert austral["length_km"] == 2450.0 and austral["length_text"] == "2,450 km"
    assert austral["owners"] == ["Example Telecom", "Sample Networks, Inc.",
                                 "Telia Ejemplo (formerly Ejemplo Telecom, ETX)"]
    assert austral["suppliers"] == ["ASN"]
    assert (austral["rfs_text"], austral["rfs_year"], austral["is_planned"]) == ("2019 March", 2019, False)
    assert austral["landing_point_count"] == 3
    assert austral["_record_url"] == "https://www.submarinecablemap.com/submarine-cable/austral-link"

    planned = cables["pacifico-sur-express"]
    assert planned["is_planned"] is True
    assert planned["length_km"] is None and planned["length_text"] == "n.a."
    assert planned["suppliers"] == [] and planned["url"] is None and planned["notes"] is None  # null and ""

    assert cables["caribe-enlace"]["owners"] == ["C&W Ejemplo", "Example Telecom"]  # \u0026 in the wire format
    assert cables["caribe-enlace"]["landing_point_count"] == 3  # the point without an id is not counted
    short = cables["isla-corta"]
    assert short["owners"] == [] and short["length_text"] is None and short["rfs_year"] is None

    points = {r["landing_point_id"]: r for r in result.rows["landing_points"]}
    valparaiso = points["valparaso-chile"]
    assert valparaiso["name"] == "Valparaíso, Chile" and valparaiso["country_iso2"] == "CL"
    assert (valparaiso["latitude"], valparaiso["longitude"]) == (-33.05, -71.62)  # GeoJSON is [lon, lat]
    assert valparaiso["_record_url"] == "https://www.submarinecablemap.com/landing-point/valparaso-chile"
    san_juan = points["san-juan-pr-united-states"]
    assert (san_juan["country_name"], san_juan["country_iso2"], san_juan["is_latam"]) == ("United States", "PR", True)
    assert points["christiansted-vi-united-states"]["country_iso2"] == "VI"
    boca = points["boca-raton-fl-united-states"]
    assert (boca["country_iso2"], boca["is_latam"]) == (None, False)
    assert points["lurin-peru"]["latitude"] is None  # absent from the geo file
    assert sum(p["is_latam"] for p in points.values()) == 8
    assert "sines-portugal" not in points  # in the geo file, but on no fetched cable

    landings = {(r["cable_id"], r["landing_point_id"]): r for r in result.rows["cable_landings"]}
    assert landings[("pacifico-sur-express", "lurin-peru")]["is_tbd"] is True
    assert landings[("austral-link", "praia-grande-brazil")]["is_tbd"] is None

    (q,) = result.quarantine
    assert (q["table_name"], q["record_id"], q["reason"]) == (
        "cable_landings", "caribe-enlace#3", "landing point without an id")


def test_parse_quarantines_invalid_cable(tmp_path: Path) -> None:
    cable = json.loads(SAMPLE_FILES["cable-isla-corta.json"].read_text())
    cable["is_planned"] = None
    result = parse_files(tmp_path, SOURCE, {**SAMPLE_FILES, "cable-isla-corta.json": json.dumps(cable).encode()})
    assert "isla-corta" not in {r["cable_id"] for r in result.rows["cables"]}
    reasons = {q["record_id"]: q["reason"] for q in result.quarantine}
    assert reasons["isla-corta"].startswith("is_planned:")


@pytest.mark.parametrize(
    ("file", "content", "expected"),
    [
        ("cable-austral-link.json", b"<!DOCTYPE html><html><title>Not Found</title></html>", "not JSON"),
        ("cable-austral-link.json", json.dumps({"id": "austral-link", "name": "Austral Link"}).encode(),
         'expected a cable object with "id" and a "landing_points" list'),
        (GEO_FILE, json.dumps({"type": "Feature"}).encode(), "expected a GeoJSON FeatureCollection"),
        (GEO_FILE, b"<html></html>", "not JSON"),
        ("country-brazil.json", b"[]", 'expected an object with a "cables" list'),
        ("landing-point-san-juan-pr-united-states.json", b"{}", 'expected an object with a "cables" list'),
    ],
)
def test_wholly_bad_payload_fails_the_source(tmp_path: Path, file: str, content: bytes, expected: str) -> None:
    snapshot = snapshot_from_files(tmp_path, "telegeography", {**SAMPLE_FILES, file: content})
    with pytest.raises(PayloadError) as info:
        list(SOURCE.parse(snapshot))
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"telegeography: bad payload in snapshot {snapshot.snapshot_id}/{file}: ")
    assert expected in message


# --- fetch ----------------------------------------------------------------------------------


def _serve(root: Path, prefix: str = "/api/v3/", status_for: dict[str, int] | None = None):
    """A MockTransport handler serving ``root`` as the v3 API tree; 404 for what is absent."""
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        rel = request.url.path.removeprefix(prefix)
        if status_for and rel in status_for:
            return httpx.Response(status_for[rel], text="error")
        path = root / rel
        return httpx.Response(200, content=path.read_bytes()) if path.is_file() else httpx.Response(404)

    return handler, requests


def _samples_as_tree(tmp_path: Path) -> Path:
    """The sample files laid out under the API paths they answer."""
    root = tmp_path / "api"
    for name, src in SAMPLE_FILES.items():
        if name == GEO_FILE:
            rel = f"landing-point/{GEO_FILE}"
        else:
            kind, _, ident = name.partition("-")
            if kind == "landing":
                kind, ident = "landing-point", name.removeprefix("landing-point-")
            rel = f"{kind}/{ident}"
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(src.read_bytes())
    return root


def test_fetch_discovers_cables(settings, tmp_path: Path) -> None:
    handler, requests = _serve(_samples_as_tree(tmp_path))
    snapshot, n = fetch_snapshot(_unlimited(), settings, offline=False, transport=httpx.MockTransport(handler))
    urls = [str(r.url) for r in requests]

    assert urls[0] == f"{API}/landing-point/{GEO_FILE}"
    country_urls = urls[1:1 + len(latam())]
    assert country_urls == [f"{API}/country/{slug(c.telegeography_name)}.json" for c in latam()]
    assert f"{API}/country/curaao.json" in country_urls
    assert f"{API}/country/virgin-islands-u-k-.json" in country_urls
    # the PR and VI points of the geo file are looked up; only San Juan has a file here (404 skipped)
    assert urls[1 + len(latam()):-4] == [f"{API}/landing-point/christiansted-vi-united-states.json",
                                         f"{API}/landing-point/san-juan-pr-united-states.json"]
    # isla-corta lands only in Puerto Rico and the USVI: found through the landing-point file
    assert urls[-4:] == [f"{API}/cable/{c}.json"
                         for c in ("austral-link", "caribe-enlace", "isla-corta", "pacifico-sur-express")]
    assert all(not r.url.query for r in requests)
    assert n == len(requests) == 1 + len(latam()) + 2 + 4
    assert snapshot.names() == sorted(SAMPLE_FILES)
    assert snapshot.url_of("country-brazil.json") == f"{API}/country/brazil.json"


def test_fetch_does_not_swallow_other_errors(settings, tmp_path: Path) -> None:
    handler, _ = _serve(_samples_as_tree(tmp_path), status_for={"country/chile.json": 403})
    with pytest.raises(FetchError, match=r"country/chile\.json: HTTP 403"):
        fetch_snapshot(_unlimited(), settings, offline=False, transport=httpx.MockTransport(handler))


def test_fetch_fails_when_no_country_exists(settings, tmp_path: Path) -> None:
    root = _samples_as_tree(tmp_path)
    for path in (root / "country").iterdir():
        path.unlink()
    handler, _ = _serve(root)
    with pytest.raises(FetchError, match="no LatAm country file found"):
        fetch_snapshot(_unlimited(), settings, offline=False, transport=httpx.MockTransport(handler))


# --- offline run ----------------------------------------------------------------------------


def test_offline_run_loads_duckdb(settings) -> None:
    result = run_source(SOURCE, settings, offline=True)
    assert result.status == "loaded" and result.quarantined == 1
    assert result.requests == 1 + len(latam()) + 2 + 4
    con = duckdb.connect(str(settings.working_db), read_only=True)
    try:
        counts = {t: con.execute(f"select count(*) from raw_telegeography.{t}").fetchone()[0]
                  for t in ("cables", "landing_points", "cable_landings")}
        assert counts == {"cables": 4, "landing_points": 10, "cable_landings": 11}
        owners = con.execute("select owners from raw_telegeography.cables where cable_id = 'austral-link'").fetchone()
        assert owners[0][1] == "Sample Networks, Inc."
        assert con.execute("select count(*) from raw_telegeography.landing_points where is_latam").fetchone()[0] == 8
        assert con.execute("select record_id from meta.quarantine where source = 'telegeography'").fetchall() == [
            ("caribe-enlace#3",)]
    finally:
        con.close()


# --- real capture ---------------------------------------------------------------------------

# TeleGeography has no country file for these seed countries: no cable lands there
# (landlocked, or none yet in the capture), or, for Puerto Rico, its landing points
# are filed under "United States".
NO_COUNTRY_FILE = {"BO", "PY", "SV", "PR"}


def test_seed_names_match_the_real_capture() -> None:
    root = real_capture("telegeography", "api_v3", "country")
    names = {}
    for path in root.glob("*.json"):
        body = json.loads(path.read_text())
        assert slug(body["name"]) == body["id"] == path.stem
        names[body["name"]] = body["id"]
    missing = {c.iso2 for c in latam() if c.telegeography_name not in names}
    assert missing == NO_COUNTRY_FILE


def test_real_capture(settings) -> None:
    """Fetch from the real v3 tree (served by a mock transport), then parse and validate it."""
    root = real_capture("telegeography", "api_v3")
    handler, _ = _serve(root)
    snapshot, n = fetch_snapshot(_unlimited(), settings, offline=False, transport=httpx.MockTransport(handler))
    assert n == 139  # geo + 49 countries (4 of them 404) + 11 territory points + 78 cables
    assert len(snapshot.names("country-")) == len(latam()) - len(NO_COUNTRY_FILE)
    assert len(snapshot.names("cable-")) == 78

    result = parse_snapshot(SOURCE, snapshot)
    assert {t: len(r) for t, r in result.rows.items()} == {"cables": 78, "landing_points": 256,
                                                           "cable_landings": 397}
    assert result.quarantine == []
    points = result.rows["landing_points"]
    assert sum(p["is_latam"] for p in points) == 227
    assert sum(p["country_iso2"] == "PR" for p in points) == 8
    assert all(p["latitude"] is not None for p in points)
    cables = result.rows["cables"]
    assert sum(c["is_planned"] for c in cables) == 9
    assert sum(c["length_km"] is None for c in cables) == 2
    assert all(c["landing_point_count"] >= 1 for c in cables)
