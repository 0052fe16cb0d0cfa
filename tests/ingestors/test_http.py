"""The shared HTTP client: retries, Retry-After, timeouts, size cap, 304 reuse."""

from __future__ import annotations

from datetime import UTC

import httpx
import pytest

from ingestors.core.errors import FetchError
from ingestors.core.http import HttpClient, RateLimiter, retry_after_seconds
from ingestors.core.pipeline import fetch_snapshot
from ingestors.core.registry import FetchPlan, Row, Source, Table


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def client(handler, sleeps: Sleeps, **kw) -> HttpClient:
    return HttpClient(user_agent="cadena-tests (tests@example.org)", transport=httpx.MockTransport(handler),
                      sleep=sleeps, **kw)


def test_429_waits_the_retry_after_then_succeeds():
    calls = []

    def handler(request):
        calls.append(request)
        if len(calls) == 1:
            return httpx.Response(429, headers={"Retry-After": "7"})
        return httpx.Response(200, json={"ok": True})

    sleeps = Sleeps()
    got = client(handler, sleeps).get("https://api.example.org/x", source="demo")
    assert got.status == 200 and got.content == b'{"ok":true}'
    assert sleeps == [7.0]
    assert calls[0].headers["User-Agent"].startswith("cadena-tests")


def test_5xx_is_retried_with_backoff_then_succeeds():
    statuses = iter([503, 502, 200])
    sleeps = Sleeps()
    got = client(lambda r: httpx.Response(next(statuses), text="x"), sleeps).get("https://a.example/x", source="demo")
    assert got.status == 200
    assert len(sleeps) == 2 and all(0 <= s <= 60 for s in sleeps)


def test_persistent_5xx_gives_a_one_line_error_naming_the_source():
    sleeps = Sleeps()
    with pytest.raises(FetchError) as err:
        client(lambda r: httpx.Response(500), sleeps, attempts=3).get("https://a.example/x", source="demo")
    assert str(err.value) == "demo: fetch failed for https://a.example/x: HTTP 500 after 3 attempts"
    assert len(sleeps) == 2


def test_timeouts_are_retried_then_reported():
    def handler(request):
        raise httpx.ReadTimeout("slow", request=request)

    sleeps = Sleeps()
    with pytest.raises(FetchError, match="demo: fetch failed .* timed out after 2 attempts"):
        client(handler, sleeps, attempts=2).get("https://a.example/x", source="demo")


def test_4xx_is_not_retried():
    calls = []

    def handler(request):
        calls.append(1)
        return httpx.Response(404)

    with pytest.raises(FetchError, match="HTTP 404"):
        client(handler, Sleeps()).get("https://a.example/x", source="demo")
    assert len(calls) == 1


def test_oversized_body_is_refused_while_streaming():
    def handler(request):  # a streamed body: no Content-Length to check up front
        return httpx.Response(200, content=iter([b"x" * 500] * 10))

    with pytest.raises(FetchError, match="exceeds the cap of 1000 bytes"):
        client(handler, Sleeps(), max_bytes=1000).get(
            "https://a.example/x", source="demo")


def test_declared_oversized_body_is_refused_before_reading():
    def handler(request):
        return httpx.Response(200, headers={"Content-Length": "999999"}, content=b"x")

    with pytest.raises(FetchError, match="999999 bytes exceeds"):
        client(handler, Sleeps(), max_bytes=1000).get("https://a.example/x", source="demo")


def test_retry_after_as_http_date():
    from datetime import datetime

    response = httpx.Response(429, headers={"Retry-After": "Wed, 21 Oct 2026 07:28:30 GMT"})
    now = datetime(2026, 10, 21, 7, 28, 0, tzinfo=UTC)
    assert retry_after_seconds(response, now=now) == 30.0


def test_rate_limiter_spaces_requests():
    clock = [100.0]
    sleeps = Sleeps()

    def sleep(s):
        sleeps.append(s)
        clock[0] += s

    limiter = RateLimiter(per_second=0.5, clock=lambda: clock[0], sleep=sleep)
    limiter.wait()
    limiter.wait()
    limiter.wait()
    assert sleeps == [2.0, 2.0]


class Thing(Row):
    id: int


def _demo_source(fetch) -> Source:
    return Source(
        name="demo", family="capacity", title="Demo", endpoint="`a.example`", description="d", homepage="https://a.example",
        licence="test", cadence="daily", tables=(Table("things", Thing, ("id",), "d"),),
        fetch=fetch, parse=lambda s: [], plan=FetchPlan(),
    )


def test_conditional_request_reuses_the_previous_bytes_on_304(settings):
    seen_headers = []

    def handler(request):
        seen_headers.append(dict(request.headers))
        if request.headers.get("if-none-match") == '"v1"':
            return httpx.Response(304, headers={"ETag": '"v1"'})
        return httpx.Response(200, content=b'[1,2,3]', headers={"ETag": '"v1"'})

    source = _demo_source(lambda ctx: ctx.get("things.json", "https://a.example/things.json"))
    first, _ = fetch_snapshot(source, settings, offline=False, transport=httpx.MockTransport(handler))
    second, _ = fetch_snapshot(source, settings, offline=False, transport=httpx.MockTransport(handler))
    assert "if-none-match" not in seen_headers[0]
    assert seen_headers[1]["if-none-match"] == '"v1"'
    assert second.unchanged and second.snapshot_id == first.snapshot_id
    assert second.read_bytes("things.json") == b"[1,2,3]"
