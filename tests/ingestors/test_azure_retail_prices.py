"""Azure Retail Prices: item mapping, paging past a missing NextPageLink, the SKU seed, offline run."""

from __future__ import annotations

import csv
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import httpx
import pytest

from ingestors.core.config import REPO_ROOT, Settings
from ingestors.core.errors import FetchError, PayloadError
from ingestors.core.offline import SAMPLES_DIR
from ingestors.core.pipeline import fetch_snapshot, run_source
from ingestors.domain.cloud_catalogue import COVERAGE_FILE, Coverage
from ingestors.domain.gpus import canonical_gpu_model
from ingestors.sources import azure_retail_prices as azure
from tests.ingestors.helpers import parse_files, snapshot_from_files

SAMPLE = SAMPLES_DIR / "azure_retail_prices" / "prices.json"
SEED = REPO_ROOT / "dbt_project" / "seeds" / "azure_gpu_vm_skus.csv"
REGIONS = ["brazilsouth", "brazilsoutheast", "chilecentral", "mexicocentral", "eastus"]


def _sample_files(regions=REGIONS) -> dict[str, Path]:
    """The sample page as every region's first page, as an offline run stores it."""
    return {f"prices-{region}-0.json": SAMPLE for region in regions}


def _parse(tmp_path: Path, files):
    return parse_files(tmp_path, azure.SOURCE, files)


def _item(region: str = "eastus", n: int = 0, *, sku: str = "Standard_NC4as_T4_v3", sku_name: str = "NC4as T4 v3",
          product: str = "Virtual Machines NCasT4_v3 Series", type_: str = "Consumption",
          meter: str | None = None, term: str | None = None, price: float = 1.0) -> dict:
    item = {
        "currencyCode": "USD", "tierMinimumUnits": 0.0, "retailPrice": price, "unitPrice": price,
        "armRegionName": region, "location": "Somewhere", "effectiveStartDate": "2025-01-01T00:00:00Z",
        "meterId": f"meter-{region}-{n}", "meterName": meter or sku_name, "productId": "PROD",
        "skuId": f"PROD/{n:04d}", "productName": product, "skuName": sku_name, "serviceName": "Virtual Machines",
        "serviceId": "SVC", "serviceFamily": "Compute", "unitOfMeasure": "1 Hour", "type": type_,
        "isPrimaryMeterRegion": True, "armSkuName": sku,
    }
    if term:
        item["reservationTerm"] = term
    return item


def _page(items: list[dict], next_link: str | None = None) -> bytes:
    return json.dumps({"BillingCurrency": "USD", "CustomerEntityId": "Default", "CustomerEntityType": "Retail",
                       "Items": items, "NextPageLink": next_link, "Count": len(items)}).encode()


# --- the sample -------------------------------------------------------------------------------


