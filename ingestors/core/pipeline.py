"""fetch -> snapshot -> parse -> validate -> load, for one source.

This is the whole life of a source run, with no Dagster in it: the Dagster
asset and the CLI both call :func:`run_source`.
"""

from __future__ import annotations

import json
import logging
import os
import time
import traceback
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from pydantic import ValidationError

from ingestors.core import shrink, state
from ingestors.core.config import Settings
from ingestors.core.errors import CadenaError, FetchError, InternalError, PayloadError, SourceSkipped
from ingestors.core.http import REDACTED, Fetched, HostBackoff, HttpClient
from ingestors.core.load import load_snapshot
from ingestors.core.lock import writer_lock
from ingestors.core.registry import Record, Reject, Source
from ingestors.core.replay import offline_transport
from ingestors.core.snapshots import Snapshot, SnapshotStore, SnapshotWriter
from ingestors.core.state import RunResult

log = logging.getLogger(__name__)

# Set by a refresh: the epoch time by which every fetch of the run must be done (CADENA_REFRESH_BUDGET_S).
REFRESH_DEADLINE_ENV = "CADENA_REFRESH_DEADLINE"

class SnapshotFetchContext:
    """The :class:`~ingestors.core.registry.FetchContext` a source's ``fetch`` gets: a polite GET that lands
    in the snapshot being written."""

    def __init__(self, source: Source, settings: Settings, client: HttpClient, writer: SnapshotWriter,
                 previous: Snapshot | None, offline: bool):
        self.source = source
        self.settings = settings
        self.offline = offline
        self._client = client
        self._writer = writer
        self._previous = previous

    def get(self, name: str, url: str, *, params: Mapping[str, Any] | None = None,
            headers: Mapping[str, str] | None = None, conditional: bool = True,
            volatile: bool = False, secret_params: Mapping[str, str] | None = None) -> bytes:
        """Fetch ``url`` into snapshot file ``name`` and return its bytes.

        With ``conditional`` the previous snapshot's ETag / Last-Modified for the
        same file and query are sent; a 304 reuses the previous bytes. A
        ``volatile`` file is kept but does not count when deciding whether the
        payload changed (a page that only links to the data). ``secret_params``
        (a user and password the publisher takes in the query) go on the wire
        only: the snapshot records their names with ``***`` as the value.
        """
        query = {**dict(params or {}), **{k: REDACTED for k in secret_params or {}}}
        prev = None
        if conditional and self._previous is not None:
            prev = next((f for f in self._previous.files
                         if f.name == name and f.url == url and f.query == query), None)
        fetched = self._client.get(
            url, source=self.source.name, params=params, headers=headers,
            etag=prev.headers.get("etag") if prev else None,
            last_modified=prev.headers.get("last-modified") if prev else None,
            secret_params=secret_params,
        )
        content = fetched.content
        if fetched.not_modified and prev is not None:
            content = self._previous.read_bytes(name)
        self._writer.add(name, url=url, query=query, status=fetched.status,
                         headers=fetched.headers, content=content, volatile=volatile)
        return content

    def post(self, name: str, url: str, *, content: bytes, headers: Mapping[str, str] | None = None,
             describe: Mapping[str, Any] | None = None) -> bytes:
        """POST ``content`` (a SOAP envelope, say) to ``url`` and keep the answer as snapshot file ``name``.

        The payload is the answer, so it is recorded like a GET's; ``describe`` (the request's
        parameters, e.g. a date range) is recorded as the file's query. Never conditional.
        """
        fetched = self._client.request("POST", url, source=self.source.name, headers=headers, content=content)
        self._writer.add(name, url=url, query=describe, status=fetched.status, headers=fetched.headers,
                         content=fetched.content)
        return fetched.content

    def request(self, method: str, url: str, *, data: Mapping[str, str] | None = None,
                headers: Mapping[str, str] | None = None,
                secret_params: Mapping[str, str] | None = None) -> Fetched:
        """A request that is not part of the payload (a login form), through the same client:
        same cookies, User-Agent, rate limit and retries. Nothing is recorded in the snapshot."""
        return self._client.request(method, url, source=self.source.name, data=data, headers=headers,
                                    secret_params=secret_params)

    def response_headers(self, name: str) -> dict[str, str]:
        """The kept response headers (``http.KEPT_HEADERS``, e.g. ``link`` for paging) of file ``name``."""
        return dict(self._writer.files[name].headers)

    def add_file(self, name: str, content: bytes, url: str) -> None:
        """Add bytes obtained outside HTTP (a file the user downloaded) to the snapshot.

        ``url`` says where they came from, e.g. ``file:///data/TOP500_202411.xlsx``.
        """
        self._writer.add(name, url=url, query=None, status=200, headers={}, content=content)


