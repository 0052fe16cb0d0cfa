"""The one HTTP client every ingestor uses.

It is polite and resilient so that sources don't have to be:

* a per-read timeout *and* a total deadline per request: a server that
  dribbles one byte every half second never trips a read timeout, so the
  deadline is checked between chunks and cuts the request;
* retries with exponential backoff and jitter on connection errors, timeouts,
  429 and 5xx, honouring ``Retry-After`` when the server sends it;
* a time budget per source (all requests, retries and waits of one fetch):
  a wait that would pass it fails at once with one line, and a
  ``Retry-After`` beyond it is remembered (:class:`HostBackoff`, a small JSON
  file) so that the next run does not knock before the server said to;
* a per-host rate limit matching each publisher's documented limit;
* a descriptive User-Agent with a contact address;
* conditional requests: pass the ETag / Last-Modified of the previous fetch and
  a ``304 Not Modified`` comes back as ``not_modified=True`` with no body;
* a cap on the response size, checked while streaming;
* redirects followed by hand, at most :data:`MAX_REDIRECTS`, only within the
  hosts the source declared (``allowed_hosts``), and credentials
  (:data:`CREDENTIAL_HEADERS`) sent only to the host they were given for:
  they are stripped on any redirect to another host;
* secret query parameters (``secret_params``: a publisher that takes a user and
  password in the query string, like the Banco Central de Chile's BDE API) are
  added to the URL on the wire only: every URL the client hands back
  (:attr:`Fetched.url`) and every :class:`FetchError` it raises has their values
  replaced by ``***`` (:func:`redact`), so they never reach a snapshot's sidecar,
  the load log, the state file or an error message. httpx itself logs every
  request URL at INFO: a filter on its loggers redacts the secrets of the
  requests under way, should anyone turn that logging on.
"""

from __future__ import annotations

import email.utils
import json
import logging
import os
import random
import tempfile
import threading
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote, quote_plus, urlsplit

import httpx

from ingestors.core.errors import FetchError

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 10
# Headers that carry a secret: sent only to the host they were given for.
CREDENTIAL_HEADERS = frozenset({
    "authorization", "proxy-authorization", "cookie", "x-goog-api-key", "x-api-key", "api-key",
    "x-auth-token", "private-token",
})
# Response headers worth keeping in a snapshot's sidecar.
KEPT_HEADERS = ("content-type", "etag", "last-modified", "date", "content-length", "cache-control", "link")
DEFAULT_DEADLINE_S = 120.0  # one request, from sending to the last byte
DEFAULT_BUDGET_S = 300.0  # one source's whole fetch
REDACTED = "***"


class RetryableStatus(Exception):
    """A response whose status says "try again later"."""

    def __init__(self, response: httpx.Response):
        super().__init__(f"HTTP {response.status_code}")
        self.response = response


class ResponseTooLarge(Exception):
    pass


class DeadlineExceeded(httpx.TimeoutException):
    """The request as a whole took longer than its deadline (however steadily bytes came)."""


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


def pause(seconds: float) -> None:
    """The one place the HTTP layer really sleeps (rate limits, back-off). The test suite replaces it to make
    waiting instant (tests/conftest.py); tests of the waiting itself pass their own ``sleep``."""
    time.sleep(seconds)


def wait(seconds: float) -> None:
    """The default ``sleep`` of the HTTP layer: calls :func:`pause` as it is when the wait happens (a default
    argument bound to ``pause`` itself would keep the real one)."""
    pause(seconds)


@dataclass
class RateLimiter:
    """Spaces requests to one host at least ``1 / per_second`` seconds apart."""

    per_second: float
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = wait
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


