"""Google Vertex AI model prices in LatAm GCP regions and the US reference region.

Endpoint: the Cloud Billing Catalog API, as for ``gcp_gpu_skus`` (same
envelope, paging, money and key handling; its :func:`fetch_pages` and
:func:`current_price` are reused), for the Vertex AI service:
``GET https://cloudbilling.googleapis.com/v1/services/C7E2-9256-1C43/skus``.
Needs ``GOOGLE_CLOUD_API_KEY`` (sent in the ``X-Goog-Api-Key`` header, never
in the query); skipped with a message without it. Requests per refresh: one
per 5,000 Vertex AI SKUs (a few).

A SKU's ``serviceRegions`` are the regions it is sold in: a model SKU listing
``southamerica-east1`` is a model one can call in São Paulo. SKUs sold only
at the ``global`` endpoint list no LatAm region and are not kept.

Kept: SKUs whose description names a token direction (``Input`` or
``Output``), e.g. "Gemini 2.5 Pro Text Input (≤200k)", "Gemini 2.5 Flash
Text and Thinking Output", for each wanted region in ``serviceRegions``.

Traps:

* the model and direction are only in the description; the model is the text
  before the first word that describes the usage (Global, Batch, Cached,
  Text, Image, Audio, Video, Input, Output ...); a description that matches
  no model keeps the whole text;
* ``usageUnit`` varies: ``count`` is per token (``usd_per_million_tokens`` =
  price x 1e6); older SKUs price per 1,000 characters (``k{char}``) and keep
  a null per-million price;
* the first tier (``startUsageAmount`` 0) is the list price; long-context
  prices are separate SKUs ("(> 200K)") and are kept as such.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

from ingestors.core.errors import RecordError
from ingestors.core.registry import FetchPlan, Record, Reject, Row, Source, Table
from ingestors.sources.gcp_gpu_skus import HOST, KEY_ENV, _coverage, _pages, current_price, fetch_pages

NAME = "gcp_vertex_ai_skus"
VERTEX_AI = "C7E2-9256-1C43"
SKUS_URL = f"https://{HOST}/v1/services/{VERTEX_AI}/skus"
PRICING_URL = "https://cloud.google.com/vertex-ai/generative-ai/pricing"
TABLE = "model_prices"
_USAGE_WORDS = r"(?:Global|Batch|Cached|Caching|Cache|Text|Image|Audio|Video|Input|Output|Predictions?|Tokens?)"
_MODEL = re.compile(rf"^(?P<model>.+?)\s+{_USAGE_WORDS}\b", re.IGNORECASE)
_INPUT = re.compile(r"\binput\b", re.IGNORECASE)
_OUTPUT = re.compile(r"\boutput\b", re.IGNORECASE)
_CACHED = re.compile(r"\bcach(?:ed|ing|e)\b", re.IGNORECASE)
_GLOBAL = re.compile(r"\bglobal\b", re.IGNORECASE)
PER_MILLION = {"count": 1e6}  # usageUnit -> units in a million tokens


class ModelPrice(Row):
    sku_id: str
    description: str  # Google's SKU description, e.g. "Gemini 2.5 Pro Text Input (≤200k)"
    model: str  # the description's text before the usage words
    direction: str  # input, cached_input or output
    is_global: bool  # the description says Global (may be processed outside the region)
    usage_unit: str | None  # Google's usageUnit: count (a token), k{char} ...
    region: str
    is_us_reference: bool
    usd_per_unit: float  # USD per usage_unit, first tier
    usd_per_million_tokens: float | None  # for per-token SKUs
    effective_time: datetime | None  # when the current price took effect


def fetch(ctx) -> None:
    fetch_pages(ctx, SKUS_URL)


def model_of(description: str) -> str:
    match = _MODEL.match(description.strip())
    return match["model"].strip() if match else description.strip()


def direction_of(description: str) -> str | None:
    if _INPUT.search(description):
        return "cached_input" if _CACHED.search(description) else "input"
    if _OUTPUT.search(description):
        return "output"
    return None


def parse(snapshot) -> Iterator[Record | Reject]:
    cov = _coverage(snapshot)
    wanted = set(cov.regions)
    for name, skus in _pages(snapshot):
        for i, sku in enumerate(skus):
            description = sku.get("description") if isinstance(sku, dict) else None
            if not isinstance(description, str) or direction_of(description) is None:
                continue  # not a token price
            regions = sorted({r for r in sku.get("serviceRegions") or [] if r in wanted})
            if not regions:
                continue  # sold only elsewhere, or only at the global endpoint
            sku_id = sku.get("skuId")
            if not sku_id:
                yield Reject(TABLE, f"{name}#{i}", "no skuId", sku)
                continue
            try:
                price, currency, unit, effective = current_price(sku)
            except (RecordError, TypeError, ValueError) as exc:
                yield Reject(TABLE, sku_id, str(exc), sku)
                continue
            scale = PER_MILLION.get(unit or "")
            for region in regions:
                yield Record(
                    TABLE,
                    {"sku_id": sku_id, "description": description.strip(), "model": model_of(description),
                     "direction": direction_of(description), "is_global": bool(_GLOBAL.search(description)),
                     "usage_unit": unit, "region": region, "is_us_reference": cov.is_us_reference(region),
                     "usd_per_unit": price, "usd_per_million_tokens": price * scale if scale else None,
                     "effective_time": effective},
                    record_id=f"{sku_id}/{region}",
                    record_url=PRICING_URL,
                )


SOURCE = Source(
    name=NAME,
    family="capacity",
    title="Google Vertex AI model prices per region",
    endpoint=("Cloud Billing Catalog API, Vertex AI SKUs (model token prices) in LatAm GCP regions + US "
              "reference; **needs `GOOGLE_CLOUD_API_KEY`**, skipped without it"),
    description="The Vertex AI model token SKUs Google sells in each LatAm GCP region and the US reference "
                "region: model, direction, unit and USD list price (Cloud Billing Catalog API).",
    homepage=PRICING_URL,
    licence="Google Cloud Billing Catalog API, public list prices",
    cadence="weekly",
    tables=(
        Table(TABLE, ModelPrice, ("sku_id", "region"),
              "One Vertex AI model token SKU per wanted region it is sold in, with its current list price."),
    ),
    fetch=fetch,
    parse=parse,
    plan=FetchPlan(
        max_requests=20,  # a few pages of 5,000 SKUs, with retries to spare
        rate_limits={HOST: 1.0},
    ),
    requires_env=(KEY_ENV,),
)
