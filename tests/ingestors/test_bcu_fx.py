"""BCU quotations (SOAP): the envelope sent, one request a year, errors behind a 200, the sentinel row."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from ingestors.core.errors import PayloadError
from ingestors.core.offline import SAMPLES_DIR
from ingestors.core.pipeline import fetch_snapshot
from ingestors.core.registry import Record, Reject
from ingestors.sources import bcu_fx
from tests.ingestors.helpers import parse_files, snapshot_from_files

SAMPLE = SAMPLES_DIR / "bcu_fx" / "awsbcucotizaciones.xml"

ERROR = """<?xml version="1.0" encoding="utf-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><SOAP-ENV:Body>
<wsbcucotizaciones.ExecuteResponse xmlns="Cotiza"><Salida xmlns="Cotiza">
<respuestastatus><status>0</status><codigoerror>{code}</codigoerror><mensaje>{text}</mensaje></respuestastatus>
<datoscotizaciones><datoscotizaciones.dato xmlns="Cotiza"><Fecha xsi:nil="true"/><Moneda>0</Moneda><Nombre/>
<CodigoISO/><Emisor/><TCC>0.000000</TCC><TCV>0.000000</TCV><ArbAct>0.000000</ArbAct><FormaArbitrar>0</FormaArbitrar>
</datoscotizaciones.dato></datoscotizaciones></Salida></wsbcucotizaciones.ExecuteResponse></SOAP-ENV:Body>
</SOAP-ENV:Envelope>"""


def test_the_sample_reads_each_year_from_its_own_file(tmp_path):
    files = {bcu_fx.file_name(y): SAMPLE for y in (2023, 2024, 2025)}
    result = parse_files(tmp_path, bcu_fx.SOURCE, files)
    rates = {r["rate_date"]: r["units_per_usd"] for r in result.rows["rates"]}
    assert rates == {date(2024, 1, 2): 39.0231, date(2024, 1, 3): 39.1045, date(2025, 9, 15): 40.0512,
                     date(2025, 9, 16): 40.0087, date(2025, 12, 31): 39.412}
    assert {r["currency"] for r in result.rows["rates"]} == {"UYU"}
    assert result.rows["rates"][0]["series"] == "2225 (DLS. USA BILLETE)"
    # the unreadable 2025-12-30 rate is quarantined once, from the 2025 file only
    assert [q["record_id"] for q in result.quarantine] == ["2225-2025.xml#5"]


def test_an_empty_period_is_no_rows_and_the_sentinel_is_never_a_row(tmp_path):
    body = ERROR.format(code=100, text="No existe cotización para la fecha indicada").encode()
    items = list(bcu_fx.parse(snapshot_from_files(tmp_path, "bcu_fx", {bcu_fx.file_name(2026): body})))
    assert [i for i in items if isinstance(i, Record | Reject)] == []


@pytest.mark.parametrize(("code", "text"), [(103, "Fecha Hasta es menor que Fecha Desde"),
                                            (102, "Campo de fecha inválida")])
def test_another_error_behind_a_200_fails_the_source_naming_it(tmp_path, code, text):
    body = ERROR.format(code=code, text=text).encode()
    with pytest.raises(PayloadError, match=f"codigoerror {code}: {text}"):
        list(bcu_fx.parse(snapshot_from_files(tmp_path, "bcu_fx", {bcu_fx.file_name(2024): body})))


def test_an_empty_envelope_fails_naming_the_file(tmp_path):
    body = (b'<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/">'
            b"<SOAP-ENV:Body/></SOAP-ENV:Envelope>")
    with pytest.raises(PayloadError, match="2225-2024.xml: no Salida"):
        list(bcu_fx.parse(snapshot_from_files(tmp_path, "bcu_fx", {bcu_fx.file_name(2024): body})))


def test_the_request_is_the_documented_soap_envelope_one_year_at_a_time(settings):
    seen = []

    def handler(request):
        seen.append(request)
        return httpx.Response(200, content=SAMPLE.read_bytes(), headers={"content-type": "text/xml"})

    snapshot, requests = fetch_snapshot(bcu_fx.SOURCE, settings, offline=False,
                                        transport=httpx.MockTransport(handler))
    first = seen[0]
    assert first.method == "POST" and str(first.url) == bcu_fx.URL
    assert first.headers["SOAPAction"] == "Cotizaaction/AWSBCUCOTIZACIONES.Execute"
    body = first.content.decode()
    assert "<cot:wsbcucotizaciones.Execute><cot:Entrada>" in body and 'xmlns:cot="Cotiza"' in body
    assert "<cot:Moneda><cot:item>2225</cot:item></cot:Moneda>" in body
    assert "<cot:FechaDesde>2015-01-01</cot:FechaDesde><cot:FechaHasta>2015-12-31</cot:FechaHasta>" in body
    assert requests == len(seen) == date.today().year - 2015 + 1
    assert snapshot.file(bcu_fx.file_name(2015)).query == {"Moneda": 2225, "FechaDesde": "2015-01-01",
                                                          "FechaHasta": "2015-12-31", "Grupo": 0}
