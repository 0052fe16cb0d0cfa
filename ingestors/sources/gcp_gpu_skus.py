"""Google Compute Engine GPU prices in LatAm regions and the US reference region.

Endpoint: the Cloud Billing Catalog API,
``GET https://cloudbilling.googleapis.com/v1/services/6F81-5844-456A/skus``
(``6F81-5844-456A`` is Compute Engine) with ``pageSize`` (at most 5000) and
``pageToken``. The body is ``{"skus": [...], "nextPageToken": "..."}``; the
token is empty on the last page. Prices are public list prices in USD (the
default ``currencyCode``).

Auth: an API key (``GOOGLE_CLOUD_API_KEY``). Google accepts it as ``key=`` in
the query or in the ``X-Goog-Api-Key`` header; it is sent **in the header**,
because the snapshot sidecar records every request's query and the key must
never land on disk.

The API cannot filter by region or resource group, so every Compute Engine SKU
is fetched (one request per 5,000 SKUs) and the parser keeps the SKUs whose
``category.resourceGroup`` is ``GPU`` and whose description names a GPU, for
the regions wanted. Those regions (the LatAm GCP regions of the region
catalogue plus ``Settings.us_reference_regions["gcp"]``) are written by
``fetch`` into the snapshot as ``coverage.json`` (``ingestors.domain.cloud_catalogue``),
so the parser stays pure and a change of the reference region makes a new
snapshot.

Format traps:

* a SKU serves several regions (``serviceRegions``; "running in Americas"
  SKUs list a dozen): one row per SKU per wanted region;
* ``pricingInfo`` is a timeline in chronological order: the last entry is the
  current price;
* money is ``{"currencyCode", "units", "nanos"}`` with ``units`` an int64
  *string*; proto3 JSON leaves out zero values, so a missing ``units``,
  ``nanos`` or ``startUsageAmount`` means 0;
* the price is per ``usageUnit``; a GPU price must be per hour (``h``), any
  other unit is quarantined rather than divided into a per-hour figure;
* ``effectiveTime`` carries up to nine fractional digits;
* descriptions read "Nvidia Tesla T4 GPU running in Sao Paulo", "... attached
  to Spot Preemptible VMs running in ...", "Commitment v1: Nvidia L4 GPU in
  ... for 1 Year": the text before " GPU" is the publisher's model name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from ingestors.core import config
from ingestors.core.errors import FetchError, RecordError, SourceSkipped
from ingestors.core.registry import FetchPlan, Record, Reject, Row, Source, Table
from ingestors.domain import numbers
from ingestors.domain.cloud_catalogue import COVERAGE_FILE, COVERAGE_URL, Coverage, latam_regions
from ingestors.domain.gpus import canonical_gpu_model

NAME = "gcp_gpu_skus"
HOST = "cloudbilling.googleapis.com"
COMPUTE_ENGINE = "6F81-5844-456A"
SKUS_URL = f"https://{HOST}/v1/services/{COMPUTE_ENGINE}/skus"
PAGE_SIZE = 5000
MAX_PAGES = 100  # a safety stop against a token loop, far above what the Compute Engine catalogue fills
KEY_ENV = config.GOOGLE_CLOUD_API_KEY
PRICING_URL = "https://cloud.google.com/compute/gpus-pricing"
PAGE_PREFIX = "skus.page-"
TABLE = "gpu_prices"

_MODEL_TEXT = re.compile(r"^(?:Commitment(?:\s+v\d+)?:\s*)?(?P<model>.+?)\s+GPU\b", re.IGNORECASE)
_FRACTION = re.compile(r"(\.\d{6})\d+")


class GpuPrice(Row):
    sku_id: str
    description: str
    gpu_model: str | None  # canonical (ingestors.domain.gpus)
    gpu_model_text: str | None  # the description's words before "GPU"
    usage_type: str  # OnDemand, Preemptible, Commit1Yr, Commit3Yr ... as Google gives it
    region: str
    is_us_reference: bool
    usd_per_gpu_hour: float
    currency_code: str
    effective_time: datetime | None


# --- fetch ------------------------------------------------------------------------------------


def api_key() -> str | None:
    """The Cloud Billing API key, from ``GOOGLE_CLOUD_API_KEY``."""
    return config.secret(KEY_ENV)


def coverage(settings) -> Coverage:
    """The regions a fetch covers: the LatAm GCP regions of the catalogue and the US reference region."""
    return Coverage("gcp", latam_regions("gcp"), settings.us_reference_regions["gcp"])


def _page_file(page: int) -> str:
    return f"{PAGE_PREFIX}{page}.json"


def _next_token(body: bytes) -> str:
    try:
        token = json.loads(body).get("nextPageToken") or ""
    except (ValueError, AttributeError):
        return ""  # parse() reports the bad page with its snapshot
    return token if isinstance(token, str) else ""


def fetch_pages(ctx, url: str) -> None:
    """Every page of one service's SKUs (``url``), the coverage first; skipped without the API key."""
    name = ctx.source.name
    key = api_key()
    if not key and not ctx.offline:
        raise SourceSkipped(name, f"set {KEY_ENV} to enable it (see .env.example)")
    ctx.add_file(COVERAGE_FILE, coverage(ctx.settings).to_json(), COVERAGE_URL)

    headers = {"X-Goog-Api-Key": key} if key else None  # never in params: the sidecar records the query
    token, seen = "", set()
    for page in range(1, MAX_PAGES + 1):
        params: dict[str, Any] = {"pageSize": PAGE_SIZE}
        if token:
            params["pageToken"] = token
        token = _next_token(ctx.get(_page_file(page), url, params=params, headers=headers))
        if not token:
            return
        if token in seen:
            raise FetchError(name, url, f"page {page} repeats an earlier nextPageToken")
        seen.add(token)
    raise FetchError(name, url, f"still a nextPageToken after {MAX_PAGES} pages")


