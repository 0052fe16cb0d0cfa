"""One contract every registered source is held to (after Airbyte's acceptance suite).

Parametrised over ``ingestors.sources.ALL``, so a new source is tested the moment it is
declared. A source's own test file keeps only what is special about its format.

* the offline run loads every table from the shipped samples and quarantines the sample's
  bad record (every sample carries one);
* an HTML error page with status 200, a truncated body and an empty body each fail the
  source with one line (a ``PayloadError`` naming the source and the snapshot) and leave its
  last good tables, load log and state as they were;
* a 200 then a 304 (the publisher's ETag sent back) is ``unchanged``;
* the requests one run sends stay within the source's plan (``FetchPlan.max_requests``).

Each source is run offline once per session (:class:`OfflineRun`); the tests that
change a warehouse work on a copy of that run's, so a source costs five runs, not ten.

Sources whose "publisher" is a folder (the curated registry, licensed exports) send no
request; the HTTP faults do not apply to them.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import httpx
import pytest

from ingestors.core import state
from ingestors.core.config import Settings
from ingestors.core.errors import FetchError, PayloadError
from ingestors.core.offline import SAMPLES_DIR, SampleTransport
from ingestors.core.pipeline import run_source
from ingestors.core.state import RunResult
from ingestors.sources import ALL

HTTP_SOURCES = [s for s in ALL if not s.plan.reads_local_files]
# A source whose payload is a local folder cannot carry a bad record in its sample (the curated registry
# is the real registry): its own tests cover refusals.
NO_BAD_SAMPLE = {"curated_registry", "huggingface"}
# The Hub sample's accounts are invented and no (real) registry organisation claims them, so offline the
# source loads its table empty (min_rows 0) and never reaches its bad record; tests/ingestors/test_huggingface.py
# reads the sample, bad record included, with a test registry.
EMPTY_OFFLINE = {"huggingface"}


def _ids(sources):
    return [s.name for s in sources]


class Faulty(httpx.BaseTransport):
    """The samples, with every 200 body replaced as ``kind`` says."""

    BODIES = {
        "html": lambda body: b"<!DOCTYPE html><html><head><title>Service unavailable</title></head></html>",
        "empty": lambda body: b"",
        "truncated": lambda body: body[: max(1, len(body) // 2)],
    }

    def __init__(self, inner: httpx.BaseTransport, kind: str):
        self.inner, self.mutate = inner, self.BODIES[kind]

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if response.status_code != 200:
            return response
        return httpx.Response(200, content=self.mutate(response.content), headers=response.headers)


class WithETags(httpx.BaseTransport):
    """The samples with an ETag each; a request that sends it back gets 304 Not Modified."""

    def __init__(self, inner: httpx.BaseTransport):
        self.inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if response.status_code != 200:
            return response
        etag = '"' + hashlib.sha256(response.content).hexdigest()[:16] + '"'
        if request.headers.get("if-none-match") == etag:
            return httpx.Response(304, headers={"etag": etag})
        return httpx.Response(200, content=response.content, headers={**response.headers, "etag": etag})


def _counts(settings, source) -> dict[str, int]:
    with duckdb.connect(str(settings.working_db), read_only=True) as con:
        return {t.name: con.execute(f"select count(*) from {source.schema}.{t.name}").fetchone()[0]
                for t in source.tables}


class Recording(httpx.BaseTransport):
    """The samples, noting which sample file each request was served."""

    def __init__(self, inner: SampleTransport):
        self.inner, self.served = inner, set()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        path = self.inner.sample_for(f"{request.url.host}{request.url.path}")
        if path is not None:
            self.served.add(path.name)
        return self.inner.handle_request(request)


@dataclass(frozen=True)
class OfflineRun:
    """One source's offline run, made once and shared by every contract test of that source.

    Served with ETags (so a second run can get its 304) and recorded (so the test of dead
    sample files needs no run of its own). Tests that change a warehouse copy ``warehouse``.
    """

    settings: Settings
    result: RunResult
    served: frozenset[str]

    def copy(self, dest: Path) -> Settings:
        shutil.copytree(self.settings.warehouse_dir, dest)
        return Settings(warehouse_dir=dest, contact=self.settings.contact)


_RUNS: dict[str, OfflineRun] = {}


def _sample_transport(source) -> SampleTransport:
    return SampleTransport(source.name, source.plan.sample_routes)


@pytest.fixture
def offline_run(source, tmp_path_factory):
    """The parametrised source's shared offline run (one per source per session)."""
    if source.name not in _RUNS:
        settings = Settings(warehouse_dir=tmp_path_factory.mktemp(source.name) / "warehouse",
                            contact="tests@example.org")
        transport = None
        recording = None
        if not source.plan.reads_local_files:
            recording = Recording(_sample_transport(source))
            transport = WithETags(recording)
        result = run_source(source, settings, offline=True, transport=transport)
        _RUNS[source.name] = OfflineRun(settings, result, frozenset(recording.served if recording else ()))
    return _RUNS[source.name]


