"""BCRP interbank rate: Spanish period names, n.d. days, more digits than declared, a bad day quarantined."""

from __future__ import annotations

import json
from datetime import date

import pytest

from ingestors.core.errors import PayloadError, RecordError
from ingestors.core.offline import SAMPLES_DIR
from ingestors.core.registry import Record, Reject
from ingestors.sources import bcrp_fx
from tests.ingestors.helpers import parse_files, snapshot_from_files

SAMPLE = SAMPLES_DIR / "bcrp_fx" / bcrp_fx.FILE


def _items(tmp_path, source, files, urls):
    """The parser's own output (no row minimum): (records' data, rejects' reasons)."""
    items = list(source.parse(snapshot_from_files(tmp_path, source.name, files, urls)))
    return [i.data for i in items if isinstance(i, Record)], [i.reason for i in items if isinstance(i, Reject)]


def _parse(tmp_path, content):
    urls = {bcrp_fx.FILE: bcrp_fx.url(date(2025, 12, 31))}
    return parse_files(tmp_path, bcrp_fx.SOURCE, {bcrp_fx.FILE: content}, urls)


def test_the_sample_reads_as_soles_per_dollar(tmp_path):
    result = _parse(tmp_path, SAMPLE)
    rates = {r["rate_date"]: r["units_per_usd"] for r in result.rows["rates"]}
    assert rates == {date(2024, 1, 2): 3.7104, date(2024, 1, 3): 3.702, date(2025, 9, 15): 3.5012,
                     date(2025, 9, 17): 3.4987, date(2025, 12, 31): 3.36}
    assert {r["currency"] for r in result.rows["rates"]} == {"PEN"}
    assert result.rows["rates"][0]["series"].startswith("PD04638PD (Tipo de cambio")
    # 16.Set.25 is n.d. (no row, not a zero); 32.Dic.25 is not a day (quarantined)
    assert [q["reason"] for q in result.quarantine] == ["period name is not DD.Mmm.YY: '32.Dic.25'"]


@pytest.mark.parametrize(("name", "day"), [
    ("02.Ene.24", date(2024, 1, 2)), ("30.Set.26", date(2026, 9, 30)), ("02.Jan.24", date(2024, 1, 2)),
    ("31.Dic.20", date(2020, 12, 31)), ("02.Ene.97", date(1997, 1, 2)), ("04.Ago.15", date(2015, 8, 4)),
])
def test_period_names(name, day):
    assert bcrp_fx.parse_period(name) == day


def test_a_period_name_in_another_shape_is_refused():
    with pytest.raises(RecordError):
        bcrp_fx.parse_period("2024-01-02")


def test_long_averages_are_kept_as_sent(tmp_path):
    body = {"config": {"series": [{"name": "x", "dec": "3"}]},
            "periods": [{"name": "25.Set.26", "values": ["3.41642857142857"]}]}
    rows, _ = _items(tmp_path, bcrp_fx.SOURCE, {bcrp_fx.FILE: json.dumps(body).encode()}, {})
    assert rows[0]["units_per_usd"] == pytest.approx(3.41642857142857)


def test_an_html_page_fails_the_source_naming_the_file(tmp_path):
    with pytest.raises(PayloadError, match=bcrp_fx.FILE):
        _parse(tmp_path, b"<html><body>Serie no encontrada</body></html>")


def test_the_request_asks_spanish_from_2015():
    assert bcrp_fx.url(date(2026, 1, 5)).endswith("/PD04638PD/json/2015-01-01/2026-01-05/esp")
