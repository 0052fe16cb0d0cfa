"""Amazon Bedrock in LatAm AWS regions: which models AWS prices in each region, and at what price.

The data-residency question for AWS: a model with an on-demand price in
``sa-east-1`` or ``mx-central-1`` can be called in that region. The AWS Price
List Bulk API publishes, per service and region, a JSON offer file listing
every priced product; the Bedrock offer's products are the models on sale.

Endpoint (public, no key; AWS Billing user guide, "Getting price list files
using the AWS Price List Bulk API"), three hops, all on
``https://pricing.us-east-1.amazonaws.com``:

1. the service index ``/offers/v1.0/aws/index.json``:
   ``offers{<offerCode>: {offerCode, currentVersionUrl, currentRegionIndexUrl, ...}}``;
2. each wanted offer's region index (``currentRegionIndexUrl``):
   ``regions{<region>: {regionCode, currentVersionUrl}}``, the URL relative to the host;
3. the per-region offer file (``currentVersionUrl``):
   ``{formatVersion, offerCode, version, publicationDate, products{<sku>: {sku,
   productFamily, attributes{...}}}, terms{OnDemand{<sku>: {<sku>.<termCode>:
   {effectiveDate, priceDimensions{<sku>.<termCode>.<rateCode>: {rateCode,
   description, unit, beginRange, endRange, pricePerUnit{USD}}}}}}}}``.

Offers: ``AmazonBedrock`` (AWS's own and most partner models) and
``AmazonBedrockFoundationModels`` (models sold through AWS Marketplace); an
offer the service index does not list is skipped, and a region its region
index does not list is simply not on sale there. Regions: the LatAm AWS
regions of the catalogue (``sa-east-1``, ``mx-central-1``) and the US
reference (``us-east-1``), written to ``coverage.json``. Requests per refresh:
1 + per offer (1 + one per region listed): at most 9.

Traps:

* the model is only in the product's ``attributes.model`` (a display name,
  ``Claude 3 Haiku``); the direction in ``inferenceType`` (``Input tokens``,
  ``Output tokens``, cache and batch variants); the kind of price in
  ``feature`` (``On-demand Inference``, ``Batch Inference``, provisioned
  throughput, customisation). Products without a model (guardrails, knowledge
  bases, storage) are not model prices and are skipped;
* ``unit`` varies (``1K tokens``, ``1M tokens``, ``Units``, ``Images``, hours):
  the price is kept per the published unit, and ``usd_per_million_tokens``
  is filled only when the unit says 1K or 1M tokens;
* a zero ``pricePerUnit.USD`` is not a list price (AWS writes 0 for a
  dimension it does not bill) and is skipped; any other non-number is
  quarantined (the reader is :func:`ingestors.sources.aws_ec2_gpu.parse_price`);
* the AWS docs call the range fields ``startingRange``/``endingRange`` while
  the files carry ``beginRange``/``endRange``: either is read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from ingestors.core.errors import FetchError
from ingestors.core.registry import FetchPlan, Record, Reject, Row, Source, Table
from ingestors.domain.cloud_catalogue import COVERAGE_FILE, COVERAGE_URL, Coverage, latam_regions
from ingestors.sources.aws_ec2_gpu import parse_price

NAME = "aws_bedrock_prices"
TABLE = "prices"
HOST = "https://pricing.us-east-1.amazonaws.com"
INDEX_URL = f"{HOST}/offers/v1.0/aws/index.json"
INDEX_FILE = "index.json"
OFFERS = ("AmazonBedrock", "AmazonBedrockFoundationModels")
PRICING_URL = "https://aws.amazon.com/bedrock/pricing/"
_TOKEN_UNIT = re.compile(r"^\s*1\s*(?P<scale>[KM])\s+tokens?\s*$", re.I)
_OFFER_FILE = re.compile(r"^(?P<offer>[A-Za-z0-9]+)-(?P<region>[a-z0-9-]+)\.json$")


class Price(Row):
    offer_code: str  # AmazonBedrock or AmazonBedrockFoundationModels
    region: str  # the AWS region code of the offer file (us-east-1 is the US reference)
    is_us_reference: bool  # the price is in the US reference region
    sku: str  # AWS's product SKU
    rate_code: str  # AWS's rate code (<sku>.<term>.<rate>), unique across the price list
    model: str  # the model as AWS names it (attributes.model), e.g. "Claude 3 Haiku"
    provider: str | None  # the model's publisher as AWS names it (attributes.provider)
    feature: str | None  # On-demand Inference, Batch Inference, Provisioned Throughput ...
    inference_type: str | None  # Input tokens, Output tokens, cache and batch variants ...
    usage_type: str | None  # AWS's usage type, region-prefixed (USE1-..., SAE1-...)
    unit: str  # the unit the price is per, as published: 1K tokens, 1M tokens, Units, ...
    price_description: str | None  # AWS's description of the price dimension
    usd_per_unit: float  # USD per unit
    usd_per_million_tokens: float | None  # the price per million tokens, when the unit is 1K or 1M tokens
    begin_range: float | None  # the usage the price starts at (0 for flat prices)
    effective_date: str | None  # the date the price took effect (YYYY-MM-DD), from the term
    publication_date: str | None  # when AWS published the offer file (ISO timestamp)


def coverage(settings) -> Coverage:
    return Coverage("aws", latam_regions("aws"), settings.us_reference_regions["aws"])


def _offer_file(offer: str, region: str) -> str:
    return f"{offer}-{region}.json"


def _json(ctx, name: str, url: str) -> Any:
    try:
        return json.loads(ctx.get(name, url))
    except ValueError as exc:
        raise FetchError(ctx.source.name, url, f"{name} is not JSON: {exc}") from None


def _relative(ctx, url: Any, where: str) -> str:
    if not isinstance(url, str) or not url.startswith("/offers/"):
        raise FetchError(ctx.source.name, INDEX_URL, f"{where}: expected a relative /offers/ URL, got {url!r:.80}")
    return HOST + url


def fetch(ctx) -> None:
    """The service index, then each Bedrock offer's region index, then the wanted regions' offer files."""
    cov = coverage(ctx.settings)
    ctx.add_file(COVERAGE_FILE, cov.to_json(), COVERAGE_URL)
    offers = (_json(ctx, INDEX_FILE, INDEX_URL) or {}).get("offers")
    if not isinstance(offers, dict):
        raise FetchError(ctx.source.name, INDEX_URL, "the service index has no offers object")
    for offer in OFFERS:
        if offer not in offers:
            continue  # AWS does not publish this offer (any more)
        index_url = _relative(ctx, offers[offer].get("currentRegionIndexUrl"), f"{offer}.currentRegionIndexUrl")
        regions = (_json(ctx, f"{offer}-region_index.json", index_url) or {}).get("regions")
        if not isinstance(regions, dict):
            raise FetchError(ctx.source.name, index_url, f"the {offer} region index has no regions object")
        for region in cov.regions:
            entry = regions.get(region)
            if isinstance(entry, dict):
                url = _relative(ctx, entry.get("currentVersionUrl"), f"{offer}.{region}.currentVersionUrl")
                ctx.get(_offer_file(offer, region), url)


# --- parse ------------------------------------------------------------------------------------


def per_million(unit: str, usd: float) -> float | None:
    match = _TOKEN_UNIT.match(unit or "")
    if match is None:
        return None
    return usd * (1000 if match["scale"].upper() == "K" else 1)


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _range(dimension: dict) -> float | None:
    value = dimension.get("beginRange", dimension.get("startingRange"))
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _coverage(snapshot) -> Coverage:
    if COVERAGE_FILE not in snapshot.names():
        return Coverage.default("aws")
    try:
        return Coverage.from_json("aws", snapshot.read_json(COVERAGE_FILE))
    except ValueError as exc:
        raise snapshot.error(str(exc), file=COVERAGE_FILE) from None


def _prices(body: dict, offer: str, region: str, cov: Coverage) -> Iterator[Record | Reject]:
    on_demand = (body.get("terms") or {}).get("OnDemand") or {}
    published = _text(body.get("publicationDate"))
    for sku, product in body["products"].items():
        attributes = product.get("attributes") if isinstance(product, dict) else None
        if not isinstance(attributes, dict):
            yield Reject(TABLE, f"{offer}/{region}/{sku}", "product has no attributes object", product)
            continue
        model = _text(attributes.get("model"))
        if model is None or attributes.get("regionCode", region) != region:
            continue  # not a model price, or another region's product
        common = {
            "offer_code": offer, "region": region, "is_us_reference": cov.is_us_reference(region), "sku": sku,
            "model": model, "provider": _text(attributes.get("provider")),
            "feature": _text(attributes.get("feature")), "inference_type": _text(attributes.get("inferenceType")),
            "usage_type": _text(attributes.get("usagetype")), "publication_date": published,
        }
        terms = on_demand.get(sku) or {}
        for term in terms.values() if isinstance(terms, dict) else ():
            effective = _text(term.get("effectiveDate")) if isinstance(term, dict) else None
            dimensions = term.get("priceDimensions") if isinstance(term, dict) else None
            for rate_code, dimension in (dimensions or {}).items():
                value = (dimension.get("pricePerUnit") or {}).get("USD") if isinstance(dimension, dict) else None
                try:
                    usd = parse_price(value)
                except ValueError as exc:
                    yield Reject(TABLE, f"{region}/{rate_code}", f"unparseable pricePerUnit.USD {value!r}: {exc}",
                                 dimension)
                    continue
                if usd is None:
                    continue
                unit = _text(dimension.get("unit")) or ""
                yield Record(
                    TABLE,
                    {**common, "rate_code": _text(dimension.get("rateCode")) or rate_code, "unit": unit,
                     "price_description": _text(dimension.get("description")), "usd_per_unit": usd,
                     "usd_per_million_tokens": per_million(unit, usd), "begin_range": _range(dimension),
                     "effective_date": effective[:10] if effective else None},
                    record_id=f"{region}/{rate_code}",
                    record_url=PRICING_URL,
                )


def parse(snapshot) -> Iterator[Record | Reject]:
    cov = _coverage(snapshot)
    for name in sorted(snapshot.names()):
        match = _OFFER_FILE.match(name)
        if match is None or match["region"] == "region_index":
            continue
        body = snapshot.read_json(name)
        if not (isinstance(body, dict) and isinstance(body.get("products"), dict)
                and isinstance(body.get("terms"), dict)):
            raise snapshot.error("expected an AWS offer file with products and terms objects", file=name)
        if body.get("offerCode") not in (None, match["offer"]):
            raise snapshot.error(f"offerCode {body.get('offerCode')!r} is not {match['offer']}", file=name)
        yield from _prices(body, match["offer"], match["region"], cov)


SOURCE = Source(
    name=NAME,
    family="capacity",
    title="Amazon Bedrock prices per region (AWS Price List)",
    endpoint=("`pricing.us-east-1.amazonaws.com/offers/v1.0/aws/` bulk offer files, Bedrock offers in LatAm AWS "
              "regions + US reference"),
    description=("The Amazon Bedrock model prices AWS publishes for each LatAm AWS region and the US reference "
                 "region: model, provider, feature (on-demand, batch, ...), token direction, unit and USD price."),
    homepage="https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/using-the-aws-price-list-bulk-api.html",
    licence="AWS Price List, public pricing data",
    cadence="weekly",
    tables=(
        Table(TABLE, Price, ("region", "rate_code"),
              "One on-demand price dimension of an Amazon Bedrock model product per AWS region."),
    ),
    fetch=fetch,
    parse=parse,
    plan=FetchPlan(
        rate_limits={"pricing.us-east-1.amazonaws.com": 1.0},
        max_requests=15,  # 1 index + 2 offers x (1 region index + 3 regions) = 9, with room for retries
        sample_routes={
            "pricing.us-east-1.amazonaws.com/offers/v1.0/aws/index.json": "index.json",
            "*/AmazonBedrock/current/region_index.json": "AmazonBedrock-region_index.json",
            "*/AmazonBedrock/*/sa-east-1/index.json": "AmazonBedrock-sa-east-1.json",
            "*/AmazonBedrock/*/us-east-1/index.json": "AmazonBedrock-us-east-1.json",
        },
    ),
)