class HostBackoff:
    """Hosts that asked (``Retry-After``) not to be called before a time, kept across runs.

    A JSON file ``{host: ISO time}``; entries in the past are dropped when it is written.
    """

    def __init__(self, path: Path, *, now: Callable[[], datetime] = lambda: datetime.now(UTC)):
        self.path = path
        self._now = now

    def _read(self) -> dict[str, str]:
        try:
            data = json.loads(self.path.read_text())
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def until(self, host: str) -> datetime | None:
        """When ``host`` may be called again, if that is still in the future."""
        value = self._read().get(host)
        try:
            when = datetime.fromisoformat(value) if value else None
        except ValueError:
            return None
        return when if when and when > self._now() else None

    def remember(self, host: str, seconds: float) -> datetime:
        when = self._now() + timedelta(seconds=seconds)
        now = self._now()
        data = {h: t for h, t in self._read().items() if _parse_time(t) and _parse_time(t) > now}
        data[host] = when.isoformat(timespec="seconds")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w") as fh:
            json.dump(data, fh, indent=2, sort_keys=True)
        os.replace(tmp, self.path)
        return when


def _parse_time(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def retry_after_seconds(response: httpx.Response, *, now: datetime | None = None) -> float | None:
    """Seconds the server asked us to wait, from a delta-seconds or HTTP-date ``Retry-After``."""
    value = response.headers.get("retry-after")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    now = now or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())


def site_of(host: str) -> str:
    """The registrable part of a host, roughly: its last two labels (``www.sec.gov`` -> ``sec.gov``)."""
    return ".".join(host.lower().rstrip(".").split(".")[-2:])


def host_allowed(host: str, allowed: Collection[str] | None) -> bool:
    """Whether ``host`` is one of ``allowed`` or on the same site as one (``None`` allows any)."""
    if not allowed:
        return True
    host = host.lower()
    return any(host == a or site_of(host) == site_of(a) for a in allowed)


def redact(text: str, secrets: Collection[str]) -> str:
    """``text`` with every secret value, raw or percent-encoded as a query would carry it, as ``***``."""
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        for form in {secret, quote(secret, safe=""), quote_plus(secret), quote(secret)}:
            text = text.replace(form, REDACTED)
    return text


_ACTIVE_SECRETS: set[str] = set()  # the secret values of the requests under way (for the log filter)
_SECRETS_LOCK = threading.Lock()


class _RedactSecrets(logging.Filter):
    """Rewrites a log record of httpx / httpcore with the active secrets as ``***`` (httpx logs each URL)."""

    def filter(self, record: logging.LogRecord) -> bool:
        with _SECRETS_LOCK:
            secrets = list(_ACTIVE_SECRETS)
        if secrets:
            record.msg, record.args = redact(record.getMessage(), secrets), None
        return True


for _name in ("httpx", "httpcore"):
    logging.getLogger(_name).addFilter(_RedactSecrets())


def _redacted_error(exc: FetchError, secrets: Collection[str]) -> FetchError:
    return FetchError(exc.source, redact(exc.url, secrets), redact(exc.reason, secrets), status=exc.status)


def _without_credentials(headers: Mapping[str, str]) -> dict[str, str]:
    return {k: v for k, v in headers.items() if k.lower() not in CREDENTIAL_HEADERS}


def _backoff(attempt: int, cap: float) -> float:
    """Full-jitter exponential backoff: uniform in [0, min(cap, 2**attempt)]."""
    return random.uniform(0, min(cap, 2.0 ** attempt))


