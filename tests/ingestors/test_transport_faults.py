"""Transport-level faults over every source: whatever the wire does, nothing good is lost (issue 11).

Each source first loads its shipped samples through the real fetch code (the
samples served as if by the publisher); then every fault below is injected
under the HTTP client, one run each. After every run:

* the run either succeeded (a fault the source tolerates, or a 304) or failed
  with a :class:`CadenaError` whose message is one line naming the source;
* on failure, the source's tables, last good load and quarantine are exactly
  as before;
* on success, no table lost more than the shrink guard allows.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re

import duckdb
import httpx
import pytest

from ingestors.core import http as http_module
from ingestors.core import state
from ingestors.core.config import Settings
from ingestors.core.errors import CadenaError
from ingestors.core.offline import SampleTransport
from ingestors.core.pipeline import run_source
from ingestors.sources import ALL

# HTML with status 200, a truncated body, an empty body and a 304 after a 200 are in the contract suite
# (test_source_contract.py) for every source; set CADENA_ALL_FAULTS=1 to run them here as well.
FAULTS = ["timeout", "reset", "429_retry_after", "429", "5xx", "drift", "duplicates", "mid_pagination", "oversize"]
if os.environ.get("CADENA_ALL_FAULTS") == "1":
    FAULTS += ["truncated", "html_200", "empty", "304"]


def _drift(content: bytes) -> bytes:
    text = content.decode("utf-8", "ignore")
    if text.lstrip()[:1] in "[{":
        return re.sub(r'"([A-Za-z_]\w*)"\s*:', r'"\1_v2":', text).encode()
    if "\n" in text and content.isascii():
        head, _, rest = text.partition("\n")
        return (",".join(c + "_v2" for c in head.split(",")) + "\n" + rest).encode()
    return content


def _duplicates(content: bytes) -> bytes:
    try:
        body = json.loads(content)
    except ValueError:
        text = content.decode("utf-8", "ignore")
        head, _, rest = text.partition("\n")
        return (head + "\n" + rest + rest).encode() if rest and content.isascii() else content
    return json.dumps(body + body).encode() if isinstance(body, list) else content


class FaultTransport(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport, fault: str | None):
        self.inner, self.fault, self.calls = inner, fault, 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        fault = self.fault
        if fault == "timeout":
            raise httpx.ReadTimeout("read timed out", request=request)
        if fault == "reset":
            raise httpx.RemoteProtocolError("peer closed connection without sending complete message body")
        if fault == "429_retry_after":
            return httpx.Response(429, headers={"Retry-After": "3600"})
        if fault == "429":
            return httpx.Response(429)
        if fault == "5xx":
            return httpx.Response(503, text="Service Unavailable")
        if fault == "html_200":
            return httpx.Response(200, text="<!doctype html><html><body>Maintenance</body></html>",
                                  headers={"content-type": "text/html"})
        if fault == "empty":
            return httpx.Response(200, content=b"")
        if fault == "304" and (request.headers.get("if-none-match") or request.headers.get("if-modified-since")):
            return httpx.Response(304)
        if fault == "mid_pagination" and self.calls > 1:
            raise httpx.ConnectError("connection reset mid-pagination")
        good = self.inner.handle_request(request)
        headers = {"content-type": good.headers.get("content-type", "application/octet-stream")}
        if good.status_code != 200:
            return good
        if fault == "oversize":
            return httpx.Response(200, headers={**headers, "content-length": str(10**12)}, content=b"x")
        if fault == "truncated":
            return httpx.Response(200, headers=headers, content=good.content[: len(good.content) // 2])
        if fault == "drift":
            return httpx.Response(200, headers=headers, content=_drift(good.content))
        if fault == "duplicates":
            return httpx.Response(200, headers=headers, content=_duplicates(good.content))
        return httpx.Response(200, headers={**headers, "etag": '"sample"'}, content=good.content)


def _plain(source):
    """The source without rate limits (the wire is a mock): same fetch and parse."""
    plan = dataclasses.replace(source.plan, rate_limits={}, rate_limits_with_key=None)
    return dataclasses.replace(source, plan=plan)


def _row_counts(settings: Settings, source) -> dict[str, int]:
    with duckdb.connect(str(settings.working_db), read_only=True) as con:
        return {t.name: con.execute(f'select count(*) from "{source.schema}"."{t.name}"').fetchone()[0]
                for t in source.tables}


def _untouched(settings: Settings, source) -> tuple:
    """What a failed run must leave exactly as it was: the working file's bytes (its size and
    modification time: tables and quarantine live in it) and the source's last good load."""
    stat = settings.working_db.stat()
    return stat.st_size, stat.st_mtime_ns, state.read(settings, source.name).get("last_success")


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch):
    monkeypatch.setattr(http_module, "_backoff", lambda attempt, cap: 0.0)
    monkeypatch.setenv("GOOGLE_CLOUD_API_KEY", "AIza-test-key")
    from ingestors.sources import news

    monkeypatch.setattr(news, "HOST_INTERVAL_S", 0.0)


def _sources():
    return [s for s in ALL if not s.plan.reads_local_files]


@pytest.mark.parametrize("source", _sources(), ids=lambda s: s.name)
def test_every_fault_leaves_the_last_good_data_and_says_one_line(source, tmp_path, monkeypatch):
    settings = Settings(warehouse_dir=tmp_path / "warehouse", contact="t@example.org")
    source = _plain(source)
    samples = SampleTransport(source.name, source.plan.sample_routes)
    try:
        run_source(source, settings, transport=FaultTransport(samples, None))
    except CadenaError as exc:
        pytest.skip(f"the online fetch path differs from the samples: {exc}")
    outcomes = {}
    rows = _row_counts(settings, source)
    for fault in FAULTS:
        before = _untouched(settings, source)
        try:
            result = run_source(source, settings, transport=FaultTransport(samples, fault))
        except CadenaError as exc:
            line = str(exc)
            assert "\n" not in line and line.startswith(source.name), (fault, line)
            assert _untouched(settings, source) == before, fault
            outcomes[fault] = "failed"
        else:
            outcomes[fault] = result.status
            if result.status == "loaded":
                after = _row_counts(settings, source)
                assert all(after[t] >= n * 0.5 for t, n in rows.items()), (fault, rows, after)
                if after == rows:  # a source that keeps its last good answer per part (Wikidata's countries)
                    outcomes[fault] = "kept its last good rows"
                rows = after
        (settings.state_dir / "http_backoff.json").unlink(missing_ok=True)  # a remembered Retry-After
    # faults no source can take for data
    for fault in ("timeout", "reset", "429_retry_after", "429", "5xx", "oversize"):
        assert outcomes[fault] in ("failed", "kept its last good rows", "unchanged"), (fault, outcomes)
    assert outcomes.get("304", "unchanged") in ("unchanged", "loaded", "kept its last good rows")