def fetch(ctx) -> None:
    fetch_pages(ctx, SKUS_URL)


# --- parse ------------------------------------------------------------------------------------


def _coverage(snapshot) -> Coverage:
    try:
        return Coverage.from_json("gcp", snapshot.read_json(COVERAGE_FILE))
    except ValueError as exc:
        raise snapshot.error(str(exc), file=COVERAGE_FILE) from None


def _pages(snapshot) -> Iterator[tuple[str, list]]:
    names = sorted(snapshot.names(PAGE_PREFIX), key=lambda n: int(n[len(PAGE_PREFIX):].split(".")[0]))
    if not names:
        raise snapshot.error("no SKU page in the snapshot")
    for name in names:
        body = snapshot.read_json(name)
        if not isinstance(body, dict):
            raise snapshot.error(f"expected a JSON object, got {type(body).__name__}", file=name)
        if "error" in body:
            error = body["error"] if isinstance(body["error"], dict) else {}
            raise snapshot.error(f"the API answered with an error: {error.get('message', body['error'])}", file=name)
        skus = body.get("skus", [])  # proto3 JSON leaves an empty list out
        if not isinstance(skus, list):
            raise snapshot.error("'skus' is not a list", file=name)
        if not skus and set(body) - {"nextPageToken"}:
            raise snapshot.error(f"no 'skus' in the page (keys: {', '.join(sorted(body))})", file=name)
        yield name, skus


def _is_gpu(sku: dict) -> bool:
    category = sku.get("category") if isinstance(sku.get("category"), dict) else {}
    description = sku.get("description")
    return isinstance(description, str) and category.get("resourceGroup") == "GPU" and (
        "GPU" in description.upper() or canonical_gpu_model(description) is not None
    )


def gpu_model_text(description: str) -> str | None:
    """The publisher's model name: 'Commitment v1: Nvidia L4 GPU in ...' -> 'Nvidia L4'."""
    m = _MODEL_TEXT.match(description.strip())
    return m["model"].strip() if m else None


def _amount(value: Any, default: int = 0) -> int:
    if value is None:
        return default
    if isinstance(value, bool):
        raise RecordError(f"not a number: {value!r}")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise RecordError(f"not an integer: {value!r}") from None


def _timestamp(value: Any) -> datetime | None:
    return numbers.parse_timestamp("effectiveTime", value or None)