class HttpClient:
    """A thin, polite wrapper around :class:`httpx.Client`."""

    def __init__(
        self,
        *,
        user_agent: str,
        timeout_s: float = 30.0,
        deadline_s: float = DEFAULT_DEADLINE_S,
        budget_s: float = DEFAULT_BUDGET_S,
        max_bytes: int = 200 * 1024 * 1024,
        rate_limits: Mapping[str, float] | None = None,
        allowed_hosts: Collection[str] | None = None,
        backoff: HostBackoff | None = None,
        attempts: int = 5,
        backoff_max_s: float = 60.0,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = wait,
        clock: Callable[[], float] = time.monotonic,
        max_requests: int | None = None,
    ):
        self.max_bytes = max_bytes
        self.max_requests = max_requests
        self.deadline_s = max(deadline_s, timeout_s)
        self.budget_s = budget_s
        self.allowed_hosts = frozenset(h.lower() for h in allowed_hosts or ())
        self._limiters = {
            host: RateLimiter(per_second, sleep=sleep) for host, per_second in (rate_limits or {}).items()
        }
        self._attempts = attempts
        self._backoff_max_s = backoff_max_s
        self._host_backoff = backoff
        self._sleep = sleep
        self._clock = clock
        self._started = clock()
        self._client = httpx.Client(
            headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, 10.0)),
            follow_redirects=False,
            transport=transport,
        )
        self.requests_sent = 0

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def remaining_budget(self) -> float:
        return self.budget_s - (self._clock() - self._started)

    def get(
        self,
        url: str,
        *,
        source: str,
        params: Mapping[str, str | int] | None = None,
        headers: Mapping[str, str] | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        secret_params: Mapping[str, str] | None = None,
    ) -> Fetched:
        """GET ``url``; raise :class:`FetchError` naming ``source`` when it cannot be had."""
        request_headers = dict(headers or {})
        if etag:
            request_headers["If-None-Match"] = etag
        if last_modified:
            request_headers["If-Modified-Since"] = last_modified
        return self.request("GET", url, source=source, params=params, headers=request_headers,
                            secret_params=secret_params)

    def request(
        self,
        method: str,
        url: str,
        *,
        source: str,
        params: Mapping[str, str | int] | None = None,
        headers: Mapping[str, str] | None = None,
        data: Mapping[str, str] | None = None,
        secret_params: Mapping[str, str] | None = None,
        content: bytes | None = None,
    ) -> Fetched:
        """Any request (a login form POST, a SOAP envelope in ``content``) with the same politeness and
        retries as :meth:`get`.

        ``secret_params`` join ``params`` on the wire only: the returned URL and any error carry ``***``
        in their place (a non-Cadena exception on the way becomes a redacted :class:`FetchError`).
        """
        if not secret_params:
            return self._request(method, url, source=source, params=params, headers=headers, data=data,
                                 content=content)
        secrets = [str(v) for v in secret_params.values() if str(v)]
        wire = {**dict(params or {}), **{k: str(v) for k, v in secret_params.items()}}
        with _SECRETS_LOCK:
            _ACTIVE_SECRETS.update(secrets)
        try:
            fetched = self._request(method, url, source=source, params=wire, headers=headers, data=data,
                                    content=content)
        except FetchError as exc:
            raise _redacted_error(exc, secrets) from None
        except Exception as exc:  # httpx.InvalidURL and the like may quote the full URL
            raise FetchError(source, redact(url, secrets),
                             redact(f"{type(exc).__name__}: {exc}", secrets)) from None
        finally:
            with _SECRETS_LOCK:
                _ACTIVE_SECRETS.difference_update(secrets)
        return Fetched(redact(fetched.url, secrets), fetched.status, fetched.headers, fetched.content,
                       fetched.not_modified)

    def _request(self, method: str, url: str, *, source: str, params, headers, data, content=None) -> Fetched:
        host = (urlsplit(url).hostname or "").lower()
        if not host_allowed(host, self.allowed_hosts):
            raise FetchError(source, url, f"host {host} is not one of the source's hosts "
                                          f"({', '.join(sorted(self.allowed_hosts))}); not requested")
        if self._host_backoff is not None and (until := self._host_backoff.until(host)):
            raise FetchError(source, url, f"{host} asked not to be called before {until.isoformat()} "
                                          "(an earlier Retry-After); not requested")
        headers = dict(headers or {})
        if self.allowed_hosts and host not in self.allowed_hosts:  # same site, but not the declared host
            headers = _without_credentials(headers)
        last_error = ""
        for attempt in range(1, self._attempts + 1):
            if self.remaining_budget() <= 0:
                raise FetchError(source, url, f"the source's time budget of {self.budget_s:.0f} s is spent"
                                              f"{' (' + last_error + ')' if last_error else ''}")
            try:
                return self._send(source, method, url, params, headers, data, content)
            except RetryableStatus as exc:
                status = exc.response.status_code
                last_error = f"HTTP {status}"
                asked = retry_after_seconds(exc.response)
                if asked is not None and asked > self.remaining_budget():
                    self._remember(host, asked)
                    raise FetchError(source, url, f"HTTP {status} with Retry-After {asked:.0f} s, beyond the "
                                                  f"source's time budget ({self.budget_s:.0f} s); not retried, "
                                                  "and the next run waits for it", status=status) from None
                if attempt == self._attempts:
                    raise FetchError(source, url, f"HTTP {status} after {self._attempts} attempts",
                                     status=status) from None
                wait = asked if asked is not None else _backoff(attempt, self._backoff_max_s)
            except httpx.TimeoutException as exc:
                last_error = f"timed out ({type(exc).__name__})"
                if attempt == self._attempts:
                    raise FetchError(source, url, f"timed out after {self._attempts} attempts "
                                                  f"({type(exc).__name__})") from None
                wait = _backoff(attempt, self._backoff_max_s)
            except httpx.TransportError as exc:
                last_error = f"{type(exc).__name__}: {exc}"
                if attempt == self._attempts:
                    raise FetchError(source, url, last_error) from None
                wait = _backoff(attempt, self._backoff_max_s)
            except ResponseTooLarge as exc:
                raise FetchError(source, url, str(exc)) from None
            if wait > self.remaining_budget():
                raise FetchError(source, url, f"{last_error}; waiting {wait:.0f} s more would pass the source's "
                                              f"time budget of {self.budget_s:.0f} s")
            self._sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _remember(self, host: str, seconds: float) -> None:
        if self._host_backoff is not None:
            self._host_backoff.remember(host, seconds)

    def _send(self, source: str, method: str, url: str, params, headers: dict[str, str], data,
              content: bytes | None = None) -> Fetched:
        """One attempt: the request and its redirects, under one deadline."""
        origin = (urlsplit(url).hostname or "").lower()
        request = self._client.build_request(method, url, params=params, headers=headers, data=data,
                                             content=content)
        deadline = self._clock() + min(self.deadline_s, max(self.remaining_budget(), 1.0))
        for _ in range(MAX_REDIRECTS + 1):
            if self.max_requests is not None and self.requests_sent >= self.max_requests:
                raise FetchError(source, url, f"over the source's plan of {self.max_requests} requests per run "
                                              "(a paging loop or a changed publisher; see its FetchPlan)")
            limiter = self._limiters.get(request.url.host)
            if limiter:
                limiter.wait()
            self.requests_sent += 1
            response = self._client.send(request, stream=True)
            try:
                if response.status_code in REDIRECT_STATUSES and response.next_request is not None:
                    request = self._redirected(source, str(request.url), response.next_request, origin)
                    continue
                return self._read(source, response, deadline)
            finally:
                response.close()
        raise FetchError(source, url, f"more than {MAX_REDIRECTS} redirects")

    def _redirected(self, source: str, from_url: str, nxt: httpx.Request, origin: str) -> httpx.Request:
        host = (nxt.url.host or "").lower()
        if not host_allowed(host, self.allowed_hosts):
            raise FetchError(source, from_url, f"redirected to {host}, which is not one of the source's hosts "
                                               f"({', '.join(sorted(self.allowed_hosts))}); not followed")
        if host != origin:  # credentials stay with the host they were given for
            for name in [n for n in nxt.headers if n.lower() in CREDENTIAL_HEADERS]:
                del nxt.headers[name]
        return nxt

    def _read(self, source: str, response: httpx.Response, deadline: float) -> Fetched:
        if response.status_code in RETRY_STATUSES:
            self._drain(response, deadline)
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
            if self._clock() > deadline:
                raise DeadlineExceeded(f"no complete response within the {self.deadline_s:.0f} s deadline "
                                       f"({size} bytes read)")
            chunks.append(chunk)
        return Fetched(final_url, response.status_code, kept, b"".join(chunks))

    def _drain(self, response: httpx.Response, deadline: float) -> None:
        """Read (and drop) an error body, within the deadline and a small cap."""
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > 1024 * 1024 or self._clock() > deadline:
                break
