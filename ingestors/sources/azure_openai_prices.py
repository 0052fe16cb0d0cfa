"""Azure OpenAI in LatAm regions: which model meters Azure prices in each region, and at what price.

The data-residency question: a model served from a LatAm Azure region keeps
prompts in the country; a ``Global`` deployment may process them anywhere. The
Azure Retail Prices API lists a meter for every model, deployment type and
token direction that Azure sells in a region, so the meters of a LatAm region
are the models on offer there.

Endpoint: the same public ``https://prices.azure.com/api/retail/prices`` as
``azure_retail_prices`` (same envelope, paging by ``NextPageLink`` and
``$skip``, ``api-version=2023-01-01-preview``), one filter per region::

    armRegionName eq '<region>' and contains(productName, 'OpenAI')

``serviceName`` is not filtered on: Azure moved these meters from
``Cognitive Services`` to ``Foundry Models``, and ``productName`` (``Azure
OpenAI``, ``Azure OpenAI GPT5``, ...) held through the move. Regions: the LatAm
Azure regions of the catalogue and the US reference region (``eastus``); the
fetch writes that choice to ``coverage.json``. Requests per refresh: one per
region and further 100 meters (about 6-12).

Item traps (meter names are Azure's, not a schema):

* the model, the deployment type and the direction are only in ``skuName`` /
  ``meterName``, abbreviated differently across models: ``Inp``, ``Inpt`` or
  ``Input``; ``Outp``, ``outpt`` or ``Output``; ``glbl`` or ``Global``; ``DZone``
  or ``Data Zone``. :func:`deployment` and :func:`direction` read them; an item
  neither can place keeps nulls rather than a guess;
* ``unitOfMeasure`` varies (``1K``, ``1M``, ``1K Tokens``, ``1M Tokens``,
  ``1 Hour`` for provisioned units): the price is kept per the published unit,
  and ``usd_per_million_tokens`` is filled only for a token meter whose unit
  says 1K or 1M;
* ``Global`` and ``Data Zone`` meters appear under a region's name although
  the processing may leave the region: only ``regional`` meters answer the
  residency question.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from ingestors.core.errors import FetchError, RecordError
from ingestors.core.registry import FetchPlan, Record, Reject, Row, Source, Table
from ingestors.domain import numbers
from ingestors.domain.cloud_catalogue import COVERAGE_FILE, COVERAGE_URL, Coverage
from ingestors.sources.azure_retail_prices import API_VERSION, BASE_URL, MAX_PAGES, _page_info, coverage, page_items

NAME = "azure_openai_prices"
TABLE = "meters"
PAGE_SIZE = 100
PRICING_URL = "https://azure.microsoft.com/en-us/pricing/details/cognitive-services/openai-service/"
_GLOBAL = re.compile(r"\b(glbl|global)\b", re.I)
_DATA_ZONE = re.compile(r"\b(dzone|data ?zone|dz)\b", re.I)
_INPUT = re.compile(r"\b(inp|inpt|input)\b", re.I)
_OUTPUT = re.compile(r"\b(outp|outpt|out|output)\b", re.I)
_CACHED = re.compile(r"\b(cchd|cached|cache)\b", re.I)
_UNIT = re.compile(r"^\s*1\s*(?P<scale>[KM])(\s+tokens)?\s*$", re.I)


class Meter(Row):
    arm_region_name: str  # the region asked for (eastus is the US reference)
    product_name: str  # Azure OpenAI, Azure OpenAI GPT5, ...
    sku_name: str  # Azure's SKU name: model, deployment type and direction, abbreviated
    meter_name: str  # Azure's meter name
    meter_id: str  # Azure's meter id
    deployment: str | None  # global, data_zone or regional, read from the names; null when unreadable
    direction: str | None  # input, cached_input or output for token meters; null otherwise
    unit_of_measure: str  # as published: 1K, 1M, 1K Tokens, 1M Tokens, 1 Hour ...
    retail_price_usd: float  # per unit_of_measure
    usd_per_million_tokens: float | None  # the price per million tokens, for token meters
    tier_minimum_units: float  # the tier the price starts at (0 for flat prices)
    is_us_reference: bool  # the meter is in the US reference region


def region_filter(region: str) -> str:
    return f"armRegionName eq '{region}' and contains(productName, 'OpenAI')"


def _file(region: str, page: int) -> str:
    return f"meters-{region}-{page}.json"


def fetch(ctx) -> None:
    cov = coverage(ctx.settings)
    ctx.add_file(COVERAGE_FILE, cov.to_json(), COVERAGE_URL)
    for region in cov.regions:
        if not re.fullmatch(r"[a-z0-9]+", region):
            raise FetchError(ctx.source.name, BASE_URL, f"{region!r} is not an Azure region name")
        base = {"api-version": API_VERSION, "$filter": region_filter(region)}
        received, page, more = 0, 0, True
        while more:
            if page >= MAX_PAGES:
                raise FetchError(ctx.source.name, BASE_URL, f"{region}: still full pages after {MAX_PAGES} requests")
            params = {**base, "$skip": received} if received else base
            count, more = _page_info(ctx.get(_file(region, page), BASE_URL, params=params))
            received += count
            page += 1


# --- parse ------------------------------------------------------------------------------------


def deployment(names: str) -> str:
    if _GLOBAL.search(names):
        return "global"
    if _DATA_ZONE.search(names):
        return "data_zone"
    return "regional"


def direction(names: str) -> str | None:
    if _CACHED.search(names):
        return "cached_input"
    if _INPUT.search(names):
        return "input"
    if _OUTPUT.search(names):
        return "output"
    return None


def per_million(unit: str, price: float, kind: str | None) -> float | None:
    match = _UNIT.match(unit or "")
    if kind is None or match is None:
        return None
    return price * (1000 if match["scale"].upper() == "K" else 1)


def _coverage(snapshot) -> Coverage:
    if COVERAGE_FILE not in snapshot.names():
        return Coverage.default("azure")
    try:
        return Coverage.from_json("azure", snapshot.read_json(COVERAGE_FILE))
    except ValueError as exc:
        raise snapshot.error(str(exc), file=COVERAGE_FILE) from None


def meter(item: dict, region: str, cov: Coverage) -> dict:
    names = f"{item.get('skuName') or ''} {item.get('meterName') or ''}".replace("-", " ")
    price = numbers.parse_number("retailPrice", item.get("retailPrice"), minimum=0)
    if price is None:
        raise RecordError("retailPrice is missing")
    kind = direction(names)
    unit = item.get("unitOfMeasure") or ""
    return {
        "arm_region_name": region, "product_name": item.get("productName"), "sku_name": item.get("skuName"),
        "meter_name": item.get("meterName"), "meter_id": item.get("meterId"), "deployment": deployment(names),
        "direction": kind, "unit_of_measure": unit, "retail_price_usd": price,
        "usd_per_million_tokens": per_million(unit, price, kind),
        "tier_minimum_units": numbers.parse_number("tierMinimumUnits", item.get("tierMinimumUnits")) or 0.0,
        "is_us_reference": cov.is_us_reference(region),
    }


def parse(snapshot) -> Iterator[Record | Reject]:
    cov = _coverage(snapshot)
    seen: set[str] = set()
    for name, region, i, item in page_items(snapshot, "meters", TABLE):
        if isinstance(item, Reject):
            yield item
            continue
        if item.get("armRegionName") != region or "OpenAI" not in (item.get("productName") or ""):
            continue  # not what this request asked for (offline, one sample serves every region)
        if item.get("type", "Consumption") != "Consumption":
            continue  # reservations of provisioned throughput: a commitment, not a list price
        fingerprint = json.dumps(item, sort_keys=True, default=str)
        if fingerprint in seen:
            continue  # the same item on two pages
        seen.add(fingerprint)
        try:
            data = meter(item, region, cov)
        except RecordError as exc:
            yield Reject(TABLE, f"{name}#{i}", str(exc), item)
            continue
        yield Record(TABLE, data, record_url=PRICING_URL,
                     record_id=f"{region}/{item.get('meterId')}/{data['tier_minimum_units']:g}")


SOURCE = Source(
    name=NAME,
    family="capacity",
    title="Azure OpenAI prices per region",
    endpoint=("`prices.azure.com/api/retail/prices`, `contains(productName, 'OpenAI')` meters per LatAm Azure "
              "region + US reference"),
    description="The Azure OpenAI meters Azure lists in each LatAm Azure region and the US reference region: "
                "model, deployment type (regional, data zone, global), token direction and USD price.",
    homepage="https://learn.microsoft.com/en-us/rest/api/cost-management/retail-prices/azure-retail-prices",
    licence="Microsoft Azure Retail Prices API, public pricing data",
    cadence="weekly",
    tables=(
        Table(TABLE, Meter, ("arm_region_name", "meter_id", "tier_minimum_units"),
              "One Azure OpenAI consumption meter per region and price tier."),
    ),
    fetch=fetch,
    parse=parse,
    plan=FetchPlan(
        rate_limits={"prices.azure.com": 2.0},
        max_requests=30,  # five regions today, a page or two of meters each
        sample_routes={"prices.azure.com/api/retail/prices": "meters.json"},
    ),
)
