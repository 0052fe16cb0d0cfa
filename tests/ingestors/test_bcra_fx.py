"""BCRA dollar quotes: pesos per dollar, empty days, zero quotes quarantined, paging by the declared count."""

from __future__ import annotations

import json
from datetime import date

import pytest

from ingestors.core.errors import PayloadError
from ingestors.core.offline import SAMPLES_DIR
from ingestors.core.registry import Record, Reject
from ingestors.sources import bcra_fx
from tests.ingestors.helpers import parse_files, snapshot_from_files

FILE = bcra_fx._file(1)
SAMPLE = SAMPLES_DIR / "bcra_fx" / FILE


def _items(tmp_path, source, files, urls):
    """The parser's own output (no row minimum): (records' data, rejects' reasons)."""
    items = list(source.parse(snapshot_from_files(tmp_path, source.name, files, urls)))
    return [i.data for i in items if isinstance(i, Record)], [i.reason for i in items if isinstance(i, Reject)]


def _parse(tmp_path, files):
    return parse_files(tmp_path, bcra_fx.SOURCE, files, {name: f"{bcra_fx.BASE}/USD" for name in files})


def _page(results, count=None):
    return json.dumps({"status": 200, "metadata": {"resultset": {"count": count or len(results), "offset": 0,
                                                                  "limit": 500}}, "results": results}).encode()


def test_the_sample_reads_as_pesos_per_dollar(tmp_path):
    result = _parse(tmp_path, {FILE: SAMPLE})
    rates = {r["rate_date"]: r["units_per_usd"] for r in result.rows["rates"]}
    assert rates == {date(2023, 8, 16): 365.5, date(2023, 8, 15): 365.0, date(2023, 8, 11): 298.25,
                     date(2023, 3, 1): 198.75}
    assert {r["currency"] for r in result.rows["rates"]} == {"ARS"}
    assert result.rows["rates"][0]["series"] == "USD (DOLAR E.E.U.U.)"
    # 2023-08-10 has an empty detalle (no row); 2023-08-14 quotes 0, "not applicable" (quarantined)
    assert len(result.quarantine) == 1 and "tipoCotizacion" in result.quarantine[0]["reason"]


def test_two_pages_are_one_history(tmp_path):
    first = _page([{"fecha": "2024-06-12", "detalle": [{"codigoMoneda": "USD", "descripcion": "D",
                                                       "tipoPase": 0, "tipoCotizacion": 901.5}]}], count=2)
    second = _page([{"fecha": "2024-06-11", "detalle": [{"codigoMoneda": "USD", "descripcion": "D",
                                                        "tipoPase": 0, "tipoCotizacion": 900.25}]}], count=2)
    rows, _ = _items(tmp_path, bcra_fx.SOURCE, {bcra_fx._file(1): first, bcra_fx._file(2): second}, {})
    assert sorted(r["units_per_usd"] for r in rows) == [900.25, 901.5]


def test_another_currency_in_the_answer_is_quarantined(tmp_path):
    body = _page([{"fecha": "2024-06-12", "detalle": [{"codigoMoneda": "EUR", "tipoCotizacion": 980.0}]}])
    rows, reasons = _items(tmp_path, bcra_fx.SOURCE, {FILE: body}, {})
    assert not rows and "codigoMoneda 'EUR'" in reasons[0]


def test_an_error_answer_fails_the_source_with_its_messages(tmp_path):
    body = json.dumps({"status": 400, "errorMessages": ["La fecha hasta no puede ser mayor a hoy."]}).encode()
    with pytest.raises(PayloadError, match="no puede ser mayor"):
        _parse(tmp_path, {FILE: body})


def test_the_one_day_shape_is_refused(tmp_path):
    body = json.dumps({"status": 200, "results": {"fecha": "2024-06-12", "detalle": []}}).encode()
    with pytest.raises(PayloadError, match="not a list"):
        _parse(tmp_path, {FILE: body})


def test_fetch_pages_until_the_declared_count_and_ends_today_in_buenos_aires():
    calls = []

    class Ctx:
        def get(self, name, url, params=None, **_):
            calls.append((name, params))
            return _page([], count=1200)

    bcra_fx.fetch(Ctx())
    assert [name for name, _ in calls] == ["USD.page-1.json", "USD.page-2.json", "USD.page-3.json"]
    assert [params["offset"] for _, params in calls] == [0, 500, 1000]
    assert calls[0][1]["fechadesde"] == "2015-01-01"
    assert calls[0][1]["fechahasta"] == bcra_fx._buenos_aires_today().isoformat()
