"""The one HTTP client every ingestor uses.

It is polite and resilient so that sources don't have to be:

* timeouts on every request;
* retries with exponential backoff and jitter (tenacity) on connection errors,
  timeouts, 429 and 5xx, honouring ``Retry-After`` when the server sends it;
* a per-host rate limit matching each publisher's documented limit;
* a descriptive User-Agent with a contact address;
* conditional requests: pass the ETag / Last-Modified of the previous fetch and
  a ``304 Not Modified`` comes back as ``not_modified=True`` with no body;
* a cap on the response size, checked while streaming.
"""

from __future__ import annotations

import email.utils
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_random_exponential,
)

from ingestors.core.errors import FetchError

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER_S = 300.0
# Response headers worth keeping in a snapshot's sidecar.
KEPT_HEADERS = ("content-type", "etag", "last-modified", "date", "content-length", "cache-control", "link")


class RetryableStatus(Exception):
    """A response whose status says "try again later"."""

    def __init__(self, response: httpx.Response):
        super().__init__(f"HTTP {response.status_code}")
        self.response = response


class ResponseTooLarge(Exception):
    pass


@dataclass(frozen=True)
class Fetched:
    """What a GET returned, reduced to what a snapshot keeps."""

    url: str
    status: int
    headers: dict[str, str]
    content: bytes
    not_modified: bool = False

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")


@dataclass
class RateLimiter:
    """Spaces requests to one host at least ``1 / per_second`` seconds apart."""

    per_second: float
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _next_at: float = field(default=0.0, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def wait(self) -> None:
        with self._lock:
            now = self.clock()
            delay = self._next_at - now
            if delay > 0:
                self.sleep(delay)
                now += delay
            self._next_at = now + 1.0 / self.per_second


def retry_after_seconds(response: httpx.Response, *, now: datetime | None = None) -> float | None:
    """Seconds the server asked us to wait, from a delta-seconds or HTTP-date ``Retry-After``."""
    value = response.headers.get("retry-after")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER_S)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    now = now or datetime.now(UTC)
    return max(0.0, min((when - now).total_seconds(), MAX_RETRY_AFTER_S))


class _WaitHonouringRetryAfter:
    """tenacity wait: the server's Retry-After when given, else jittered exponential backoff."""

    def __init__(self, backoff_max_s: float):
        self._backoff = wait_random_exponential(multiplier=1, max=backoff_max_s)

    def __call__(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, RetryableStatus):
            asked = retry_after_seconds(exc.response)
            if asked is not None:
                return asked
        return self._backoff(state)


class HttpClient:
    """A thin, polite wrapper around :class:`httpx.Client`."""

    def __init__(
        self,
        *,
        user_agent: str,
        timeout_s: float = 30.0,
        max_bytes: int = 200 * 1024 * 1024,
        rate_limits: Mapping[str, float] | None = None,
        attempts: int = 5,
        backoff_max_s: float = 60.0,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        max_requests: int | None = None,
    ):
        self.max_bytes = max_bytes
        self.max_requests = max_requests
        self._limiters = {
            host: RateLimiter(per_second, sleep=sleep) for host, per_second in (rate_limits or {}).items()
        }
        self._attempts = attempts
        self._wait = _WaitHonouringRetryAfter(backoff_max_s)
        self._sleep = sleep
        self._client = httpx.Client(
            headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, 10.0)),
            follow_redirects=True,
            transport=transport,
        )
        self.requests_sent = 0

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get(
        self,
        url: str,
        *,
        source: str,
        params: Mapping[str, str | int] | None = None,
        headers: Mapping[str, str] | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> Fetched:
        """GET ``url``; raise :class:`FetchError` naming ``source`` when it cannot be had."""
        request_headers = dict(headers or {})
        if etag:
            request_headers["If-None-Match"] = etag
        if last_modified:
            request_headers["If-Modified-Since"] = last_modified
        return self.request("GET", url, source=source, params=params, headers=request_headers)

    def request(
        self,
        method: str,
        url: str,
        *,
        source: str,
        params: Mapping[str, str | int] | None = None,
        headers: Mapping[str, str] | None = None,
        data: Mapping[str, str] | None = None,
    ) -> Fetched:
        """Any request (a login form POST, say) with the same politeness and retries as :meth:`get`."""
        retrying = Retrying(
            retry=retry_if_exception_type((httpx.TransportError, RetryableStatus)),
            wait=self._wait,
            stop=stop_after_attempt(self._attempts),
            sleep=self._sleep,
            reraise=True,
        )
        try:
            return retrying(self._send_once, source, method, url, params, dict(headers or {}), data)
        except RetryableStatus as exc:
            raise FetchError(source, url, f"HTTP {exc.response.status_code} after {self._attempts} attempts",
                             status=exc.response.status_code) from None
        except httpx.TimeoutException as exc:
            raise FetchError(source, url, f"timed out after {self._attempts} attempts ({type(exc).__name__})") from None
        except httpx.TransportError as exc:
            raise FetchError(source, url, f"{type(exc).__name__}: {exc}") from None
        except ResponseTooLarge as exc:
            raise FetchError(source, url, str(exc)) from None

    def _send_once(self, source: str, method: str, url: str, params, headers: dict[str, str], data) -> Fetched:
        limiter = self._limiters.get(urlsplit(url).hostname or "")
        if self.max_requests is not None and self.requests_sent >= self.max_requests:
            raise FetchError(source, url, f"over the source's plan of {self.max_requests} requests per run "
                                          "(a paging loop or a changed publisher; see its FetchPlan)")
        if limiter:
            limiter.wait()
        self.requests_sent += 1
        with self._client.stream(method, url, params=params, headers=headers, data=data) as response:
            if response.status_code in RETRY_STATUSES:
                response.read()
                raise RetryableStatus(response)
            kept = {k: response.headers[k] for k in KEPT_HEADERS if k in response.headers}
            final_url = str(response.url)
            if response.status_code == 304:
                return Fetched(final_url, 304, kept, b"", not_modified=True)
            if response.status_code >= 400:
                raise FetchError(source, final_url, f"HTTP {response.status_code}", status=response.status_code)
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > self.max_bytes:
                raise ResponseTooLarge(f"response of {int(declared)} bytes exceeds the cap of {self.max_bytes} bytes")
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > self.max_bytes:
                    raise ResponseTooLarge(f"response exceeds the cap of {self.max_bytes} bytes")
                chunks.append(chunk)
            return Fetched(final_url, response.status_code, kept, b"".join(chunks))
