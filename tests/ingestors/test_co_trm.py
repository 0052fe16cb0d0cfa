"""Colombia's TRM: validity intervals kept whole, Socrata strings, a bad value quarantined."""

from __future__ import annotations

import json
from datetime import date

import pytest

from ingestors.core.errors import PayloadError
from ingestors.core.offline import SAMPLES_DIR
from ingestors.core.registry import Record, Reject
from ingestors.sources import co_trm
from tests.ingestors.helpers import parse_files, snapshot_from_files

SAMPLE = SAMPLES_DIR / "co_trm" / co_trm.FILE


def _items(tmp_path, source, files, urls):
    """The parser's own output (no row minimum): (records' data, rejects' reasons)."""
    items = list(source.parse(snapshot_from_files(tmp_path, source.name, files, urls)))
    return [i.data for i in items if isinstance(i, Record)], [i.reason for i in items if isinstance(i, Reject)]


def _parse(tmp_path, content):
    return parse_files(tmp_path, co_trm.SOURCE, {co_trm.FILE: content}, {co_trm.FILE: co_trm.URL})


def test_the_sample_reads_as_pesos_per_dollar_with_intervals(tmp_path):
    result = _parse(tmp_path, SAMPLE)
    rows = {r["rate_date"]: (r["valid_to"], r["units_per_usd"]) for r in result.rows["rates"]}
    assert rows == {
        date(2024, 3, 15): (date(2024, 3, 15), 3912.5),
        date(2024, 3, 16): (date(2024, 3, 19), 3925.0),  # Saturday to Tuesday after a Monday holiday
        date(2024, 3, 20): (date(2024, 3, 20), 3930.1),
        date(2025, 6, 10): (date(2025, 6, 10), 4105.75),
    }
    assert len(result.quarantine) == 1 and result.quarantine[0]["reason"].startswith("valor")


@pytest.mark.parametrize(("item", "reason"), [
    ({"valor": "4000", "unidad": "USD", "vigenciadesde": "2024-01-02T00:00:00.000",
      "vigenciahasta": "2024-01-02T00:00:00.000"}, "not COP"),
    ({"valor": "4000", "unidad": "COP", "vigenciadesde": "2024-01-05T00:00:00.000",
      "vigenciahasta": "2024-01-02T00:00:00.000"}, "before vigenciadesde"),
    ({"valor": "4000", "unidad": "COP", "vigenciahasta": "2024-01-02T00:00:00.000"}, "vigenciadesde is empty"),
])
def test_bad_rows_are_quarantined_one_by_one(tmp_path, item, reason):
    rows, reasons = _items(tmp_path, co_trm.SOURCE, {co_trm.FILE: json.dumps([item]).encode()}, {})
    assert not rows and reason in reasons[0]


def test_an_error_object_fails_the_source(tmp_path):
    body = json.dumps({"error": True, "message": "query.soql.no-such-column"}).encode()
    with pytest.raises(PayloadError, match="no-such-column"):
        _parse(tmp_path, body)


def test_the_request_asks_for_every_row_since_2015_in_one_page():
    calls = []

    class Ctx:
        def get(self, name, url, params=None, **_):
            calls.append((name, url, params))
            return b"[]"

    co_trm.fetch(Ctx())
    [(name, url, params)] = calls
    assert name == co_trm.FILE and url == co_trm.URL
    assert params["$where"] == "vigenciadesde >= '2015-01-01T00:00:00'" and params["$limit"] == 50000
