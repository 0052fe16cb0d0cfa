"""Credentials a publisher takes in the query string reach the wire and nothing else.

The Banco Central de Chile's BDE API wants ``user`` and ``pass`` as query parameters. The client sends
them (``secret_params``) and hands back ``***`` in their place: in the returned URL, in every error, in the
snapshot's sidecar, in the state file and the load log. A fake transport stands in for the publisher.
"""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest

from ingestors.core.errors import FetchError, SourceSkipped
from ingestors.core.http import HttpClient, redact
from ingestors.core.pipeline import fetch_snapshot, run_source
from ingestors.core.registry import FetchPlan, Row, Source, Table

USER, PASSWORD = "analyst@example.org", "p&ss w0rd/="  # characters a query must percent-encode
SECRETS = {"user": USER, "pass": PASSWORD}


def _client(handler, **kw) -> HttpClient:
    return HttpClient(user_agent="cadena-tests (tests@example.org)", transport=httpx.MockTransport(handler),
                      sleep=lambda s: None, **kw)


def _leaks(text: str) -> bool:
    return any(form in text for form in (USER, PASSWORD, "p%26ss", "w0rd%2F", "analyst%40example.org"))


def test_the_credentials_go_on_the_wire_and_come_back_redacted():
    seen = []

    def handler(request):
        seen.append(request.url)
        return httpx.Response(200, json={"Codigo": 0})

    got = _client(handler).get("https://api.example.org/ws.ashx", source="demo",
                               params={"function": "GetSeries", "timeseries": "X"}, secret_params=SECRETS)
    assert seen[0].params["user"] == USER and seen[0].params["pass"] == PASSWORD
    assert seen[0].params["function"] == "GetSeries" and seen[0].params["timeseries"] == "X"
    assert not _leaks(got.url) and "user=***" in got.url and "pass=***" in got.url


@pytest.mark.parametrize("status", [401, 404, 500])
def test_an_http_error_names_the_url_without_the_credentials(status):
    with pytest.raises(FetchError) as caught:
        _client(lambda r: httpx.Response(status), attempts=2).get(
            "https://api.example.org/ws.ashx", source="demo", secret_params=SECRETS)
    assert not _leaks(str(caught.value)) and not _leaks(caught.value.url)
    assert str(caught.value).startswith("demo: fetch failed for https://api.example.org/ws.ashx")


def test_a_transport_error_quoting_the_url_is_redacted():
    def handler(request):
        raise httpx.ConnectError(f"cannot connect to {request.url}", request=request)

    with pytest.raises(FetchError) as caught:
        _client(handler, attempts=1).get("https://api.example.org/ws.ashx", source="demo", secret_params=SECRETS)
    assert "***" in str(caught.value) and not _leaks(str(caught.value))
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_an_unexpected_exception_becomes_a_redacted_fetch_error():
    def handler(request):
        raise RuntimeError(f"boom at {request.url}")

    with pytest.raises(FetchError) as caught:
        _client(handler, attempts=1).get("https://api.example.org/ws.ashx", source="demo", secret_params=SECRETS)
    assert "RuntimeError" in str(caught.value) and not _leaks(str(caught.value))


def test_httpx_request_logging_carries_no_credential(caplog):
    caplog.set_level(logging.DEBUG, logger="httpx")
    caplog.set_level(logging.DEBUG, logger="httpcore")
    _client(lambda r: httpx.Response(200, json={})).get("https://api.example.org/ws.ashx", source="demo",
                                                       secret_params=SECRETS)
    assert any("api.example.org" in r.getMessage() for r in caplog.records)  # httpx did log the request
    assert not any(_leaks(r.getMessage()) for r in caplog.records)


def test_redact_covers_raw_and_percent_encoded_forms():
    text = f"user={USER} pass=p%26ss+w0rd%2F%3D pass2=p%26ss%20w0rd%2F%3D raw={PASSWORD}"
    assert redact(text, [USER, PASSWORD]) == "user=*** pass=*** pass2=*** raw=***"
    assert redact("nothing here", ["", "x" * 0]) == "nothing here"


class Thing(Row):
    id: int


def _source(fetch) -> Source:
    return Source(
        name="demo", family="funding", title="Demo", endpoint="`a.example`", description="d",
        homepage="https://api.example.org", licence="test", cadence="daily",
        tables=(Table("things", Thing, ("id",), "d"),), fetch=fetch, parse=lambda s: [], plan=FetchPlan(),
        requires_env=("DEMO_USER", "DEMO_PASS"),
    )


def _all_text(folder: Path) -> str:
    return "\n".join(p.read_text(errors="replace") for p in folder.rglob("*") if p.is_file())


def test_nothing_under_the_warehouse_holds_a_credential(settings, monkeypatch):
    monkeypatch.setenv("DEMO_USER", USER)
    monkeypatch.setenv("DEMO_PASS", PASSWORD)

    def fetch(ctx):
        ctx.get("things.json", "https://api.example.org/ws.ashx", params={"function": "GetSeries"},
                secret_params=SECRETS)

    snapshot, _ = fetch_snapshot(_source(fetch), settings, offline=False,
                                 transport=httpx.MockTransport(lambda r: httpx.Response(200, json=[1])))
    recorded = snapshot.file("things.json")
    assert recorded.query == {"function": "GetSeries", "user": "***", "pass": "***"}
    assert recorded.url == "https://api.example.org/ws.ashx"
    assert not _leaks(_all_text(settings.warehouse_dir))


def test_a_failed_run_logs_no_credential(settings, monkeypatch):
    monkeypatch.setenv("DEMO_USER", USER)
    monkeypatch.setenv("DEMO_PASS", PASSWORD)

    def fetch(ctx):
        ctx.get("things.json", "https://api.example.org/ws.ashx", secret_params=SECRETS)

    with pytest.raises(FetchError) as caught:
        run_source(_source(fetch), settings, transport=httpx.MockTransport(lambda r: httpx.Response(403)))
    assert not _leaks(str(caught.value))
    assert not _leaks(_all_text(settings.warehouse_dir))


def test_without_the_variables_the_source_is_skipped_naming_both(settings, monkeypatch):
    monkeypatch.delenv("DEMO_USER", raising=False)
    monkeypatch.delenv("DEMO_PASS", raising=False)
    with pytest.raises(SourceSkipped, match="set DEMO_USER and DEMO_PASS to enable it"):
        fetch_snapshot(_source(lambda ctx: None), settings, offline=False)
