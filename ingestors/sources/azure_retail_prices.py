"""Azure Retail Prices: GPU virtual machine prices in LatAm Azure regions and the US reference region.

Endpoint: ``GET https://prices.azure.com/api/retail/prices`` (public, no auth),
pinned to ``api-version=2023-01-01-preview`` (backward compatible with the
unversioned API; filter *values* are case-sensitive from this version on).
Prices are in USD, the API's default currency, so no ``currencyCode`` is sent.

Filter (OData ``$filter``; the API supports ``eq``/``ne``, ``and``/``or`` and
``contains()``, not ``not``), one per region::

    serviceName eq 'Virtual Machines' and armRegionName eq '<region>'
        and contains(armSkuName, 'Standard_N')

``Standard_N`` is the N-series, Azure's GPU families (NC, ND, NV, NG and their
successors) plus the NP FPGA sizes, which the parser drops. Regions: every
LatAm Azure region of the catalogue (``cloud_region_catalogue.csv``: kind
``region``, status ga or preview) and ``Settings.us_reference_regions["azure"]``
(default ``eastus``). The fetch writes that choice to ``coverage.json``.

Response: ``{"BillingCurrency", "CustomerEntityId", "CustomerEntityType",
"Items": [...], "NextPageLink": url | null, "Count": n}``, at most 100 items a
page; ``$skip`` pages. **Paging trap**: ``NextPageLink`` is known to come back
empty while more items exist (reported on Microsoft Q&A, 2023-03-10), so it is
not trusted alone: the fetch asks for the next page (``$skip`` = items received
so far, i.e. ``100*k``) while the link is set *or* the page was full, and stops
on a short page (or ``Count`` 0). Files: ``prices-<region>-<page>.json``.

Requests per live refresh: one per region plus one per further 100 items, so
5 regions with a few hundred N-series items each (eastus has the most) cost
about 15-25 requests. ``MAX_PAGES`` stops a runaway loop.

Item traps:

* ``type`` is ``Consumption``, ``Reservation`` or ``DevTestConsumption``; spot
  and low-priority prices are ``Consumption`` items whose ``skuName`` /
  ``meterName`` say ``Spot`` / ``Low Priority``.
* Windows is only visible in ``productName`` (``... Series Windows``).
* A reservation's ``unitPrice`` is the price of the whole term
  (``reservationTerm`` ``1 Year`` / ``3 Years``) although ``unitOfMeasure``
  says ``1 Hour``; kept as given, dbt spreads it over the term. Other items
  have no term: ``reservation_term`` is then ``''``, not NULL, because it is a
  key column and DuckDB primary-key columns cannot be NULL.
* The GPU model is in the newer ``skuName`` s (``NC4as T4 v3``), not the older
  ones (``NV12s v3`` is an M60): ``gpu_model`` is filled only when the name
  says it; dbt takes GPU model and count from the seed ``azure_gpu_vm_skus``.

Offline, the sample transport ignores the query string, so every region's
request is answered with the same one-page sample. Each file therefore only
contributes the items of the region it was requested for (which is all a live
answer holds anyway); other items, and non-GPU items that slip through the
filter, are skipped, not quarantined. Items repeated verbatim across pages
(unstable paging) are kept once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from ingestors.core.errors import FetchError
from ingestors.core.registry import FetchPlan, Record, Reject, Row, Source, Table
from ingestors.domain.cloud_catalogue import COVERAGE_FILE, COVERAGE_URL, Coverage, latam_regions
from ingestors.domain.gpus import canonical_gpu_model

NAME = "azure_retail_prices"
TABLE = "prices"
BASE_URL = "https://prices.azure.com/api/retail/prices"
API_VERSION = "2023-01-01-preview"
PAGE_SIZE = 100
MAX_PAGES = 60  # per region: 6,000 items, far more than any region's N-series list
LINUX_URL = "https://azure.microsoft.com/en-us/pricing/details/virtual-machines/linux/"
WINDOWS_URL = "https://azure.microsoft.com/en-us/pricing/details/virtual-machines/windows/"

# N-series GPU families: NC, ND, NV, NG (and NCC, NVads ... which start the same). Not NP (FPGA).
GPU_SKU = re.compile(r"^Standard_N[CDVG]")
ITEM_TYPES = {"Consumption": "consumption", "Reservation": "reservation", "DevTestConsumption": "devtest"}


class Price(Row):
    arm_region_name: str
    location: str | None
    arm_sku_name: str
    sku_name: str
    product_name: str
    meter_name: str | None
    meter_id: str
    sku_id: str
    product_id: str | None
    price_type: str  # consumption | spot | low_priority | reservation | devtest
    # '1 Year', '3 Years' for reservations, '' otherwise: it is part of the key, and
    # the key is the table's primary key in DuckDB, whose columns cannot hold NULL.
    reservation_term: str
    os: str  # linux | windows
    unit_of_measure: str
    unit_price: float
    retail_price: float
    currency_code: str
    tier_minimum_units: float
    effective_start_date: datetime | None
    gpu_model: str | None  # canonical, only when the SKU or product name says it
    is_us_reference: bool
    is_primary_meter_region: bool | None  # extra column: the API's isPrimaryMeterRegion


def region_filter(region: str) -> str:
    """The server-side ``$filter`` for one region's N-series VM prices."""
    return (f"serviceName eq 'Virtual Machines' and armRegionName eq '{region}' "
            f"and contains(armSkuName, 'Standard_N')")