def test_parse_sample(tmp_path):
    result = _parse(tmp_path, _sample_files())
    rows = result.rows["prices"]
    by_region: dict[str, int] = {}
    for row in rows:
        by_region[row["arm_region_name"]] = by_region.get(row["arm_region_name"], 0) + 1
    # brazilsoutheast has no item; westeurope, D4s v5 and NP10s are skipped
    assert by_region == {"brazilsouth": 8, "mexicocentral": 2, "chilecentral": 1, "eastus": 7}
    assert {row["arm_sku_name"] for row in rows} == {
        "Standard_NC4as_T4_v3", "Standard_NC24ads_A100_v4", "Standard_NV36ads_A10_v5",
        "Standard_NC40ads_H100_v5", "Standard_ND96isr_H100_v5", "Standard_NV12s_v3",
    }
    first = next(r for r in rows if r["arm_region_name"] == "brazilsouth" and r["price_type"] == "consumption"
                 and r["os"] == "linux" and r["arm_sku_name"] == "Standard_NC4as_T4_v3")
    assert {k: v for k, v in first.items() if not k.startswith("_")} == {
        "arm_region_name": "brazilsouth",
        "location": "BR South",
        "arm_sku_name": "Standard_NC4as_T4_v3",
        "sku_name": "NC4as T4 v3",
        "product_name": "Virtual Machines NCasT4_v3 Series",
        "meter_name": "NC4as T4 v3",
        "meter_id": "15d8878e-1d7c-5357-b85f-3e9caf62fef5",
        "sku_id": "DZH318Z0EXT4/0011",
        "product_id": "DZH318Z0EXT4",
        "price_type": "consumption",
        "reservation_term": "",
        "os": "linux",
        "unit_of_measure": "1 Hour",
        "unit_price": 0.75,
        "retail_price": 0.75,
        "currency_code": "USD",
        "tier_minimum_units": 0.0,
        "effective_start_date": datetime(2024, 6, 1, tzinfo=UTC),
        "gpu_model": "T4",
        "is_us_reference": False,
        "is_primary_meter_region": True,
    }
    assert first["_record_url"] == azure.LINUX_URL
    assert first["_record_id"] == "brazilsouth/DZH318Z0EXT4/0011/15d8878e-1d7c-5357-b85f-3e9caf62fef5/Consumption"

    kinds = sorted((r["arm_region_name"], r["arm_sku_name"], r["price_type"], r["reservation_term"], r["os"],
                    r["unit_price"]) for r in rows if r["arm_region_name"] in ("brazilsouth", "eastus"))
    assert kinds == sorted([
        ("brazilsouth", "Standard_NC4as_T4_v3", "consumption", "", "linux", 0.75),
        ("brazilsouth", "Standard_NC4as_T4_v3", "spot", "", "linux", 0.15),
        ("brazilsouth", "Standard_NC4as_T4_v3", "consumption", "", "windows", 0.93),
        ("brazilsouth", "Standard_NC4as_T4_v3", "reservation", "1 Year", "linux", 3950.0),
        ("brazilsouth", "Standard_NC4as_T4_v3", "reservation", "3 Years", "linux", 7600.0),
        ("brazilsouth", "Standard_NC24ads_A100_v4", "consumption", "", "linux", 5.1),
        ("brazilsouth", "Standard_NC24ads_A100_v4", "low_priority", "", "linux", 1.02),
        ("brazilsouth", "Standard_NV36ads_A10_v5", "devtest", "", "windows", 3.4),
        ("eastus", "Standard_NC4as_T4_v3", "consumption", "", "linux", 0.53),
        ("eastus", "Standard_NC24ads_A100_v4", "consumption", "", "linux", 3.7),
        ("eastus", "Standard_NC40ads_H100_v5", "consumption", "", "linux", 7.0),
        ("eastus", "Standard_ND96isr_H100_v5", "consumption", "", "linux", 98.0),
        ("eastus", "Standard_ND96isr_H100_v5", "spot", "", "linux", 29.5),
        ("eastus", "Standard_ND96isr_H100_v5", "reservation", "3 Years", "linux", 1650000.0),
        ("eastus", "Standard_NV12s_v3", "consumption", "", "linux", 1.2),
    ])
    assert {r["is_us_reference"] for r in rows if r["arm_region_name"] == "eastus"} == {True}
    assert not any(r["is_us_reference"] for r in rows if r["arm_region_name"] != "eastus")
    windows = [r for r in rows if r["os"] == "windows"]
    assert {r["_record_url"] for r in windows} == {azure.WINDOWS_URL}
    nv12 = next(r for r in rows if r["arm_sku_name"] == "Standard_NV12s_v3")
    assert (nv12["gpu_model"], nv12["is_primary_meter_region"]) == (None, False)  # an M60, not named


def test_sample_quarantines_the_item_without_a_price(tmp_path):
    result = _parse(tmp_path, _sample_files())
    assert len(result.quarantine) == 1
    (bad,) = result.quarantine
    assert bad["record_id"].startswith("brazilsouth/DZH318Z0EXA1/0041/")
    assert bad["reason"] == "unit_price: Input should be a valid number; retail_price: Input should be a valid number"


