"""The shrink guard: a load that would lose much of a table, or a whole partition, fails (issue 11, defect 3)."""

from __future__ import annotations

import json

import duckdb
import httpx
import pytest

from ingestors.core.errors import PayloadError
from ingestors.core.pipeline import run_source
from ingestors.core.registry import FetchPlan, Record, Row, Source, Table


class Thing(Row):
    id: int
    feed: str


def _parse(snapshot):
    for item in snapshot.read_json("things.json"):
        yield Record("things", item, record_id=str(item["id"]))


SOURCE = Source(
    name="demo", family="capacity", title="Demo", description="d", homepage="https://a.example",
    licence="test", cadence="daily", endpoint="https://a.example/things.json",
    tables=(Table("things", Thing, ("id",), "d", partition_by="feed"),),
    fetch=lambda ctx: ctx.get("things.json", "https://a.example/things.json"), parse=_parse,
    plan=FetchPlan(rate_limits={"a.example": 100.0}),
)


def _run(settings, items, **kw):
    transport = httpx.MockTransport(lambda r: httpx.Response(200, content=json.dumps(items).encode()))
    return run_source(SOURCE, settings, transport=transport, **kw)


def _rows(settings) -> int:
    with duckdb.connect(str(settings.working_db), read_only=True) as con:
        return con.execute("select count(*) from raw_demo.things").fetchone()[0]


def items(n: int, feeds=("a", "b")) -> list[dict]:
    return [{"id": i, "feed": feeds[i % len(feeds)]} for i in range(n)]


def test_a_load_losing_more_than_half_the_rows_fails_and_keeps_the_old_table(settings):
    _run(settings, items(10))
    with pytest.raises(PayloadError) as err:
        _run(settings, items(4))
    assert "table things would shrink from 10 to 4 rows (-60%, the guard allows 50%)" in str(err.value)
    assert "--accept-shrink demo" in str(err.value) and "\n" not in str(err.value)
    assert _rows(settings) == 10


def test_a_whole_partition_gone_fails_even_when_the_table_grows(settings):
    _run(settings, items(10))
    with pytest.raises(PayloadError, match="would lose every row of feed b"):
        _run(settings, items(12, feeds=("a",)))
    assert _rows(settings) == 10


def test_an_accepted_shrink_loads(settings, monkeypatch):
    _run(settings, items(10))
    monkeypatch.setenv("CADENA_ACCEPT_SHRINK", "other,demo")
    assert _run(settings, items(3, feeds=("a",))).status == "loaded"
    assert _rows(settings) == 3
    monkeypatch.delenv("CADENA_ACCEPT_SHRINK")
    assert _run(settings, items(3, feeds=("a",)), force=True).status == "loaded"  # the new baseline


def test_a_renamed_world_bank_field_fails_instead_of_dropping_an_indicator(tmp_path):
    from ingestors.core.pipeline import parse_snapshot
    from ingestors.sources import world_bank
    from tests.ingestors.helpers import snapshot_from_files

    body = [{"page": 1, "pages": 1}, [{"indicator": {"id": "SP.POP.TOTL", "value": "Population, total"},
                                       "country": {"id": "BR", "value": "Brazil"}, "countryiso3code": "BRA",
                                       "date": "2023", "obs_value": 216422446, "unit": "", "decimal": 0}]]
    snapshot = snapshot_from_files(tmp_path, "world_bank", {"SP.POP.TOTL.page-1.json": json.dumps(body).encode()})
    with pytest.raises(PayloadError, match="has no 'value' or 'date' field \\(renamed\\?\\)"):
        parse_snapshot(world_bank.SOURCE, snapshot)