@pytest.mark.parametrize("source", ALL, ids=_ids(ALL))
def test_the_offline_run_loads_every_table_and_quarantines_the_bad_record(source, offline_run):
    result = offline_run.result
    assert result.status == "loaded"
    counts = _counts(offline_run.settings, source)
    for table in source.tables:
        floor = table.min_rows if source.name in EMPTY_OFFLINE else max(table.min_rows, 1)
        assert counts[table.name] >= floor, f"{source.name}.{table.name} is empty"
    if source.name not in NO_BAD_SAMPLE:
        assert result.quarantined >= 1, f"the {source.name} sample should carry one bad record"
    assert result.requests <= source.plan.max_requests


@pytest.mark.parametrize("source", HTTP_SOURCES, ids=_ids(HTTP_SOURCES))
def test_every_sample_file_is_served_by_the_offline_fetch(source, offline_run):
    """Explicit routes and the default (the URL's last segment) reach every file: none is dead weight."""
    shipped = {p.name for p in (SAMPLES_DIR / source.name).iterdir() if p.name != "README.md"}
    assert shipped - offline_run.served == set()


@pytest.mark.parametrize("kind", ["html", "truncated", "empty"])
@pytest.mark.parametrize("source", HTTP_SOURCES, ids=_ids(HTTP_SOURCES))
def test_a_bad_body_fails_the_source_in_one_line_and_keeps_the_last_good_tables(
    source, kind, offline_run, tmp_path
):
    settings = offline_run.copy(tmp_path / "warehouse")
    before, good = _counts(settings, source), state.read(settings, source.name)["last_success"]
    faulty = Faulty(_sample_transport(source), kind)
    with pytest.raises((PayloadError, FetchError)) as caught:
        run_source(source, settings, offline=True, force=True, transport=faulty)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"{source.name}:"), message
    assert _counts(settings, source) == before
    after = state.read(settings, source.name)
    assert after["last_success"] == good and after["last_attempt"]["status"] == "failed"


@pytest.mark.parametrize("source", HTTP_SOURCES, ids=_ids(HTTP_SOURCES))
def test_a_304_after_a_200_is_unchanged(source, offline_run, tmp_path):
    settings = offline_run.copy(tmp_path / "warehouse")
    second = run_source(source, settings, offline=True, transport=WithETags(_sample_transport(source)))
    assert (offline_run.result.status, second.status) == ("loaded", "unchanged")
    assert second.snapshot_id == offline_run.result.snapshot_id


def test_a_fetch_past_its_request_plan_fails(settings):
    from dataclasses import replace

    source = next(s for s in HTTP_SOURCES if s.name == "world_bank")  # seven indicator requests
    tight = replace(source, plan=replace(source.plan, max_requests=3))
    with pytest.raises(FetchError, match="over the source's plan of 3 requests"):
        run_source(tight, settings, offline=True)
