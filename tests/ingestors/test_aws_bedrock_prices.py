"""Amazon Bedrock prices per region: the three hops of the Price List Bulk API, the offer file's traps, offline."""

from __future__ import annotations

import json

import httpx
import pytest

from ingestors.core.errors import PayloadError
from ingestors.core.offline import SAMPLES_DIR
from ingestors.core.pipeline import run_source
from ingestors.sources import aws_bedrock_prices as bedrock
from tests.ingestors.helpers import parse_files

SAMPLES = SAMPLES_DIR / "aws_bedrock_prices"
FILES = {name: SAMPLES / name for name in ("AmazonBedrock-sa-east-1.json", "AmazonBedrock-us-east-1.json")}


def test_parse_sample(tmp_path):
    result = parse_files(tmp_path, bedrock.SOURCE, FILES)
    rows = {(r["region"], r["model"], r["inference_type"]): r for r in result.rows["prices"]}
    # us-east-1: 10 products, less the guardrail (no model) and the zero cache-write price;
    # sa-east-1: 6 products, less the unreadable Llama price; the stray us-east-1 product is skipped
    assert len(rows) == 8 + 5
    nova = rows[("sa-east-1", "Nova Lite", "Input tokens")]
    assert (nova["unit"], nova["feature"], nova["provider"]) == ("1K tokens", "On-demand Inference", "Amazon")
    assert nova["usd_per_million_tokens"] == pytest.approx(0.08)
    assert nova["is_us_reference"] is False and nova["effective_date"] == "2026-10-01"
    assert rows[("us-east-1", "Nova Lite", "Input tokens")]["is_us_reference"] is True
    assert rows[("sa-east-1", "Titan Text Embeddings V2", "Input tokens")]["usd_per_million_tokens"] == \
        pytest.approx(0.03)  # a price per 1M tokens is not scaled
    assert rows[("us-east-1", "Titan Image Generator G1", "Image")]["usd_per_million_tokens"] is None
    assert rows[("us-east-1", "Nova Lite", "Input tokens batch")]["feature"] == "Batch Inference"
    [bad] = result.quarantine
    assert bad["record_id"].startswith("sa-east-1/SAMPLESAE10005.")
    assert "unparseable pricePerUnit.USD '0.0O07'" in bad["reason"]


@pytest.mark.parametrize(("unit", "usd", "expected"), [
    ("1K tokens", 0.00025, 0.25), ("1M tokens", 0.6, 0.6), ("1K Tokens", 0.001, 1.0), ("Units", 0.01, None),
    ("Images", 0.04, None), ("Hrs", 20.0, None),
])
def test_price_per_million_tokens(unit, usd, expected):
    assert bedrock.per_million(unit, usd) == (pytest.approx(expected) if expected else None)


def test_a_file_that_is_not_an_offer_fails_the_source(tmp_path):
    bad = {"AmazonBedrock-us-east-1.json": json.dumps({"message": "Access Denied"}).encode()}
    with pytest.raises(PayloadError, match="AmazonBedrock-us-east-1.json: expected an AWS offer file"):
        parse_files(tmp_path, bedrock.SOURCE, bad)


def test_fetch_follows_the_indexes_to_the_wanted_regions_only(settings):
    """index.json -> the offer's region index -> one file per wanted region the index lists."""
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        path = request.url.path
        if path == "/offers/v1.0/aws/index.json":
            return httpx.Response(200, content=(SAMPLES / "index.json").read_bytes())
        if path.endswith("/region_index.json"):
            return httpx.Response(200, content=(SAMPLES / "AmazonBedrock-region_index.json").read_bytes())
        region = path.split("/")[-2]
        return httpx.Response(200, content=(SAMPLES / f"AmazonBedrock-{region}.json").read_bytes())

    result = run_source(bedrock.SOURCE, settings, transport=httpx.MockTransport(handler))
    assert result.status == "loaded"
    assert seen == [
        "/offers/v1.0/aws/index.json",
        "/offers/v1.0/aws/AmazonBedrock/current/region_index.json",
        # mx-central-1 is wanted but the sample region index does not list it; eu-west-1 is listed, not wanted
        "/offers/v1.0/aws/AmazonBedrock/20261101000000/sa-east-1/index.json",
        "/offers/v1.0/aws/AmazonBedrock/20261101000000/us-east-1/index.json",
    ]
