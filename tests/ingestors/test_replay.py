"""The replay transport: captures answered for the publishers' URLs, server-side work emulated,
samples for the rest. Small capture folders are written here; the real one is used by tests/replay/."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import httpx
import pytest

from ingestors.core import replay
from ingestors.sources import peeringdb, telegeography


def _client(source: str, root: Path, routes: dict[str, str] | None = None) -> httpx.Client:
    return httpx.Client(transport=replay.ReplayTransport(source, routes or {}, root))


def _write(path: Path, body) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(body) if not isinstance(body, str) else body, encoding="utf-8")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    pages = tmp_path / "peeringdb" / "beta_api_pages_anon_2026-04-16" / "ix"
    _write(pages / "page-1.json", {"data": [{"id": i, "country": c, "org_id": 10 + i}
                                            for i, c in [(1, "US"), (2, "BR"), (3, "MX")]], "meta": {}})
    _write(pages / "page-2.json", {"data": [{"id": 4, "country": "BR", "org_id": 14}], "meta": {}})
    _write(tmp_path / "peeringdb" / "prod_api_pages_anon_2026-04-16" / "org" / "page-1.json",
           {"data": [{"id": 11, "name": "prod"}, {"id": 12, "name": "prod"}], "meta": {}})
    _write(tmp_path / "peeringdb" / "beta_api_pages_anon_2026-04-16" / "org" / "page-1.json",
           {"data": [{"id": 11, "name": "beta"}], "meta": {}})
    _write(tmp_path / "telegeography" / "api_v3" / "country" / "brazil.json", {"cables": [{"id": "x"}]})
    _write(tmp_path / "ecb_fx" / "eurofxref-hist.csv", "Date,USD,BRL,\n2025-05-09,1.1252,6.3647,\n")
    _write(tmp_path / "yc" / "companies" / "top.json", [{"id": 2, "name": "B"}, {"id": 1, "name": "A"}])
    _write(tmp_path / "yc" / "batches" / "summer-2021" / "a.json", {"id": 1, "name": "A again"})
    _write(tmp_path / "yc" / "meta.json", {"companies": 2})
    return tmp_path


def test_peeringdb_filters_paging_and_production_rows(root):
    with _client("peeringdb", root) as client:
        got = client.get(f"{peeringdb.BASE}/ix", params={"country__in": "BR,MX", "depth": 0, "limit": 2, "skip": 0})
        assert [r["id"] for r in got.json()["data"]] == [2, 3]
        got = client.get(f"{peeringdb.BASE}/ix", params={"country__in": "BR,MX", "depth": 0, "limit": 2, "skip": 2})
        assert [r["id"] for r in got.json()["data"]] == [4]
        got = client.get(f"{peeringdb.BASE}/org", params={"id__in": "12,11,99"})
        assert [(r["id"], r["name"]) for r in got.json()["data"]] == [(11, "prod"), (12, "prod")]
        refused = client.get(f"{peeringdb.BASE}/ix", params={"name__contains": "x"})
        assert refused.status_code == 400


def test_telegeography_tree_and_404(root):
    with _client("telegeography", root) as client:
        assert client.get(f"{telegeography.BASE}/country/brazil.json").json() == {"cables": [{"id": "x"}]}
        assert client.get(f"{telegeography.BASE}/country/bolivia.json").status_code == 404
        assert client.get(f"{telegeography.BASE}/../../ecb_fx/eurofxref-hist.csv").status_code == 404


def test_ecb_zip_is_built_the_same_every_time(root):
    with _client("ecb_fx", root) as client:
        first = client.get("https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip").content
        second = client.get("https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip").content
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert archive.read("eurofxref-hist.csv").startswith(b"Date,USD,BRL,")


def test_yc_all_is_every_captured_company_once(root):
    with _client("yc", root) as client:
        got = client.get("https://yc-oss.github.io/api/companies/all.json").json()
    assert [c["id"] for c in got] == [1, 2]  # in id order; a company in several files appears once


def test_a_url_without_capture_falls_back_to_the_samples(root):
    routes = {"www.microsoft.com/*/download/details.aspx": "download-page.html"}
    with _client("azure_service_tags", root, routes) as client:
        page = client.get("https://www.microsoft.com/en-us/download/details.aspx", params={"id": 56519})
    assert page.status_code == 200 and b"ServiceTags_Public_" in page.content


def test_offline_transport_follows_the_environment(root, monkeypatch):
    monkeypatch.delenv(replay.REPLAY_ENV, raising=False)
    assert not isinstance(replay.offline_transport("yc", {}), replay.ReplayTransport)
    monkeypatch.setenv(replay.REPLAY_ENV, str(root))
    assert isinstance(replay.offline_transport("yc", {}), replay.ReplayTransport)
    monkeypatch.setenv(replay.REPLAY_ENV, str(root / "missing"))
    with pytest.raises(FileNotFoundError):
        replay.offline_transport("yc", {})
