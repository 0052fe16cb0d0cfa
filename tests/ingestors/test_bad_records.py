"""A corpus of bad records over every source and format: none is stored as data (issue 11, defect 10).

The corpus is generated: every source's offline sample is fetched and parsed
as a run would (JSON, CSV, TSV in ZIP, XLSX, XML/RSS, HTML, YAML), one good
record per table is taken, and each field is spoiled in the ways the issue
lists (NaN, infinity, latitude 999, negative counts, prices and amounts, a
date in 2099, country ``ZZ``, currency ``XYZ``, a 200,000-character name,
lax coercions such as ``"12"`` for an int or ``1`` for a bool). Every spoiled
record must land in quarantine with a reason naming the field; control
characters must be stripped from what is kept.
"""

from __future__ import annotations

import dataclasses
import math
import typing
from datetime import date, datetime
from functools import cache

import pytest

from ingestors.core.checks import _base
from ingestors.core.config import Settings
from ingestors.core.errors import CadenaError
from ingestors.core.pipeline import fetch_snapshot, parse_snapshot
from ingestors.core.registry import Record, Table
from ingestors.sources import ALL

NAMEISH = ("name", "title", "label")


def spoilers(name: str, annotation) -> list[tuple[str, object]]:
    """(what, bad value) pairs for a field, by its type and name."""
    base = _base(annotation)
    bad: list[tuple[str, object]] = []
    if base is float:
        bad += [("NaN", math.nan), ("Infinity", math.inf), ("a numeric string", "1.5")]
        if name in ("latitude", "longitude"):
            bad.append(("off the globe", 999.0))
        if name.endswith(("_mw", "price", "_count")) or name.startswith(("amount", "usd_per_")) or name == "mw":
            bad.append(("negative", -5.0))
        if name.startswith("amount"):
            bad.append(("1e20 USD", 1e20))
        if name == "confidence":
            bad.append(("over 1", 1.5))
    elif base is int:
        bad += [("a numeric string", "12"), ("a bool", True), ("a float", 1.5)]
        if name.endswith("_count") or name in ("downloads", "likes", "vcpu", "total_cores"):
            bad.append(("negative", -3))
        if name in ("year", "founded") or name.endswith("_year"):
            bad.append(("year 99999", 99_999))
    elif base is bool:
        bad += [("the string 'true'", "true"), ("the int 1", 1)]
    elif base is date:
        bad += [("2099", date(2099, 1, 1)), ("2024-02-30", "2024-02-30")]
    elif base is datetime:
        bad += [("2099", "2099-06-01T00:00:00+00:00")]
    elif base is str:
        if "country_iso2" in name:
            bad += [("country ZZ", "ZZ"), ("country XX", "XX"), ("lower case", "br")]
        elif name in ("currency", "currency_code"):
            bad += [("currency XYZ", "XYZ")]
        elif name == "name" or name.endswith(NAMEISH):
            bad += [("200,000 characters", "A" * 200_000)]
        else:
            bad += [("500,000 characters", "x" * 500_000)]
    elif typing.get_origin(base) is list and "country_iso2" in name:
        bad += [("a list with ZZ", ["BR", "ZZ"])]
    return bad


@cache
def good_records(settings_root: str) -> dict[str, tuple]:
    """source -> (source, snapshot, {table: first good Record}) from its offline sample."""
    from pathlib import Path

    settings = Settings(warehouse_dir=Path(settings_root), contact="tests@example.org")
    out = {}
    for source in ALL:
        try:
            snapshot, _ = fetch_snapshot(source, settings, offline=True)
        except CadenaError:
            continue
        firsts: dict[str, Record] = {}
        for item in source.parse(snapshot):
            if isinstance(item, Record) and item.table not in firsts:
                try:
                    source.table(item.table).model.model_validate(dict(item.data))
                except ValueError:
                    continue
                firsts[item.table] = item
        out[source.name] = (source, snapshot, firsts)
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad_records") / "warehouse"
    records = good_records(str(root))
    cases = []
    for source, snapshot, firsts in records.values():
        for table_name, record in firsts.items():
            table = source.table(table_name)
            for field, info in table.model.model_fields.items():
                for what, value in spoilers(field, info.annotation):
                    cases.append((source, snapshot, table, record, field, what, value))
    return records, cases


def test_the_corpus_covers_every_format_with_at_least_150_bad_records(corpus):
    records, cases = corpus
    assert len(cases) >= 150
    sources_with_cases = {c[0].name for c in cases}
    assert len(sources_with_cases) >= 18, sorted(set(records) - sources_with_cases)


def test_no_bad_record_is_stored_as_data(corpus):
    _, cases = corpus
    stored = []
    for source, snapshot, table, record, field, what, value in cases:
        bad = Record(table.name, {**record.data, field: value}, record_id=f"bad/{field}/{what}")
        lenient = dataclasses.replace(source, tables=tuple(dataclasses.replace(t, min_rows=0) for t in source.tables),
                                      parse=lambda _snapshot, bad=bad: [bad])
        result = parse_snapshot(lenient, snapshot)
        if result.rows.get(table.name):
            stored.append(f"{source.name}.{table.name}.{field} = {what}")
        else:
            (q,) = result.quarantine
            assert q["reason"] and q["record_id"] == bad.record_id
    assert stored == []


def test_control_characters_are_stripped_from_kept_text(corpus):
    records, _ = corpus
    checked = 0
    for source, snapshot, firsts in records.values():
        for table_name, record in firsts.items():
            table: Table = source.table(table_name)
            text_fields = [f for f, i in table.model.model_fields.items()
                           if _base(i.annotation) is str and isinstance(record.data.get(f), str)
                           and "country" not in f and "currency" not in f and f not in table.key]
            if not text_fields:
                continue
            field = text_fields[0]
            dirty = Record(table.name, {**record.data, field: "A\x00B\x1bC\r\nD\u2028E"}, record_id="dirty")
            lenient = dataclasses.replace(source, parse=lambda _s, dirty=dirty: [dirty],
                                          tables=tuple(dataclasses.replace(t, min_rows=0) for t in source.tables))
            rows = parse_snapshot(lenient, snapshot).rows.get(table.name)
            if rows:
                assert rows[0][field] == "ABC\nDE", (source.name, field)
                checked += 1
    assert checked >= 10