def test_each_file_keeps_only_its_own_region(tmp_path):
    """Offline one page answers every region; a file only contributes the region it asked for."""
    result = _parse(tmp_path, _sample_files(["mexicocentral"]))
    assert sorted(r["arm_sku_name"] for r in result.rows["prices"]) == [
        "Standard_NC40ads_H100_v5", "Standard_NC4as_T4_v3"]
    assert result.quarantine == []  # the bad brazilsouth item belongs to another request


# --- mapping of one item ----------------------------------------------------------------------


@pytest.mark.parametrize(("fields", "expected"), [
    ({}, ("consumption", "", "linux")),
    ({"sku_name": "NC4as T4 v3 Spot"}, ("spot", "", "linux")),
    ({"meter": "NC4as T4 v3 Spot"}, ("spot", "", "linux")),
    ({"sku_name": "NC4as T4 v3 Low Priority", "product": "Virtual Machines NCasT4_v3 Series Windows"},
     ("low_priority", "", "windows")),
    ({"type_": "Reservation", "term": "1 Year"}, ("reservation", "1 Year", "linux")),
    ({"type_": "Reservation", "term": "3 Years"}, ("reservation", "3 Years", "linux")),
    ({"type_": "DevTestConsumption", "product": "Virtual Machines NCasT4_v3 Series Windows"},
     ("devtest", "", "windows")),
])
def test_price_type_term_and_os(tmp_path, fields, expected):
    result = _parse(tmp_path, {"prices-eastus-0.json": _page([_item(**fields)])})
    (row,) = result.rows["prices"]
    assert (row["price_type"], row["reservation_term"], row["os"]) == expected


def test_unknown_type_and_reservation_without_term_are_quarantined(tmp_path):
    items = [_item(n=1, type_="Subscription"), _item(n=2, type_="Reservation"), _item(n=3)]
    result = _parse(tmp_path, {"prices-eastus-0.json": _page(items)})
    assert len(result.rows["prices"]) == 1
    assert sorted(q["reason"] for q in result.quarantine) == [
        "reservation without reservationTerm", "unknown price type 'Subscription'"]


@pytest.mark.parametrize(("sku", "sku_name", "product", "expected"), [
    ("Standard_NC24ads_A100_v4", "NC24ads A100 v4", "Virtual Machines NCads A100 v4 Series", "A100"),
    ("Standard_ND96isr_MI300X_v5", "ND96isr MI300X v5", "Virtual Machines ND MI300X v5 Series", "MI300X"),
    ("Standard_NG32ads_V620_v1", "NG32ads V620 v1", "Virtual Machines NGads V620 Series", "V620"),
    ("Standard_NC6s_v3", "NC6s v3", "Virtual Machines NCSv3 Series", None),
])
def test_gpu_model_only_when_named(tmp_path, sku, sku_name, product, expected):
    result = _parse(tmp_path, {"prices-eastus-0.json": _page([_item(sku=sku, sku_name=sku_name, product=product)])})
    assert result.rows["prices"][0]["gpu_model"] == expected


def test_non_gpu_sizes_are_skipped_not_quarantined(tmp_path):
    items = [_item(n=1), _item(n=2, sku="Standard_D4s_v5", sku_name="D4s v5"),
             _item(n=3, sku="Standard_NP10s", sku_name="NP10s"), {**_item(n=4), "armSkuName": None}]
    result = _parse(tmp_path, {"prices-eastus-0.json": _page(items)})
    assert [r["meter_id"] for r in result.rows["prices"]] == ["meter-eastus-1"]
    assert result.quarantine == []


def test_an_item_repeated_on_two_pages_is_kept_once(tmp_path):
    files = {"prices-eastus-0.json": _page([_item(n=1), _item(n=2)]),
             "prices-eastus-1.json": _page([_item(n=2), _item(n=3)])}
    result = _parse(tmp_path, files)
    assert sorted(r["meter_id"] for r in result.rows["prices"]) == [f"meter-eastus-{n}" for n in (1, 2, 3)]
    assert result.quarantine == []