@dataclass
class ParseResult:
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    quarantine: list[dict[str, Any]] = field(default_factory=list)


def parse_snapshot(source: Source, snapshot: Snapshot) -> ParseResult:
    """Run the pure parser and validate every record against its table's model.

    Records that fail validation, or repeat a key already seen, go to
    quarantine. A table with fewer rows than its ``min_rows`` fails the whole
    source: that is a wrong payload, not an empty world.
    """
    result = ParseResult()
    seen: dict[str, set[tuple]] = defaultdict(set)
    tables = {t.name: t for t in source.tables}
    for item in source.parse(snapshot):
        table = tables[item.table]
        if isinstance(item, Reject):
            result.quarantine.append(
                _quarantine_row(source, snapshot, item.table, item.record_id, item.reason, item.raw))
            continue
        try:
            row = table.model.model_validate(dict(item.data)).model_dump()
        except ValidationError as exc:
            reason = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'record'}: {e['msg']}" for e in exc.errors()
            )
            result.quarantine.append(_quarantine_row(source, snapshot, item.table, item.record_id, reason, item.data))
            continue
        key = tuple(row[k] for k in table.key)
        if key in seen[item.table]:
            reason = f"duplicate key {dict(zip(table.key, key, strict=True))}"
            result.quarantine.append(_quarantine_row(source, snapshot, item.table, item.record_id, reason, item.data))
            continue
        seen[item.table].add(key)
        row.update(_provenance(snapshot, item))
        result.rows[item.table].append(row)
    for table in source.tables:
        n = len(result.rows.get(table.name, []))
        if n < table.min_rows:
            raise PayloadError(source.name, snapshot.snapshot_id,
                               f"table {table.name} got {n} rows, expected at least {table.min_rows}")
    return result


def _provenance(snapshot: Snapshot, item: Record) -> dict[str, Any]:
    return {
        "_source": snapshot.source,
        "_snapshot_id": snapshot.snapshot_id,
        "_retrieved_at": snapshot.retrieved_at,
        "_record_id": item.record_id,
        "_record_url": item.record_url,
    }


def _quarantine_row(source: Source, snapshot: Snapshot, table: str, record_id: str, reason: str, raw: Any) -> dict:
    return {
        "source": source.name,
        "table_name": table,
        "snapshot_id": snapshot.snapshot_id,
        "record_id": record_id,
        "reason": reason,
        "raw": json.dumps(raw, default=str, ensure_ascii=False)[:10_000] if raw is not None else None,
        "quarantined_at": datetime.now(UTC),
    }


