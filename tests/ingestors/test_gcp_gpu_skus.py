"""Google Cloud GPU SKUs: GPU filter, regions, prices, paging, the key kept out of snapshots, offline run."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import httpx
import pytest

from ingestors.core.errors import FetchError, PayloadError, RecordError, SourceSkipped
from ingestors.core.offline import SAMPLES_DIR
from ingestors.core.pipeline import fetch_snapshot, run_source
from ingestors.core.registry import FetchPlan
from ingestors.sources import gcp_gpu_skus as gcp
from tests.ingestors.helpers import parse_files

SAMPLE = SAMPLES_DIR / "gcp_gpu_skus" / "skus.json"
COVERAGE = {"provider": "gcp", "latam": ["northamerica-south1", "southamerica-east1", "southamerica-west1"],
           "us_reference": "us-east1"}
KEY = "AIza-test-key-not-real"


def _parse(tmp_path: Path, pages: list[bytes | Path], coverage: dict | None = None):
    files: dict[str, bytes | Path] = {"coverage.json": json.dumps(coverage or COVERAGE).encode()}
    files.update({f"skus.page-{n}.json": page for n, page in enumerate(pages, start=1)})
    return parse_files(tmp_path, gcp.SOURCE, files)


def _sku(sku_id: str, description: str, regions: list[str], *, group: str = "GPU", usage: str = "OnDemand",
         units: str = "1", nanos: int = 500_000_000, unit: str = "h") -> dict:
    return {
        "name": f"services/{gcp.COMPUTE_ENGINE}/skus/{sku_id}", "skuId": sku_id, "description": description,
        "category": {"serviceDisplayName": "Compute Engine", "resourceFamily": "Compute", "resourceGroup": group,
                     "usageType": usage},
        "serviceRegions": regions,
        "pricingInfo": [{"effectiveTime": "2026-01-02T03:04:05.123Z", "pricingExpression": {
            "usageUnit": unit, "tieredRates": [
                {"startUsageAmount": 0, "unitPrice": {"currencyCode": "USD", "units": units, "nanos": nanos}}]}}],
    }


def _unlimited():
    """The source without its rate limit, so paging tests do not sleep."""
    return dataclasses.replace(gcp.SOURCE, plan=FetchPlan(sample_routes=gcp.SOURCE.plan.sample_routes,
                                                             max_requests=gcp.SOURCE.plan.max_requests))


# --- the sample -------------------------------------------------------------------------------


def test_parse_sample_rows(tmp_path):
    result = _parse(tmp_path, [SAMPLE])
    rows = sorted(
        (r["sku_id"], r["region"], r["gpu_model"], r["usage_type"], r["is_us_reference"], r["usd_per_gpu_hour"])
        for r in result.rows["gpu_prices"]
    )
    assert rows == [
        ("E0A1-5A3B-0001", "southamerica-east1", "T4", "OnDemand", False, 0.41),
        ("E0A1-5A3B-0001", "southamerica-west1", "T4", "OnDemand", False, 0.41),
        ("E0A1-5A3B-0001", "us-east1", "T4", "OnDemand", True, 0.41),  # us-central1 is not wanted
        ("E0A1-5A3B-0002", "southamerica-east1", "T4", "Preemptible", False, 0.165),
        ("E0A1-5A3B-0003", "southamerica-east1", "L4", "OnDemand", False, 0.905),
        ("E0A1-5A3B-0004", "us-east1", "L4", "Preemptible", True, 0.28),
        ("E0A1-5A3B-0005", "southamerica-east1", "L4", "Commit1Yr", False, 0.57),
        ("E0A1-5A3B-0006", "us-east1", "A100", "OnDemand", True, 3.125),
    ]  # 0007 sells only in europe-west4, 0008 is a CPU SKU


def test_parse_sample_exact_values(tmp_path):
    rows = {(r["sku_id"], r["region"]): r for r in _parse(tmp_path, [SAMPLE]).rows["gpu_prices"]}
    l4 = rows[("E0A1-5A3B-0003", "southamerica-east1")]
    assert {k: v for k, v in l4.items() if not k.startswith("_")} == {
        "sku_id": "E0A1-5A3B-0003",
        "description": "Nvidia L4 GPU running in Sao Paulo",
        "gpu_model": "L4",
        "gpu_model_text": "Nvidia L4",
        "usage_type": "OnDemand",
        "region": "southamerica-east1",
        "is_us_reference": False,
        "usd_per_gpu_hour": 0.905,
        "currency_code": "USD",
        "effective_time": datetime(2026, 5, 4, 7, 12, 31, 482117, tzinfo=UTC),  # nine digits, cut to six
    }
    assert (l4["_record_id"], l4["_record_url"]) == ("E0A1-5A3B-0003/southamerica-east1", gcp.PRICING_URL)
    commitment = rows[("E0A1-5A3B-0005", "southamerica-east1")]
    assert (commitment["gpu_model_text"], commitment["gpu_model"]) == ("Nvidia L4", "L4")


def test_parse_sample_quarantines_the_price_per_gibibyte(tmp_path):
    result = _parse(tmp_path, [SAMPLE])
    assert [(q["record_id"], q["reason"]) for q in result.quarantine] == [
        ("E0A1-5A3B-0009", "usageUnit is 'GiBy.mo', expected 'h' (per hour)")
    ]


def test_the_us_reference_region_comes_from_the_snapshot(tmp_path):
    coverage = {"provider": "gcp", "latam": ["southamerica-east1"], "us_reference": "us-central1"}
    rows = _parse(tmp_path, [SAMPLE], coverage).rows["gpu_prices"]
    assert sorted((r["sku_id"], r["region"], r["is_us_reference"]) for r in rows if r["is_us_reference"]) == [
        ("E0A1-5A3B-0001", "us-central1", True)]
    assert not any(r["region"] in ("us-east1", "southamerica-west1") for r in rows)


# --- prices and names ---------------------------------------------------------------------------


def test_hourly_price_reads_units_and_nanos():
    sku = _sku("X", "Nvidia H100 80GB GPU running in Americas", ["us-east1"], units="2", nanos=930_000_000)
    assert gcp.hourly_price(sku) == (2.93, "USD", datetime(2026, 1, 2, 3, 4, 5, 123000, tzinfo=UTC))


def test_hourly_price_fills_the_zeros_proto3_leaves_out():
    sku = _sku("X", "Nvidia Tesla T4 GPU", ["us-east1"])
    sku["pricingInfo"][0]["pricingExpression"]["tieredRates"] = [
        {"unitPrice": {"currencyCode": "USD", "nanos": 350_000_000}}]  # no startUsageAmount, no units
    assert gcp.hourly_price(sku)[0] == 0.35


def test_hourly_price_takes_the_first_tier_and_the_latest_pricing():
    sku = _sku("X", "Nvidia Tesla T4 GPU", ["us-east1"])
    old = json.loads(json.dumps(sku["pricingInfo"][0]))
    sku["pricingInfo"][0]["pricingExpression"]["tieredRates"] = [
        {"startUsageAmount": 100, "unitPrice": {"currencyCode": "USD", "units": "0", "nanos": 100_000_000}},
        {"startUsageAmount": 0, "unitPrice": {"currencyCode": "USD", "units": "0", "nanos": 200_000_000}},
    ]
    sku["pricingInfo"][0]["effectiveTime"] = "2026-02-01T00:00:00Z"
    sku["pricingInfo"].insert(0, old)  # an older entry first: the timeline is chronological
    assert gcp.hourly_price(sku) == (0.2, "USD", datetime(2026, 2, 1, tzinfo=UTC))


@pytest.mark.parametrize(("change", "reason"), [
    (lambda s: s.update(pricingInfo=[]), "no pricingInfo"),
    (lambda s: s["pricingInfo"][0]["pricingExpression"].update(tieredRates=[]),
     "no tieredRates tier starting at usage 0"),
    (lambda s: s["pricingInfo"][0]["pricingExpression"].pop("usageUnit"), "usageUnit is None, expected 'h'"),
    (lambda s: s["pricingInfo"][0]["pricingExpression"]["tieredRates"][0]["unitPrice"].update(currencyCode="BRL"),
     "currencyCode is 'BRL', expected 'USD'"),
    (lambda s: s["pricingInfo"][0]["pricingExpression"]["tieredRates"][0]["unitPrice"].update(units="1.5"),
     "not an integer: '1.5'"),
    (lambda s: s["pricingInfo"][0].update(effectiveTime="yesterday"), "effectiveTime: not an RFC 3339"),
])
def test_hourly_price_refuses_what_it_cannot_read(change, reason):
    sku = _sku("X", "Nvidia Tesla T4 GPU", ["us-east1"])
    change(sku)
    with pytest.raises(RecordError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        gcp.hourly_price(sku)


@pytest.mark.parametrize(("description", "text", "model"), [
    ("Nvidia Tesla T4 GPU running in Sao Paulo", "Nvidia Tesla T4", "T4"),
    ("Nvidia L4 GPU attached to Spot Preemptible VMs running in Santiago", "Nvidia L4", "L4"),
    ("Commitment v1: Nvidia Tesla A100 GPU in Americas for 3 Year", "Nvidia Tesla A100", "A100"),
    ("Nvidia H100 80GB GPU running in Americas", "Nvidia H100 80GB", "H100"),
    ("Nvidia Tesla P4 Virtual Workstation GPU running in Sao Paulo", "Nvidia Tesla P4 Virtual Workstation", "P4"),
    ("Nvidia RTX PRO 6000 GPU running in Iowa", "Nvidia RTX PRO 6000", None),
])
def test_gpu_model_text(description, text, model):
    assert gcp.gpu_model_text(description) == text
    assert gcp.canonical_gpu_model(description) == model


def test_only_gpu_skus_that_name_a_gpu_are_kept(tmp_path):
    page = {"skus": [
        _sku("A", "Nvidia Tesla T4 GPU running in Sao Paulo", ["southamerica-east1"]),
        _sku("B", "GPU-optimized licence fee", ["southamerica-east1"], group="CPU"),
        _sku("C", "Something running in Sao Paulo", ["southamerica-east1"]),  # GPU group, no GPU named
        _sku("D", "Nvidia Tesla T4 GPU running in Iowa", ["us-central1"]),  # not a wanted region
    ], "nextPageToken": ""}
    result = _parse(tmp_path, [json.dumps(page).encode()])
    assert [r["sku_id"] for r in result.rows["gpu_prices"]] == ["A"] and result.quarantine == []


def test_coverage_comes_from_the_region_catalogue_and_the_settings(settings):
    cov = gcp.coverage(settings)
    assert cov.regions == ("northamerica-south1", "southamerica-east1", "southamerica-west1", "us-east1")
    assert cov.is_us_reference("us-east1") and not cov.is_us_reference("southamerica-east1")


# --- wholly bad payloads ------------------------------------------------------------------------


@pytest.mark.parametrize(("content", "reason"), [
    (b"<!DOCTYPE html><html><body>Error 404</body></html>", "skus.page-1.json: not JSON"),
    (b"[]", "skus.page-1.json: expected a JSON object, got list"),
    (json.dumps({"error": {"code": 400, "message": "API key not valid. Please pass a valid API key."}}).encode(),
     "skus.page-1.json: the API answered with an error: API key not valid"),
    (json.dumps({"items": []}).encode(), "skus.page-1.json: no 'skus' in the page"),
])
def test_a_wholly_bad_page_fails_the_source(tmp_path, content, reason):
    with pytest.raises(PayloadError) as exc:
        _parse(tmp_path, [content])
    message = str(exc.value)
    assert message.startswith("gcp_gpu_skus: bad payload in snapshot ") and reason in message
    assert "\n" not in message


def test_a_snapshot_without_coverage_fails(tmp_path):
    with pytest.raises(PayloadError, match="file 'coverage.json' is missing"):
        parse_files(tmp_path, gcp.SOURCE, {"skus.page-1.json": SAMPLE})
    with pytest.raises(PayloadError, match="coverage.json: not a gcp coverage object"):
        _parse(tmp_path / "other", [SAMPLE], {"provider": "aws", "latam": [], "us_reference": "us-east-1"})


def test_no_gpu_row_at_all_fails(tmp_path):
    page = {"skus": [_sku("B", "N2 Instance Core", ["southamerica-east1"], group="CPU")], "nextPageToken": ""}
    with pytest.raises(PayloadError, match="table gpu_prices got 0 rows"):
        _parse(tmp_path, [json.dumps(page).encode()])


# --- fetch ------------------------------------------------------------------------------------


class FakeCatalog:
    """Two pages of SKUs, joined by a nextPageToken."""

    def __init__(self):
        self.requests: list[httpx.Request] = []
        self.pages = {
            None: {"skus": [_sku("P1", "Nvidia Tesla T4 GPU running in Sao Paulo", ["southamerica-east1"])],
                   "nextPageToken": "tok-2"},
            "tok-2": {"skus": [_sku("P2", "Nvidia L4 GPU running in South Carolina", ["us-east1"])],
                      "nextPageToken": ""},
        }

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        assert request.url.path == f"/v1/services/{gcp.COMPUTE_ENGINE}/skus"
        return httpx.Response(200, json=self.pages[request.url.params.get("pageToken")])


def test_fetch_follows_next_page_token_and_keeps_the_key_out_of_the_snapshot(settings, monkeypatch):
    monkeypatch.setenv(gcp.KEY_ENV, KEY)
    fake = FakeCatalog()
    snapshot, requests = fetch_snapshot(_unlimited(), settings, offline=False, transport=httpx.MockTransport(fake))

    assert requests == 2
    assert [dict(r.url.params) for r in fake.requests] == [{"pageSize": "5000"},
                                                           {"pageSize": "5000", "pageToken": "tok-2"}]
    assert all(r.headers["x-goog-api-key"] == KEY for r in fake.requests)
    assert all(KEY not in str(r.url) for r in fake.requests)
    assert snapshot.names() == ["coverage.json", "skus.page-1.json", "skus.page-2.json"]
    assert snapshot.file("skus.page-2.json").query == {"pageSize": 5000, "pageToken": "tok-2"}
    assert json.loads(snapshot.read_bytes("coverage.json")) == COVERAGE
    assert snapshot.url_of("coverage.json") == "cadena:coverage"
    sidecar = (snapshot.path / "_snapshot.json").read_text()
    assert KEY not in sidecar

    rows = [item.data for item in gcp.SOURCE.parse(snapshot)]
    assert [(r["sku_id"], r["region"], r["is_us_reference"]) for r in rows] == [
        ("P1", "southamerica-east1", False), ("P2", "us-east1", True)]


def test_fetch_stops_on_a_repeated_page_token(settings, monkeypatch):
    monkeypatch.setenv(gcp.KEY_ENV, KEY)

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"skus": [], "nextPageToken": "same"})

    with pytest.raises(FetchError, match="page 2 repeats an earlier nextPageToken"):
        fetch_snapshot(_unlimited(), settings, offline=False, transport=httpx.MockTransport(handler))


def test_an_http_error_does_not_leak_the_key(settings, monkeypatch):
    monkeypatch.setenv(gcp.KEY_ENV, KEY)

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, json={"error": {"code": 400, "message": "API key not valid."}})

    with pytest.raises(FetchError) as exc:
        fetch_snapshot(_unlimited(), settings, offline=False, transport=httpx.MockTransport(handler))
    assert "HTTP 400" in str(exc.value) and KEY not in str(exc.value)


def test_without_the_key_the_source_is_skipped(settings, monkeypatch):
    monkeypatch.delenv(gcp.KEY_ENV, raising=False)

    def handler(request: httpx.Request) -> httpx.Response:  # pragma: no cover - must not be called
        raise AssertionError("no request without a key")

    with pytest.raises(SourceSkipped, match="gcp_gpu_skus: skipped: set GOOGLE_CLOUD_API_KEY to enable it"):
        run_source(gcp.SOURCE, settings, transport=httpx.MockTransport(handler))


def test_plan():
    assert gcp.SOURCE.requires_env == ("GOOGLE_CLOUD_API_KEY",)
    assert gcp.SOURCE.plan.rate_limits == {"cloudbilling.googleapis.com": 1.0}


# --- offline run ------------------------------------------------------------------------------


def test_offline_run_loads_duckdb(settings, monkeypatch):
    monkeypatch.delenv(gcp.KEY_ENV, raising=False)
    result = run_source(gcp.SOURCE, settings, offline=True)
    assert (result.status, result.rows, result.quarantined, result.requests) == ("loaded", {"gpu_prices": 8}, 1, 1)
    with duckdb.connect(str(settings.working_db), read_only=True) as con:
        by_region = con.execute("select region, count(*) from raw_gcp_gpu_skus.gpu_prices "
                                "group by region order by region").fetchall()
        assert by_region == [("southamerica-east1", 4), ("southamerica-west1", 1), ("us-east1", 3)]
        assert con.execute("select count(*) from raw_gcp_gpu_skus.gpu_prices where is_us_reference").fetchone() == (3,)
        assert con.execute("select record_id from meta.quarantine where source = 'gcp_gpu_skus'").fetchall() == [
            ("E0A1-5A3B-0009",)]
