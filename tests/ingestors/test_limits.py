"""Limits of the shared HTTP client and of archive unpacking (issue 11, defects 2, 6 and 7)."""

from __future__ import annotations

import gzip
import io
import socket
import threading
import time
import zipfile
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from ingestors.core.errors import FetchError, PayloadError
from ingestors.core.http import HostBackoff, HttpClient
from ingestors.core.pipeline import parse_snapshot
from ingestors.sources import ecb_fx
from tests.ingestors.helpers import snapshot_from_files


class FakeTime:
    """A clock and a sleep that advances it: waits cost no real time."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def make(handler, t: FakeTime | None = None, **kw) -> HttpClient:
    t = t or FakeTime()
    return HttpClient(user_agent="cadena-tests", transport=httpx.MockTransport(handler),
                      sleep=t.sleep, clock=t.clock, **kw)


# --- deadlines and budgets ---------------------------------------------------------------------


def _dribbling_server(interval: float) -> tuple[str, threading.Event]:
    """A real socket server answering 200 and then one body byte every ``interval`` seconds."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    stop = threading.Event()

    def serve():
        conn, _ = server.accept()
        conn.recv(65536)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
        while not stop.is_set():
            try:
                conn.sendall(b"x")
            except OSError:
                break
            time.sleep(interval)
        conn.close()
        server.close()

    threading.Thread(target=serve, daemon=True).start()
    return f"http://127.0.0.1:{server.getsockname()[1]}/slow", stop


def test_a_server_dribbling_bytes_is_cut_at_the_deadline():
    url, stop = _dribbling_server(0.05)
    client = HttpClient(user_agent="t", timeout_s=0.3, deadline_s=0.3, attempts=1)
    started = time.monotonic()
    try:
        with pytest.raises(FetchError, match="timed out after 1 attempts \\(DeadlineExceeded\\)"):
            client.get(url, source="demo")
    finally:
        stop.set()
        client.close()
    # each read came well within the 0.3 s read timeout; only the deadline can have stopped it
    assert time.monotonic() - started < 1.5


def test_retry_after_beyond_the_budget_fails_at_once_and_is_remembered(tmp_path):
    calls = []

    def handler(request):
        calls.append(request)
        return httpx.Response(429, headers={"Retry-After": "3600"})

    t = FakeTime()
    backoff = HostBackoff(tmp_path / "http_backoff.json")
    with pytest.raises(FetchError) as err:
        make(handler, t, budget_s=300, backoff=backoff).get("https://api.example.org/x", source="demo")
    assert str(err.value) == ("demo: fetch failed for https://api.example.org/x: HTTP 429 with Retry-After 3600 s, "
                              "beyond the source's time budget (300 s); not retried, and the next run waits for it")
    assert len(calls) == 1 and t.sleeps == []
    until = backoff.until("api.example.org")
    assert until is not None and until > datetime.now(UTC) + timedelta(minutes=59)
    # the next run does not knock before then
    with pytest.raises(FetchError, match="api.example.org asked not to be called before .*; not requested"):
        make(handler, FakeTime(), backoff=backoff).get("https://api.example.org/y", source="demo")
    assert len(calls) == 1


def test_backoff_without_retry_after_stops_at_the_budget():
    t = FakeTime()
    with pytest.raises(FetchError, match="HTTP 503; waiting .* would pass the source's time budget of 5 s|budget"):
        make(lambda r: httpx.Response(503), t, budget_s=5, attempts=50, backoff_max_s=60).get(
            "https://a.example/x", source="demo")
    assert sum(t.sleeps) <= 5


def test_a_whole_refresh_of_429s_ends_within_its_budget(tmp_path, settings):
    """Every source answering 429 + Retry-After: 3600: each fails at once, one line per source."""
    from ingestors.core.errors import CadenaError
    from ingestors.core.pipeline import run_source
    from ingestors.sources import ALL

    lines, started = {}, time.monotonic()
    transport = httpx.MockTransport(lambda r: httpx.Response(429, headers={"Retry-After": "3600"}))
    for source in ALL:
        if source.plan.reads_local_files:
            continue
        try:
            run_source(source, settings, transport=transport)
        except CadenaError as exc:
            lines[source.name] = str(exc)
    assert time.monotonic() - started < 60
    for name, line in lines.items():
        assert "\n" not in line and line.startswith(name)
    assert sum("Retry-After 3600 s" in line for line in lines.values()) >= 15


# --- credentials and hosts ---------------------------------------------------------------------


