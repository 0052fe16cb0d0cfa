"""Hugging Face Hub: one listing per curated handle, Link-header paging, 404 handles, token, offline run."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import httpx
import pytest

from ingestors.core import http
from ingestors.core.errors import FetchError, PayloadError, SourceSkipped
from ingestors.core.offline import SAMPLES_DIR
from ingestors.core.pipeline import fetch_snapshot, run_source
from ingestors.core.registry import FetchPlan
from ingestors.domain import curated
from ingestors.sources import huggingface as hf
from tests.ingestors.helpers import parse_files

SAMPLE = SAMPLES_DIR / "huggingface" / "models.json"
HANDLES = [("laboratorio-ejemplo", "ejemplo-lab"), ("exemplo-ia", "exemplo-ia"), ("datos-andinos", "datos-andinos")]
TOKEN = "hf_test_token_never_on_disk"
EXPAND = ["author", "downloads", "downloadsAllTime", "likes", "createdAt", "lastModified", "pipeline_tag",
          "library_name", "tags", "private", "gated"]


@pytest.fixture(autouse=True)
def _registry(monkeypatch):
    """The curated registry's handles, and no token unless a test sets one."""
    monkeypatch.setattr(curated, "huggingface_handles", lambda: list(HANDLES))
    monkeypatch.delenv(hf.TOKEN_ENV, raising=False)


def _handles_json(pairs=HANDLES) -> bytes:
    return json.dumps([{"organization_id": org, "handle": handle} for org, handle in pairs]).encode()


def _parse(tmp_path: Path, files: dict[str, bytes | Path]):
    return parse_files(tmp_path, hf.SOURCE, {hf.HANDLES_FILE: _handles_json(), **files})


def _sample_files() -> dict[str, Path]:
    return {hf.models_file(handle): SAMPLE for _, handle in HANDLES}


def _unlimited():
    """The source without its rate limit, so fetch tests do not sleep."""
    return dataclasses.replace(hf.SOURCE, plan=FetchPlan(sample_routes=hf.SOURCE.plan.sample_routes,
                                                             max_requests=hf.SOURCE.plan.max_requests))


def _by_id(result) -> dict[str, dict]:
    return {row["model_id"]: row for row in result.rows["models"]}


def _models(*ids: str) -> list[dict]:
    return [m for m in json.loads(SAMPLE.read_bytes()) if m["id"] in ids]


# --- the sample -------------------------------------------------------------------------------


def test_parse_sample_keeps_each_handles_own_models(tmp_path):
    result = _parse(tmp_path, _sample_files())
    rows = _by_id(result)
    assert sorted(rows) == [
        "datos-andinos/quechua-asr",
        "ejemplo-lab/ejemplo-lm-7b",
        "ejemplo-lab/ejemplo-lm-7b-instruct",
        "exemplo-ia/experimento-antigo",
        "exemplo-ia/juridico-ptbr-embeddings",
        "exemplo-ia/visao-base",
    ]  # never someone-else's model, though every file holds it
    assert {r["organization_id"] for r in rows.values()} == {"laboratorio-ejemplo", "exemplo-ia", "datos-andinos"}


def test_parse_sample_exact_values(tmp_path):
    rows = _by_id(_parse(tmp_path, _sample_files()))
    assert {k: v for k, v in rows["ejemplo-lab/ejemplo-lm-7b"].items() if not k.startswith("_")} == {
        "model_id": "ejemplo-lab/ejemplo-lm-7b",
        "author": "ejemplo-lab",
        "organization_id": "laboratorio-ejemplo",
        "downloads": 15230,
        "likes": 87,
        "created_at": datetime(2024, 3, 14, 10, 0, tzinfo=UTC),
        "last_modified": datetime(2024, 6, 1, 8, 30, 12, tzinfo=UTC),
        "pipeline_tag": "text-generation",
        "library_name": "transformers",
        "tags": ["transformers", "safetensors", "llama", "text-generation", "es", "license:apache-2.0",
                 "autotrain_compatible", "endpoints_compatible", "region:us"],
        "is_private": False,
        "is_gated": True,  # "manual"
        "downloads_all_time": 98000,
    }
    assert rows["ejemplo-lab/ejemplo-lm-7b"]["_record_url"] == "https://huggingface.co/ejemplo-lab/ejemplo-lm-7b"
    assert rows["ejemplo-lab/ejemplo-lm-7b-instruct"]["is_gated"] is False
    assert rows["datos-andinos/quechua-asr"]["is_gated"] is True  # "auto"
    old = rows["exemplo-ia/experimento-antigo"]  # the Hub leaves unknown task and library out
    assert (old["pipeline_tag"], old["library_name"], old["downloads"], old["tags"]) == (None, None, 0, ["region:us"])


def test_parse_sample_quarantines_the_bad_count(tmp_path):
    result = _parse(tmp_path, _sample_files())
    assert [(q["record_id"], q["reason"]) for q in result.quarantine] == [
        ("ejemplo-lab/registro-roto",
         "downloads: Input should be a valid integer")
    ]


