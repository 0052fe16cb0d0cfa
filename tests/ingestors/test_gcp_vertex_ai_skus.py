"""Vertex AI model SKUs per region: model and direction from the description, per-token units, the key."""

from __future__ import annotations

import httpx
import pytest

from ingestors.core.errors import SourceSkipped
from ingestors.core.offline import SAMPLES_DIR
from ingestors.core.pipeline import run_source
from ingestors.domain.cloud_catalogue import COVERAGE_FILE, Coverage
from ingestors.sources import gcp_vertex_ai_skus as vertex
from tests.ingestors.helpers import parse_files

SAMPLE = SAMPLES_DIR / "gcp_vertex_ai_skus" / "skus.json"
COVERAGE = Coverage("gcp", ("northamerica-south1", "southamerica-east1", "southamerica-west1"), "us-east1")


def _parse(tmp_path):
    return parse_files(tmp_path, vertex.SOURCE, {COVERAGE_FILE: COVERAGE.to_json(), "skus.page-1.json": SAMPLE})


def test_parse_sample(tmp_path):
    result = _parse(tmp_path)
    rows = {(r["sku_id"], r["region"]): r for r in result.rows["model_prices"]}
    # three multi-region Gemini SKUs x 4 wanted regions, the US-only and São Paulo-only Pro SKUs, the
    # per-character SKU in 2 wanted regions; the global-only, Europe-only and training SKUs are skipped
    assert len(rows) == 3 * 4 + 1 + 1 + 2
    flash = rows[("5A4F-0000-0001", "southamerica-east1")]
    assert (flash["model"], flash["direction"], flash["usage_unit"]) == ("Gemini 2.5 Flash", "input", "count")
    assert flash["usd_per_million_tokens"] == pytest.approx(0.30)
    assert rows[("5A4F-0000-0001", "us-east1")]["is_us_reference"] is True
    assert rows[("5A4F-0000-0003", "northamerica-south1")]["direction"] == "cached_input"
    assert rows[("5A4F-0000-0005", "southamerica-east1")]["model"] == "Gemini 2.5 Pro"
    chars = rows[("5A4F-0000-0009", "southamerica-east1")]
    assert (chars["usage_unit"], chars["usd_per_million_tokens"]) == ("k{char}", None)
    assert [(q["record_id"], q["reason"]) for q in result.quarantine] == [
        ("5A4F-0000-0008", "currencyCode is 'EUR', expected 'USD'")]


@pytest.mark.parametrize(("description", "model", "direction"), [
    ("Gemini 2.5 Pro Text Input (<= 200K)", "Gemini 2.5 Pro", "input"),
    ("Gemini 2.5 Pro Text and Thinking Output (<= 200K)", "Gemini 2.5 Pro", "output"),
    ("Gemini 3 Pro Global Text Input", "Gemini 3 Pro", "input"),
    ("Gemini 2.5 Flash Cached Text Input", "Gemini 2.5 Flash", "cached_input"),
    ("Gemini 2.5 Flash Image Output", "Gemini 2.5 Flash", "output"),
    ("Vertex AI Training n1-standard-4 running in Americas", None, None),
])
def test_description_gives_model_and_direction(description, model, direction):
    assert vertex.direction_of(description) == direction
    if model:
        assert vertex.model_of(description) == model


def test_without_the_key_the_source_is_skipped(settings, monkeypatch):
    monkeypatch.delenv(vertex.KEY_ENV, raising=False)

    def handler(request: httpx.Request) -> httpx.Response:  # pragma: no cover - must not be called
        raise AssertionError("no request without a key")

    with pytest.raises(SourceSkipped, match="gcp_vertex_ai_skus: skipped: set GOOGLE_CLOUD_API_KEY to enable it"):
        run_source(vertex.SOURCE, settings, transport=httpx.MockTransport(handler))


def test_fetch_asks_the_vertex_ai_service_with_the_key_in_a_header(settings, monkeypatch):
    monkeypatch.setenv(vertex.KEY_ENV, "test-key")
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=SAMPLE.read_bytes())

    assert run_source(vertex.SOURCE, settings, transport=httpx.MockTransport(handler)).status == "loaded"
    [request] = seen
    assert request.url.path == "/v1/services/C7E2-9256-1C43/skus"
    assert request.headers["X-Goog-Api-Key"] == "test-key" and "key" not in request.url.params