def test_credentials_are_stripped_on_a_cross_host_redirect():
    seen = {}

    def handler(request):
        seen[request.url.host] = dict(request.headers)
        if request.url.host == "cloudbilling.googleapis.com":
            return httpx.Response(302, headers={"Location": "https://storage.googleapis.com/skus.json"})
        return httpx.Response(200, json={})

    make(handler, allowed_hosts={"cloudbilling.googleapis.com"}).get(
        "https://cloudbilling.googleapis.com/v1/skus", source="gcp",
        headers={"x-goog-api-key": "SECRET", "Authorization": "Bearer SECRET"})
    assert seen["cloudbilling.googleapis.com"]["x-goog-api-key"] == "SECRET"
    assert "x-goog-api-key" not in seen["storage.googleapis.com"]
    assert "authorization" not in seen["storage.googleapis.com"]


def test_a_redirect_off_the_sources_hosts_is_not_followed():
    hosts = []

    def handler(request):
        hosts.append(request.url.host)
        return httpx.Response(302, headers={"Location": "https://evil.example/x"})

    with pytest.raises(FetchError, match="redirected to evil.example, which is not one of the source's hosts"):
        make(handler, allowed_hosts={"huggingface.co"}).get("https://huggingface.co/api/models", source="hf")
    assert hosts == ["huggingface.co"]


def test_a_link_next_to_another_host_never_gets_the_token(settings, monkeypatch):
    from ingestors.core.pipeline import fetch_snapshot
    from ingestors.sources import huggingface

    monkeypatch.setenv("HF_TOKEN", "hf_SECRET")
    seen = []

    def handler(request):
        seen.append((request.url.host, request.headers.get("authorization")))
        return httpx.Response(200, json=[], headers={"Link": '<https://evil.example/api/models?p=2>; rel="next"'})

    with pytest.raises(FetchError):
        fetch_snapshot(huggingface.SOURCE, settings, offline=False, transport=httpx.MockTransport(handler))
    assert all(host == "huggingface.co" for host, _ in seen)


# --- archives ----------------------------------------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_the_ecb_zip_is_refused_past_its_unpacked_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(ecb_fx, "MAX_CSV_BYTES", 1_000_000)
    bomb = _zip({ecb_fx.CSV_MEMBER: b"Date,USD,\n" + b"0" * 5_000_000})
    assert len(bomb) < 20_000
    snapshot = snapshot_from_files(tmp_path, "ecb_fx", {ecb_fx.FILE: bomb})
    with pytest.raises(PayloadError, match="unpacks to 5,000,010 bytes, over the cap of 1,000,000"):
        parse_snapshot(ecb_fx.SOURCE, snapshot)


def test_a_gzip_bomb_over_http_is_cut_at_the_size_cap():
    """Content-Encoding: gzip is unpacked while streaming; the cap counts unpacked bytes."""
    bomb = gzip.compress(b"\0" * 5_000_000)
    assert len(bomb) < 10_000

    def handler(request):
        return httpx.Response(200, headers={"Content-Encoding": "gzip"}, content=bomb)

    with pytest.raises(FetchError, match="exceeds the cap of 1000000 bytes"):
        make(handler, max_bytes=1_000_000).get("https://a.example/x", source="demo")


def test_a_comma_decimal_ecb_row_does_not_shift_columns(tmp_path):
    csv = (b"Date,USD,JPY,BRL,\n"
           b"2024-01-03,1.0919,155.52,5.3561,\n"
           b"2024-01-02,1,0956,156.33,5.3507,\n")
    snapshot = snapshot_from_files(tmp_path, "ecb_fx", {ecb_fx.FILE: _zip({ecb_fx.CSV_MEMBER: csv})})
    records = list(ecb_fx.parse(snapshot))
    kept = {(r.data["rate_date"].isoformat(), r.data["currency"]): r.data["units_per_eur"]
            for r in records if hasattr(r, "data")}
    assert kept == {("2024-01-03", "USD"): 1.0919, ("2024-01-03", "JPY"): 155.52, ("2024-01-03", "BRL"): 5.3561}
    rejects = [r for r in records if not hasattr(r, "data")]
    assert len(rejects) == 1 and "a comma inside a rate" in rejects[0].reason


def test_a_spent_refresh_budget_fails_the_remaining_sources_at_once(settings, monkeypatch):
    import time as _time

    from ingestors.core.pipeline import REFRESH_DEADLINE_ENV, run_source
    from ingestors.sources import yc

    monkeypatch.setenv(REFRESH_DEADLINE_ENV, str(_time.time() - 1))
    calls = []
    transport = httpx.MockTransport(lambda r: calls.append(r) or httpx.Response(200))
    with pytest.raises(FetchError, match="yc: fetch failed .*the refresh's time budget .* is spent"):
        run_source(yc.SOURCE, settings, transport=transport)
    assert calls == []