def coverage(settings) -> Coverage:
    return Coverage("azure", latam_regions("azure"), settings.us_reference_regions["azure"])


def _file(region: str, page: int) -> str:
    return f"prices-{region}-{page}.json"


def _page_info(body: bytes) -> tuple[int, bool]:
    """(items on this page, whether to ask for the next one). A bad page stops paging;
    ``parse`` then reports it with its snapshot."""
    try:
        page = json.loads(body)
        items = page["Items"]
        if not isinstance(items, list):
            return 0, False
    except (ValueError, KeyError, TypeError):
        return 0, False
    link = page.get("NextPageLink")
    more = bool(items) and page.get("Count") != 0 and (bool(link) or len(items) >= PAGE_SIZE)
    return len(items), more


def fetch(ctx) -> None:
    """Per region: pages of ``$filter`` results until a short page; see the module docstring."""
    cov = coverage(ctx.settings)
    ctx.add_file(COVERAGE_FILE, cov.to_json(), COVERAGE_URL)
    for region in cov.regions:
        if not re.fullmatch(r"[a-z0-9]+", region):  # it goes into the filter and the file name
            raise FetchError(ctx.source.name, BASE_URL, f"{region!r} is not an Azure region name")
        base = {"api-version": API_VERSION, "$filter": region_filter(region)}
        received, page, more = 0, 0, True
        while more:
            if page >= MAX_PAGES:
                raise FetchError(ctx.source.name, BASE_URL,
                                 f"{region}: still full pages after {MAX_PAGES} requests; is $skip ignored?")
            params = {**base, "$skip": received} if received else base
            count, more = _page_info(ctx.get(_file(region, page), BASE_URL, params=params))
            received += count
            page += 1


# --- parsing ---------------------------------------------------------------------------------


def _text(item: dict, key: str) -> str | None:
    value = item.get(key)
    return value.strip() if isinstance(value, str) and value.strip() else None


def price_type(item: dict) -> str | None:
    """consumption | spot | low_priority | reservation | devtest, or None for an unknown ``type``."""
    kind = ITEM_TYPES.get(item.get("type"))
    if kind == "consumption":
        names = f"{item.get('skuName') or ''} {item.get('meterName') or ''}"
        if "Spot" in names:
            return "spot"
        if "Low Priority" in names:
            return "low_priority"
    return kind


def operating_system(item: dict) -> str:
    return "windows" if "Windows" in (item.get("productName") or "") else "linux"


def gpu_model(item: dict) -> str | None:
    return canonical_gpu_model(item.get("skuName")) or canonical_gpu_model(item.get("productName"))


def _coverage(snapshot) -> Coverage:
    if COVERAGE_FILE not in snapshot.names():
        return Coverage.default("azure")  # a snapshot written by hand or by tests
    try:
        return Coverage.from_json("azure", snapshot.read_json(COVERAGE_FILE))
    except ValueError as exc:
        raise snapshot.error(str(exc), file=COVERAGE_FILE) from None


def _record(item: dict, region: str, cov: Coverage, record_id: str) -> Record | Reject:
    kind = price_type(item)
    if kind is None:
        return Reject(TABLE, record_id, f"unknown price type {item.get('type')!r}", item)
    term = _text(item, "reservationTerm")
    if kind == "reservation" and term is None:
        return Reject(TABLE, record_id, "reservation without reservationTerm", item)
    os = operating_system(item)
    return Record(
        TABLE,
        {
            "arm_region_name": region,
            "location": _text(item, "location"),
            "arm_sku_name": item["armSkuName"],
            "sku_name": item.get("skuName"),
            "product_name": item.get("productName"),
            "meter_name": _text(item, "meterName"),
            "meter_id": item.get("meterId"),
            "sku_id": item.get("skuId"),
            "product_id": _text(item, "productId"),
            "price_type": kind,
            "reservation_term": term or "",
            "os": os,
            "unit_of_measure": item.get("unitOfMeasure"),
            "unit_price": item.get("unitPrice"),
            "retail_price": item.get("retailPrice"),
            "currency_code": item.get("currencyCode"),
            "tier_minimum_units": item.get("tierMinimumUnits"),
            "effective_start_date": item.get("effectiveStartDate") or None,
            "gpu_model": gpu_model(item),
            "is_us_reference": cov.is_us_reference(region),
            "is_primary_meter_region": item.get("isPrimaryMeterRegion"),
        },
        record_id=record_id,
        record_url=WINDOWS_URL if os == "windows" else LINUX_URL,
    )