def test_handles_match_case_insensitively_and_pages_are_read(tmp_path):
    pairs = [("datos-andinos", "Datos-Andinos")]
    files = {hf.HANDLES_FILE: _handles_json(pairs),
             hf.models_file("Datos-Andinos"): json.dumps(_models("datos-andinos/quechua-asr")).encode(),
             hf.models_file("Datos-Andinos", 2): json.dumps(
                 [{"id": "datos-andinos/aymara-tts", "author": "datos-andinos", "tags": []}]).encode()}
    result = parse_files(tmp_path, hf.SOURCE, files)
    rows = _by_id(result)
    assert sorted(rows) == ["datos-andinos/aymara-tts", "datos-andinos/quechua-asr"]
    tts = rows["datos-andinos/aymara-tts"]
    assert (tts["organization_id"], tts["downloads"], tts["created_at"], tts["is_gated"]) == (
        "datos-andinos", None, None, None)


def test_model_id_without_author_field_and_bad_items(tmp_path):
    body = [{"modelId": "ejemplo-lab/sin-autor", "tags": []}, "oops", {"id": "no-slash"}]
    result = _parse(tmp_path, {hf.models_file("ejemplo-lab"): json.dumps(body).encode()})
    assert [r["model_id"] for r in result.rows["models"]] == ["ejemplo-lab/sin-autor"]
    assert [(q["record_id"], q["reason"]) for q in result.quarantine] == [
        ("models-ejemplo-lab.json#1", "not a JSON object: str"),
        ("models-ejemplo-lab.json#2", "no 'author/name' model id: 'no-slash'"),
    ]


@pytest.mark.parametrize(
    ("header", "url"),
    [
        ('<https://huggingface.co/api/models?author=x&cursor=abc>; rel="next"',
         "https://huggingface.co/api/models?author=x&cursor=abc"),
        ('<https://example.org/prev>; rel="prev", <https://example.org/next>; rel=next', "https://example.org/next"),
        ('<https://example.org/prev>; rel="prev"', None),
        (None, None),
    ],
)
def test_next_link(header, url):
    assert hf.next_link(header) == url


# --- wholly wrong payloads --------------------------------------------------------------------


def test_error_object_fails(tmp_path):
    with pytest.raises(PayloadError, match="models-ejemplo-lab.json: the API answered with an error: Invalid "
                                           "username or password.$"):
        _parse(tmp_path, {hf.models_file("ejemplo-lab"): b'{"error": "Invalid username or password."}'})


def test_file_of_an_unknown_handle_fails(tmp_path):
    with pytest.raises(PayloadError, match="models-stranger.json: handle 'stranger' is not in handles.json$"):
        _parse(tmp_path, {hf.models_file("stranger"): b"[]"})


def test_organisations_without_public_models_give_an_empty_table(tmp_path):
    result = _parse(tmp_path, {hf.models_file(handle): b"[]" for _, handle in HANDLES})
    assert result.rows.get("models", []) == [] and result.quarantine == []


# --- fetch ------------------------------------------------------------------------------------


class FakeHub:
    """/api/models: ejemplo-lab has two pages (Link header), exemplo-ia one, datos-andinos is unknown (404)."""

    def __init__(self):
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        assert (request.url.host, request.url.path) == ("huggingface.co", "/api/models")
        author, cursor = request.url.params.get("author"), request.url.params.get("cursor")
        if author == "datos-andinos":
            return httpx.Response(404, json={"error": "Not Found"})
        if author == "ejemplo-lab" and cursor is None:
            nxt = "https://huggingface.co/api/models?author=ejemplo-lab&limit=1000&expand%5B%5D=author&cursor=c2"
            return httpx.Response(200, json=_models("ejemplo-lab/ejemplo-lm-7b"),
                                  headers={"Link": f'<{nxt}>; rel="next"'})
        if author == "ejemplo-lab":
            return httpx.Response(200, json=_models("ejemplo-lab/ejemplo-lm-7b-instruct"))
        return httpx.Response(200, json=_models("exemplo-ia/visao-base", "someone-else/ejemplo-lm-7b-gguf"))


@pytest.fixture
def keep_link():
    """The client keeps the Link header, which paging needs."""
    assert "link" in http.KEPT_HEADERS