def fetch_snapshot(source: Source, settings: Settings, *, offline: bool,
                   transport: httpx.BaseTransport | None = None) -> tuple[Snapshot, int]:
    """Fetch a source into the snapshot store; returns the snapshot and the requests made."""
    missing = [var for var in source.requires_env if not os.environ.get(var)]
    if missing and not offline:
        raise SourceSkipped(source.name, f"set {' and '.join(missing)} to enable it (see .env.example)")
    budget_s = settings.source_budget_s
    if (deadline := os.environ.get(REFRESH_DEADLINE_ENV)) and not offline:
        budget_s = min(budget_s, float(deadline) - time.time())
        if budget_s <= 0:
            raise FetchError(source.name, source.homepage, "the refresh's time budget (CADENA_REFRESH_BUDGET_S) "
                                                           "is spent; not fetched this run")
    store = SnapshotStore(settings.raw_dir)
    if offline and transport is None:  # the samples, or a replay of real captures (CADENA_REPLAY_DIR)
        transport = offline_transport(source.name, source.plan.sample_routes, settings.samples_dir)
    timeout_s = source.plan.timeout_s or settings.http_timeout_s
    client = HttpClient(
        user_agent=settings.user_agent,
        timeout_s=timeout_s,
        deadline_s=max(settings.http_deadline_s, 2 * timeout_s),
        budget_s=budget_s,
        max_bytes=settings.max_response_bytes,
        rate_limits=None if offline else source.plan.limits(os.environ),
        allowed_hosts=None if offline else source.plan.hosts(),
        backoff=None if offline else HostBackoff(settings.state_dir / "http_backoff.json"),
        attempts=source.plan.attempts,
        transport=transport,
        max_requests=source.plan.max_requests,
    )
    writer = store.writer(source.name, licence=source.licence, sample=offline)
    try:
        with client:
            source.fetch(SnapshotFetchContext(source, settings, client, writer, store.latest(source.name), offline))
        return writer.commit(), client.requests_sent
    except BaseException:
        writer.discard()
        raise


def run_source(source: Source, settings: Settings, *, offline: bool = False, force: bool = False,
               transport: httpx.BaseTransport | None = None) -> RunResult:
    """One complete run of one source. Never leaves a half-loaded table behind.

    Raises :class:`CadenaError` (one line, naming source and snapshot) when the
    source fails; its previous tables stay as they were.
    """
    started = datetime.now(UTC)
    try:
        snapshot, requests = fetch_snapshot(source, settings, offline=offline, transport=transport)
        last = state.read(settings, source.name).get("last_success") or {}
        if snapshot.unchanged and last.get("snapshot_id") == snapshot.snapshot_id and not force:
            result = RunResult(source.name, "unchanged", snapshot.snapshot_id, snapshot.retrieved_at,
                               rows=last.get("rows", {}), partitions=last.get("partitions", {}),
                               sample=bool(last.get("sample")), quarantined=last.get("quarantined", 0),
                               requests=requests, message="payload unchanged since the last load")
        else:
            parsed = parse_snapshot(source, snapshot)
            shrink.check(source, snapshot.snapshot_id, last, parsed.rows, sample=snapshot.sample)
            with writer_lock(settings.warehouse_dir, purpose=f"load {source.name}"):
                counts = load_snapshot(settings.working_db, source, snapshot, parsed.rows, parsed.quarantine)
            result = RunResult(source.name, "loaded", snapshot.snapshot_id, snapshot.retrieved_at,
                               rows=counts, partitions=shrink.partitions(source, parsed.rows),
                               sample=snapshot.sample, quarantined=len(parsed.quarantine), requests=requests)
    except SourceSkipped as exc:
        state.record(settings, source.name, started, RunResult(source.name, "skipped", message=str(exc)))
        raise
    except CadenaError as exc:
        state.record(settings, source.name, started, RunResult(source.name, "failed", message=str(exc)))
        raise
    except Exception as exc:  # not ours: one line for the operator, the traceback in a log file
        error = InternalError(source.name, exc, str(log_traceback(settings, source.name, exc)))
        state.record(settings, source.name, started, RunResult(source.name, "failed", message=str(error)))
        raise error from None
    state.record(settings, source.name, started, result)
    return result


def log_traceback(settings: Settings, name: str, exc: BaseException) -> Path:
    """Write ``exc``'s traceback to ``warehouse/logs/<name>-<UTC time>.log``; returns the path."""
    folder = settings.warehouse_dir / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}-{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}.log"
    path.write_text("".join(traceback.format_exception(exc)))
    return path