def test_coverage_file_decides_the_reference_region(tmp_path):
    coverage = Coverage("azure", ("brazilsouth",), "southcentralus")
    files = {"prices-southcentralus-0.json": _page([_item("southcentralus", 1)]),
             "prices-brazilsouth-0.json": _page([_item("brazilsouth", 2)]),
             COVERAGE_FILE: coverage.to_json()}
    rows = {r["arm_region_name"]: r["is_us_reference"] for r in _parse(tmp_path, files).rows["prices"]}
    assert rows == {"southcentralus": True, "brazilsouth": False}


# --- wholly bad payloads ----------------------------------------------------------------------


def test_json_without_items_fails(tmp_path):
    with pytest.raises(PayloadError, match=r"prices-eastus-0\.json: expected an object with an Items list$"):
        _parse(tmp_path, {"prices-eastus-0.json": b'{"error": {"code": "BadRequest"}}'})


def test_a_snapshot_without_price_files_fails(tmp_path):
    snapshot = snapshot_from_files(tmp_path, azure.NAME, {COVERAGE_FILE: Coverage.default("azure").to_json()})
    with pytest.raises(PayloadError, match="no prices-<region>-<page>.json file"):
        list(azure.parse(snapshot))


# --- fetch: server-side filter and paging ------------------------------------------------------


class FakeApi:
    """Serves ``pages[region]`` by ``$skip``; records every request."""

    def __init__(self, pages: dict[str, list[tuple[int, bool]]]):
        self.pages = pages  # region -> [(items on the page, NextPageLink set?)]
        self.requests: list[httpx.Request] = []

    def region(self, request: httpx.Request) -> str:
        return re.search(r"armRegionName eq '([a-z0-9]+)'", request.url.params["$filter"]).group(1)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        region = self.region(request)
        skip = int(request.url.params.get("$skip", "0"))
        offset = 0
        for count, has_link in self.pages.get(region, [(0, False)]):
            if offset == skip:
                items = [_item(region, offset + i) for i in range(count)]
                link = f"https://prices.azure.com:443/api/retail/prices?$skip={skip + count}" if has_link else None
                return httpx.Response(200, content=_page(items, link), headers={"content-type": "application/json"})
            offset += count
        return httpx.Response(200, content=_page([]), headers={"content-type": "application/json"})

    def skips(self, region: str) -> list[str | None]:
        return [r.url.params.get("$skip") for r in self.requests if self.region(r) == region]


def _fetch(settings, api: FakeApi):
    return fetch_snapshot(azure.SOURCE, settings, offline=False, transport=httpx.MockTransport(api))


def test_fetch_keeps_paging_when_next_page_link_is_null(settings):
    # eastus: a full page with no link (the known bug), a full page with a link, then a short page
    api = FakeApi({"eastus": [(100, False), (100, True), (37, False)], "brazilsouth": [(3, False)]})
    snapshot, requests = _fetch(settings, api)
    assert api.skips("eastus") == [None, "100", "200"]
    assert api.skips("brazilsouth") == [None]
    assert requests == 7  # eastus 3, and one each for the four LatAm regions
    assert snapshot.names("prices-eastus") == ["prices-eastus-0.json", "prices-eastus-1.json", "prices-eastus-2.json"]
    rows = azure.SOURCE.parse(snapshot)
    assert sum(1 for r in rows if r.data["arm_region_name"] == "eastus") == 237


def test_fetch_stops_on_an_empty_page(settings):
    api = FakeApi({"eastus": [(100, False), (100, False)]})
    _, requests = _fetch(settings, api)
    assert api.skips("eastus") == [None, "100", "200"]  # the third answers Count 0
    assert requests == 3 + 4


def test_fetch_filters_server_side(settings):
    api = FakeApi({})
    snapshot, _ = _fetch(settings, api)
    assert [api.region(r) for r in api.requests] == REGIONS
    first = api.requests[0]
    assert (first.url.scheme, first.url.host, first.url.path) == ("https", "prices.azure.com", "/api/retail/prices")
    assert dict(first.url.params) == {
        "api-version": "2023-01-01-preview",
        "$filter": "serviceName eq 'Virtual Machines' and armRegionName eq 'brazilsouth' "
                   "and contains(armSkuName, 'Standard_N')",
    }
    assert json.loads(snapshot.read_bytes(COVERAGE_FILE)) == {
        "latam": ["brazilsouth", "brazilsoutheast", "chilecentral", "mexicocentral"],
        "provider": "azure", "us_reference": "eastus"}


