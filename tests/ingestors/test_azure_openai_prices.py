"""Azure OpenAI meters per region: deployment type and direction read from Azure's abbreviations, paging, offline."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from ingestors.core.errors import PayloadError
from ingestors.core.offline import SAMPLES_DIR
from ingestors.core.pipeline import run_source
from ingestors.sources import azure_openai_prices as openai
from tests.ingestors.helpers import parse_files

SAMPLE = SAMPLES_DIR / "azure_openai_prices" / "meters.json"
REGIONS = ("brazilsouth", "eastus", "mexicocentral")


def _parse(tmp_path: Path, files: dict[str, bytes | Path] | None = None):
    return parse_files(tmp_path, openai.SOURCE, files or {f"meters-{r}-0.json": SAMPLE for r in REGIONS})


def test_parse_sample(tmp_path):
    result = _parse(tmp_path)
    rows = {(r["arm_region_name"], r["sku_name"]): r for r in result.rows["meters"]}
    assert len(rows) == 15  # a reservation, a Translator meter and another region's items are skipped
    regional = rows[("brazilsouth", "gpt-4o-mini-0718 Inp regnl")]
    assert (regional["deployment"], regional["direction"], regional["unit_of_measure"]) == ("regional", "input", "1K")
    assert regional["usd_per_million_tokens"] == pytest.approx(206.2 / 1000)
    assert rows[("eastus", "gpt-4o-mini-0718 Outp glbl")]["is_us_reference"] is True
    assert rows[("brazilsouth", "gpt-4o-mini-0718 cchd Inp regnl")]["direction"] == "cached_input"
    provisioned = rows[("brazilsouth", "Provisioned Managed Regional")]
    assert (provisioned["direction"], provisioned["usd_per_million_tokens"]) == (None, None)
    assert rows[("eastus", "gpt 5 Inp Data Zone")]["deployment"] == "data_zone"
    assert {r for r, _ in rows if r == "mexicocentral"} == {"mexicocentral"}
    assert [(q["record_id"], q["reason"]) for q in result.quarantine] == [
        ("meters-brazilsouth-0.json#17", "retailPrice: not a number: 'free'")]


@pytest.mark.parametrize(("names", "deployment", "direction"), [
    ("gpt 4o 1120 Inp global", "global", "input"),
    ("gpt-4o-mini-0718-Outp-glbl", "global", "output"),
    ("o3 Inpt DZone 1M Tokens", "data_zone", "input"),
    ("o3 outpt DZone 1M Tokens", "data_zone", "output"),
    ("gpt 4o 1120 Out Data Zone", "data_zone", "output"),
    ("gpt-4o-0806 cchd Inp regnl", "regional", "cached_input"),
    ("Provisioned Managed Regional Unit", "regional", None),
])
def test_names_are_read_for_deployment_and_direction(names, deployment, direction):
    spaced = names.replace("-", " ")
    assert (openai.deployment(spaced), openai.direction(spaced)) == (deployment, direction)


@pytest.mark.parametrize(("unit", "price", "expected"), [
    ("1K", 0.00015, 0.15), ("1K Tokens", 0.0025, 2.5), ("1M", 0.6, 0.6), ("1M Tokens", 10.0, 10.0),
    ("1 Hour", 1.0, None),
])
def test_price_per_million_tokens(unit, price, expected):
    assert openai.per_million(unit, price, "input") == (pytest.approx(expected) if expected else None)


def test_a_page_that_is_not_the_envelope_fails_the_source(tmp_path):
    with pytest.raises(PayloadError, match="meters-eastus-0.json: expected an object with an Items list"):
        _parse(tmp_path, {"meters-eastus-0.json": json.dumps({"error": {"code": "BadRequest"}}).encode()})


def test_fetch_filters_each_region_and_pages(settings):
    seen: list[httpx.Request] = []
    body = json.loads(SAMPLE.read_text())
    full = {**body, "Items": body["Items"][:1] * openai.PAGE_SIZE, "NextPageLink": None}

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        first_eastus = "eastus" in request.url.params["$filter"] and "$skip" not in request.url.params
        return httpx.Response(200, json=full if first_eastus else body)

    result = run_source(openai.SOURCE, settings, transport=httpx.MockTransport(handler))
    assert result.status == "loaded"
    filters = [r.url.params["$filter"] for r in seen]
    assert "armRegionName eq 'brazilsouth' and contains(productName, 'OpenAI')" in filters
    # a full first page is followed by a $skip page even without NextPageLink
    eastus = [r for r in seen if "eastus" in r.url.params["$filter"]]
    assert [r.url.params.get("$skip") for r in eastus] == [None, "100"]