def test_fetch_pages_by_link_skips_404_and_keeps_the_token_out_of_the_snapshot(settings, monkeypatch, keep_link):
    monkeypatch.setenv(hf.TOKEN_ENV, TOKEN)
    fake = FakeHub()
    snapshot, requests = fetch_snapshot(_unlimited(), settings, offline=False, transport=httpx.MockTransport(fake))

    assert requests == 4
    first = fake.requests[0]
    assert (first.url.params.get("author"), first.url.params.get("limit")) == ("ejemplo-lab", "1000")
    assert first.url.params.get_list("expand[]") == EXPAND
    assert "full" not in first.url.params
    assert [(r.url.params.get("author"), r.url.params.get("cursor")) for r in fake.requests] == [
        ("ejemplo-lab", None), ("ejemplo-lab", "c2"), ("exemplo-ia", None), ("datos-andinos", None)]
    assert all(r.headers["authorization"] == f"Bearer {TOKEN}" for r in fake.requests)
    assert all(TOKEN not in str(r.url) for r in fake.requests)

    assert snapshot.names() == ["handles.json", "models-ejemplo-lab.json", "models-ejemplo-lab.page-2.json",
                                "models-exemplo-ia.json"]
    assert snapshot.file("models-ejemplo-lab.json").query == {
        "author": "ejemplo-lab", "limit": 1000, "expand[]": EXPAND}
    page2 = snapshot.file("models-ejemplo-lab.page-2.json")
    assert (page2.url.endswith("&cursor=c2"), page2.query) == (True, {})
    assert snapshot.url_of("handles.json") == hf.HANDLES_URL
    assert json.loads(snapshot.read_bytes("handles.json"))[0] == {
        "organization_id": "laboratorio-ejemplo", "handle": "ejemplo-lab"}
    sidecar = (snapshot.path / "_snapshot.json").read_text()
    assert TOKEN not in sidecar and "authorization" not in sidecar.lower()

    rows = {item.data["model_id"]: item.data["organization_id"] for item in hf.SOURCE.parse(snapshot)}
    assert rows == {"ejemplo-lab/ejemplo-lm-7b": "laboratorio-ejemplo",
                    "ejemplo-lab/ejemplo-lm-7b-instruct": "laboratorio-ejemplo",
                    "exemplo-ia/visao-base": "exemplo-ia"}


def test_without_a_token_no_authorization_header(settings):
    fake = FakeHub()
    fetch_snapshot(_unlimited(), settings, offline=False, transport=httpx.MockTransport(fake))
    assert all("authorization" not in r.headers for r in fake.requests)


def test_a_repeated_next_link_stops_the_fetch(settings, keep_link):
    def handler(request: httpx.Request) -> httpx.Response:
        link = '<https://huggingface.co/api/models?cursor=same>; rel="next"'
        return httpx.Response(200, json=[], headers={"Link": link})

    with pytest.raises(FetchError, match="page 3 of ejemplo-lab repeats an earlier next link"):
        fetch_snapshot(_unlimited(), settings, offline=False, transport=httpx.MockTransport(handler))


def test_other_http_errors_fail_the_source(settings):
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={"error": "Invalid credentials in Authorization header"})

    with pytest.raises(FetchError, match="huggingface: fetch failed for .*: HTTP 401"):
        fetch_snapshot(_unlimited(), settings, offline=False, transport=httpx.MockTransport(handler))


def test_invalid_and_repeated_handles_are_skipped(settings, monkeypatch):
    monkeypatch.setattr(curated, "huggingface_handles", lambda: [
        ("org-a", "ejemplo-lab"), ("org-b", "not/a-handle"), ("org-c", "Ejemplo-Lab"), ("org-d", "exemplo-ia")])
    fake = FakeHub()
    snapshot, _ = fetch_snapshot(_unlimited(), settings, offline=False, transport=httpx.MockTransport(fake))
    authors = [r.url.params.get("author") for r in fake.requests]
    assert list(dict.fromkeys(authors)) == ["ejemplo-lab", "exemplo-ia"]  # pages of one handle follow each other
    assert json.loads(snapshot.read_bytes("handles.json")) == [
        {"organization_id": "org-a", "handle": "ejemplo-lab"}, {"organization_id": "org-d", "handle": "exemplo-ia"}]


def test_without_handles_the_source_is_skipped(settings, monkeypatch):
    monkeypatch.setattr(curated, "huggingface_handles", lambda: [])

    def handler(request: httpx.Request) -> httpx.Response:  # pragma: no cover - must not be called
        raise AssertionError("no request without handles")

    with pytest.raises(SourceSkipped, match="huggingface: skipped: no organisation in the curated registry"):
        run_source(hf.SOURCE, settings, transport=httpx.MockTransport(handler))


def test_plan():
    assert hf.SOURCE.plan.rate_limits == {"huggingface.co": 2.0}
    assert (hf.SOURCE.family, hf.SOURCE.cadence) == ("organisations", "weekly")


# --- offline run ------------------------------------------------------------------------------


def test_offline_run_loads_models(settings):
    result = run_source(hf.SOURCE, settings, offline=True)
    assert (result.status, result.rows, result.quarantined, result.requests) == ("loaded", {"models": 6}, 1, 3)
    with duckdb.connect(str(settings.working_db), read_only=True) as con:
        by_org = con.execute("select organization_id, count(*) from raw_huggingface.models "
                             "group by organization_id order by organization_id").fetchall()
        types = dict(con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'raw_huggingface' and table_name = 'models'"
        ).fetchall())
        reasons = con.execute("select record_id from meta.quarantine where source = 'huggingface'").fetchall()
    assert by_org == [("datos-andinos", 1), ("exemplo-ia", 3), ("laboratorio-ejemplo", 2)]
    assert (types["downloads"], types["created_at"], types["tags"], types["is_gated"]) == (
        "BIGINT", "TIMESTAMP WITH TIME ZONE", "VARCHAR[]", "BOOLEAN")
    assert reasons == [("ejemplo-lab/registro-roto",)]