def test_fetch_asks_for_the_configured_reference_region(tmp_path):
    settings = Settings(warehouse_dir=tmp_path / "w", contact="t@example.org",
                        us_reference_regions={"aws": "us-east-1", "azure": "westus2"})
    api = FakeApi({"westus2": [(2, False)]})
    snapshot, _ = _fetch(settings, api)
    assert [api.region(r) for r in api.requests][-1] == "westus2"
    rows = list(azure.SOURCE.parse(snapshot))
    assert {(r.data["arm_region_name"], r.data["is_us_reference"]) for r in rows} == {("westus2", True)}


def test_fetch_gives_up_when_skip_is_ignored(settings, monkeypatch):
    monkeypatch.setattr(azure, "MAX_PAGES", 4)

    def same_full_page(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=_page([_item("brazilsouth", i) for i in range(100)]))

    with pytest.raises(FetchError, match="brazilsouth: still full pages after 4 requests"):
        fetch_snapshot(azure.SOURCE, settings, offline=False, transport=httpx.MockTransport(same_full_page))


# --- offline run --------------------------------------------------------------------------------


def test_offline_run_loads_the_sample(settings):
    result = run_source(azure.SOURCE, settings, offline=True)
    assert result.status == "loaded"
    assert result.requests == 5  # one short page per region ends paging
    assert result.rows == {"prices": 18}
    assert result.quarantined == 1
    with duckdb.connect(str(settings.working_db), read_only=True) as con:
        counts = dict(con.execute(
            "select arm_region_name, count(*) from raw_azure_retail_prices.prices group by all").fetchall())
        types = dict(con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'raw_azure_retail_prices' and table_name = 'prices'").fetchall())
        reference = con.execute(
            "select distinct arm_region_name from raw_azure_retail_prices.prices where is_us_reference").fetchall()
    assert counts == {"brazilsouth": 8, "mexicocentral": 2, "chilecentral": 1, "eastus": 7}
    assert reference == [("eastus",)]
    assert (types["unit_price"], types["tier_minimum_units"], types["effective_start_date"]) == (
        "DOUBLE", "DOUBLE", "TIMESTAMP WITH TIME ZONE")
    assert types["is_us_reference"] == "BOOLEAN"


# --- the SKU seed -------------------------------------------------------------------------------


def _seed() -> list[dict[str, str]]:
    with SEED.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == ["arm_sku_name", "vm_family", "gpu_model", "gpus_per_vm", "gpu_memory_gb",
                                     "source_url"]
        return list(reader)


def test_seed_rows_are_well_formed():
    rows = _seed()
    names = [r["arm_sku_name"] for r in rows]
    assert len(names) == len(set(names))
    for row in rows:
        assert azure.GPU_SKU.match(row["arm_sku_name"]), row
        assert canonical_gpu_model(row["gpu_model"]) == row["gpu_model"], row
        assert 0 < float(row["gpus_per_vm"]) <= 8 and float(row["gpu_memory_gb"]) > 0, row
        assert row["source_url"].startswith(
            "https://learn.microsoft.com/en-us/azure/virtual-machines/sizes/gpu-accelerated/"), row
    fractions = {r["arm_sku_name"]: float(r["gpus_per_vm"]) for r in rows if float(r["gpus_per_vm"]) < 1}
    assert fractions["Standard_NV6ads_A10_v5"] == pytest.approx(1 / 6, abs=1e-4)


def test_every_gpu_size_of_the_sample_is_in_the_seed(tmp_path):
    seeded = {r["arm_sku_name"] for r in _seed()}
    sampled = {r["arm_sku_name"] for r in _parse(tmp_path, _sample_files()).rows["prices"]}
    assert sampled <= seeded