def hourly_price(sku: dict) -> tuple[float, str, datetime | None]:
    """(price per hour, currency, effective time) of a SKU's current pricing; RecordError if unusable."""
    price, currency, unit, effective = current_price(sku)
    if unit != "h":
        raise RecordError(f"usageUnit is {unit!r}, expected 'h' (per hour)")
    return price, currency, effective


def current_price(sku: dict) -> tuple[float, str, str | None, datetime | None]:
    """(price per usage unit, currency, usageUnit, effective time) of a SKU's current pricing, first tier;
    RecordError if unusable."""
    timeline = sku.get("pricingInfo") or []
    if not timeline or not isinstance(timeline[-1], dict):
        raise RecordError("no pricingInfo")
    current = timeline[-1]
    expression = current.get("pricingExpression") or {}
    unit = expression.get("usageUnit")
    tiers = expression.get("tieredRates") or []
    first = next((t for t in tiers if isinstance(t, dict) and float(t.get("startUsageAmount") or 0) == 0), None)
    if first is None:
        raise RecordError("no tieredRates tier starting at usage 0")
    price = first.get("unitPrice") or {}
    currency = price.get("currencyCode")
    if currency != "USD":
        raise RecordError(f"currencyCode is {currency!r}, expected 'USD'")
    units = _amount(price.get("units"))
    nanos = _amount(price.get("nanos"))
    return round(units + nanos / 1e9, 9), currency, unit, _timestamp(current.get("effectiveTime"))


def parse(snapshot) -> Iterator[Record | Reject]:
    cov = _coverage(snapshot)
    wanted = set(cov.regions)
    for name, skus in _pages(snapshot):
        for i, sku in enumerate(skus):
            if not isinstance(sku, dict) or not _is_gpu(sku):
                continue
            sku_id = sku.get("skuId")
            regions = [r for r in sku.get("serviceRegions") or [] if r in wanted]
            if not regions:
                continue  # a GPU sold only elsewhere
            if not sku_id:
                yield Reject(TABLE, f"{name}#{i}", "no skuId", sku)
                continue
            try:
                price, currency, effective = hourly_price(sku)
            except (RecordError, TypeError, ValueError) as exc:
                yield Reject(TABLE, sku_id, str(exc), sku)
                continue
            description = sku["description"].strip()
            for region in sorted(set(regions)):
                yield Record(
                    TABLE,
                    {
                        "sku_id": sku_id,
                        "description": description,
                        "gpu_model": canonical_gpu_model(description),
                        "gpu_model_text": gpu_model_text(description),
                        "usage_type": (sku.get("category") or {}).get("usageType"),
                        "region": region,
                        "is_us_reference": cov.is_us_reference(region),
                        "usd_per_gpu_hour": price,
                        "currency_code": currency,
                        "effective_time": effective,
                    },
                    record_id=f"{sku_id}/{region}",
                    record_url=PRICING_URL,
                )


SOURCE = Source(
    name=NAME,
    family="capacity",
    title="Google Cloud GPU prices",
    endpoint='Cloud Billing Catalog API, Compute Engine GPU SKUs; **needs `GOOGLE_CLOUD_API_KEY`**, skipped without it',
    description="Compute Engine GPU SKUs and their hourly list price in LatAm GCP regions and the US "
                "reference region (Cloud Billing Catalog API).",
    homepage=PRICING_URL,
    licence="Google Cloud Billing Catalog API, public list prices",
    cadence="weekly",
    tables=(
        Table(TABLE, GpuPrice, ("sku_id", "region"),
              "One row per GPU SKU per wanted region it is sold in: the current list price in USD "
              "per GPU-hour (first tier), by usage type (on demand, preemptible, committed)."),
    ),
    fetch=fetch,
    parse=parse,
    plan=FetchPlan(
        max_requests=110,  # MAX_PAGES pages of 5,000 SKUs, with retries to spare
        # Google publishes a per-minute quota per project; one request a second stays far below it.
        rate_limits={HOST: 1.0},
    ),
    requires_env=(KEY_ENV,),
)