def page_items(snapshot, prefix: str, table: str) -> Iterator[tuple[str, str, int, dict | Reject]]:
    """Every item of the ``<prefix>-<region>-<page>.json`` pages the Retail Prices API answered, as
    (file, region, index, item); an item that is not an object comes as a :class:`Reject` of ``table``.
    A snapshot without such pages, a misnamed file or a page without an Items list fails the source.
    (Shared with the Azure OpenAI meters source, which pages the same API.)"""
    names = snapshot.names(f"{prefix}-")
    if not names:
        raise snapshot.error(f"no {prefix}-<region>-<page>.json file in the snapshot")
    pattern = re.compile(rf"^{prefix}-(?P<region>[a-z0-9]+)-(?P<page>\d+)\.json$")
    for name in names:
        match = pattern.match(name)
        if match is None:
            raise snapshot.error(f"file name is not {prefix}-<region>-<page>.json", file=name)
        body = snapshot.read_json(name)
        if not isinstance(body, dict) or not isinstance(body.get("Items"), list):
            raise snapshot.error("expected an object with an Items list", file=name)
        for i, item in enumerate(body["Items"]):
            if isinstance(item, dict):
                yield name, match["region"], i, item
            else:
                yield name, match["region"], i, Reject(table, f"{name}#{i}", "item is not an object", item)


def parse(snapshot) -> Iterator[Record | Reject]:
    cov = _coverage(snapshot)
    seen: set[tuple[str, str]] = set()
    for name, region, i, item in page_items(snapshot, "prices", TABLE):
        if isinstance(item, Reject):
            yield item
            continue
        sku = item.get("armSkuName")
        if not (isinstance(sku, str) and GPU_SKU.match(sku)):
            continue  # not a GPU size (NP FPGAs, anything that slipped through the filter)
        if item.get("armRegionName") != region or item.get("serviceName") != "Virtual Machines":
            continue  # not what this request asked for (offline, one sample serves every region)
        fingerprint = json.dumps(item, sort_keys=True, default=str)
        if (region, fingerprint) in seen:
            continue  # the same item on two pages
        seen.add((region, fingerprint))
        yield _record(item, region, cov, _record_id(item, region, name, i))


def _record_id(item: dict[str, Any], region: str, name: str, i: int) -> str:
    parts = [region, item.get("skuId"), item.get("meterId"), item.get("type"), item.get("reservationTerm")]
    if not (item.get("skuId") and item.get("meterId")):
        return f"{name}#{i}"
    return "/".join(str(p) for p in parts if p)


SOURCE = Source(
    name=NAME,
    family="capacity",
    title="Azure Retail Prices (GPU VMs)",
    endpoint=('`prices.azure.com/api/retail/prices`, N-series VMs per LatAm region + US reference, paged by '
              '`NextPageLink` and `$skip`'),
    description=("Hourly retail prices of Azure GPU virtual machines (N-series) in every LatAm Azure "
                 "region and the US reference region: pay-as-you-go, spot, low priority, dev/test "
                 "and 1- and 3-year reservations, Linux and Windows, in USD."),
    homepage="https://learn.microsoft.com/en-us/rest/api/cost-management/retail-prices/azure-retail-prices",
    licence="Microsoft Azure Retail Prices API, public pricing data",
    cadence="weekly",
    tables=(
        Table(TABLE, Price,
              ("meter_id", "sku_id", "arm_region_name", "price_type", "reservation_term", "tier_minimum_units"),
              "One Azure price item of an N-series GPU VM size per region: meter, SKU, price type "
              "(consumption, spot, low_priority, reservation, devtest), OS and USD price. A "
              "reservation's unit_price is the whole term's price."),
    ),
    fetch=fetch,
    parse=parse,
    plan=FetchPlan(
        max_requests=60 * 12,  # one per region plus its further pages; MAX_PAGES per region bounds it
        # No published limit; the API throttles bursts with 429. Stay gentle.
        rate_limits={"prices.azure.com": 2.0},
        # The query ($filter, $skip) is ignored offline: one page serves every region and ends paging.
    ),
)
