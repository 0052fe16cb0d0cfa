"""Banco Central del Uruguay's quotations web service: the Uruguayan peso's official daily dollar rate.

Endpoint: a SOAP 1.1 service, ``POST https://cotizaciones.bcu.gub.uy/wscotizaciones/servlet/awsbcucotizaciones``
(WSDL at ``...?wsdl``), ``SOAPAction: Cotizaaction/AWSBCUCOTIZACIONES.Execute``, open, no key. The request
asks for currency codes, a date range and a group::

    <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cot="Cotiza">
      <soapenv:Body><cot:wsbcucotizaciones.Execute><cot:Entrada>
        <cot:Moneda><cot:item>2225</cot:item></cot:Moneda>
        <cot:FechaDesde>2024-01-01</cot:FechaDesde><cot:FechaHasta>2024-12-31</cot:FechaHasta>
        <cot:Grupo>0</cot:Grupo>
      </cot:Entrada></cot:wsbcucotizaciones.Execute></soapenv:Body></soapenv:Envelope>

and the answer (namespace ``Cotiza``) holds one ``datoscotizaciones.dato`` per day with a quotation::

    <wsbcucotizaciones.ExecuteResponse xmlns="Cotiza"><Salida xmlns="Cotiza">
      <respuestastatus><status>1</status><codigoerror>0</codigoerror><mensaje/></respuestastatus>
      <datoscotizaciones><datoscotizaciones.dato xmlns="Cotiza">
        <Fecha>2024-01-02</Fecha><Moneda>2225</Moneda><Nombre>DLS. USA BILLETE</Nombre><CodigoISO>DLS.</CodigoISO>
        <Emisor>ESTADOS UNIDOS</Emisor><TCC>39.023000</TCC><TCV>39.023000</TCV><ArbAct>1.000000</ArbAct>
        <FormaArbitrar>0</FormaArbitrar></datoscotizaciones.dato> ...

Currency 2225, ``DLS. USA BILLETE``, is the interbank dollar (buy ``TCC`` and sell ``TCV`` are the same
figure); the row keeps ``TCV``, pesos per US dollar.

Format traps:

* errors come back with **HTTP 200**: ``status`` 0 with a ``codigoerror`` and ``mensaje`` (100 "No existe
  cotización para la fecha indicada" for a range without a business day, 102 an invalid date, 103 a
  reversed range) and one sentinel ``dato`` whose ``Fecha`` is ``xsi:nil`` and whose rates are zeros. Code
  100 is an empty period (no rows); any other code fails the source naming it; the sentinel is never a row;
* weekends and holidays are simply absent from the list;
* ``CodigoISO`` is the BCU's own abbreviation (``DLS.``), not ISO 4217: the currency is read from ``Moneda``;
* the service is asked one calendar year per request (the publishers' own clients do the same); offline,
  the one sample answers every year's request and each file keeps the rows of its own year;
* a request the service cannot read comes back as an empty envelope, also with a 200: no ``Salida`` fails
  the source naming the file. A ``<!DOCTYPE`` (an HTML error page) is refused before parsing.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, date, datetime

from ingestors.core.errors import RecordError
from ingestors.core.registry import FetchPlan, Record, Reject, Row, Source, Table
from ingestors.domain import numbers

NAME = "bcu_fx"
HOST = "cotizaciones.bcu.gub.uy"
URL = f"https://{HOST}/wscotizaciones/servlet/awsbcucotizaciones"
SOAP_ACTION = "Cotizaaction/AWSBCUCOTIZACIONES.Execute"
MONEDA = 2225  # DLS. USA BILLETE: the interbank dollar
FIRST_YEAR = 2015
TABLE = "rates"
NS = "{Cotiza}"
EMPTY_PERIOD = "100"  # No existe cotización para la fecha indicada


class Rate(Row):
    rate_date: date
    currency: str  # ISO 4217 code of the currency whose rate this is (UYU)
    units_per_usd: float  # Uruguayan pesos per US dollar (TCV of DLS. USA BILLETE)
    series: str  # the BCU currency code and name


def file_name(year: int) -> str:
    return f"{MONEDA}-{year}.xml"


def envelope(first: date, last: date) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cot="Cotiza">'
        "<soapenv:Body><cot:wsbcucotizaciones.Execute><cot:Entrada>"
        f"<cot:Moneda><cot:item>{MONEDA}</cot:item></cot:Moneda>"
        f"<cot:FechaDesde>{first.isoformat()}</cot:FechaDesde><cot:FechaHasta>{last.isoformat()}</cot:FechaHasta>"
        "<cot:Grupo>0</cot:Grupo>"
        "</cot:Entrada></cot:wsbcucotizaciones.Execute></soapenv:Body></soapenv:Envelope>"
    ).encode()


def fetch(ctx) -> None:
    today = datetime.now(UTC).date()
    headers = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": SOAP_ACTION}
    for year in range(FIRST_YEAR, today.year + 1):
        first, last = date(year, 1, 1), min(date(year, 12, 31), today)
        ctx.post(file_name(year), URL, content=envelope(first, last), headers=headers,
                 describe={"Moneda": MONEDA, "FechaDesde": first.isoformat(), "FechaHasta": last.isoformat(),
                           "Grupo": 0})


def _text(element: ET.Element, tag: str) -> str:
    child = element.find(NS + tag)
    return (child.text or "").strip() if child is not None else ""


def _salida(snapshot, name: str) -> ET.Element:
    data = snapshot.read_bytes(name)
    if b"<!DOCTYPE" in data[:500].upper() or b"<!ENTITY" in data:
        raise snapshot.error("an HTML page or a DTD, not the SOAP answer", file=name)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise snapshot.error(f"not XML ({exc})", file=name) from None
    salida = next(root.iter(NS + "Salida"), None)
    if salida is None:
        raise snapshot.error("no Salida in the SOAP answer (an empty envelope: a request it could not read)",
                             file=name)
    return salida


def parse(snapshot) -> Iterator[Record | Reject]:
    for file in snapshot.files:
        year = int(file.name.split("-")[1].split(".")[0])
        salida = _salida(snapshot, file.name)
        status = salida.find(f"{NS}respuestastatus")
        code = _text(status, "codigoerror") if status is not None else ""
        if status is None or _text(status, "status") != "1":
            if code == EMPTY_PERIOD:
                continue
            raise snapshot.error(f"status {_text(status, 'status') if status is not None else 'missing'}, "
                                 f"codigoerror {code or '?'}: {_text(status, 'mensaje') if status is not None else ''}",
                                 file=file.name)
        link = snapshot.url_of(file.name)
        for i, dato in enumerate(salida.iter(NS + "datoscotizaciones.dato")):
            raw = {child.tag.removeprefix(NS): (child.text or "").strip() for child in dato}
            try:
                day = raw.get("Fecha", "")[:10]
                rate_date = date.fromisoformat(day) if day else None
                if rate_date is None:
                    raise RecordError("Fecha is empty")
                if rate_date.year != year:
                    continue  # offline, the one sample answers every year: keep this file's year
                if raw.get("Moneda") != str(MONEDA):
                    raise RecordError(f"Moneda {raw.get('Moneda')!r} is not {MONEDA}")
                units = numbers.parse_number("TCV", raw.get("TCV"), positive=True)
                if units is None:
                    raise RecordError("TCV is empty")
            except (RecordError, ValueError) as exc:
                yield Reject(TABLE, f"{file.name}#{i}", str(exc), raw)
                continue
            yield Record(TABLE, {"rate_date": rate_date, "currency": "UYU", "units_per_usd": units,
                                 "series": f"{MONEDA} ({raw.get('Nombre') or 'no name'})"},
                         record_id=f"{rate_date.isoformat()}/UYU", record_url=link)


SOURCE = Source(
    name=NAME,
    family="funding",
    title="BCU exchange rate (Uruguay)",
    endpoint=f"BCU quotations SOAP service `awsbcucotizaciones`, currency {MONEDA} (DLS. USA BILLETE) since "
             f"{FIRST_YEAR}, one request per year",
    description="The Banco Central del Uruguay's daily interbank dollar rate, Uruguayan pesos per US dollar: the "
                "official rate that converts peso amounts to USD on the round's date.",
    homepage=f"{URL}?wsdl",
    licence="Banco Central del Uruguay public web service (no licence stated; the source named)",
    cadence="daily",
    tables=(
        Table(TABLE, Rate, ("rate_date", "currency"),
              "One row per day with a published rate: Uruguayan pesos per US dollar (interbank, DLS. USA BILLETE).",
              min_rows=3),
    ),
    fetch=fetch,
    parse=parse,
    plan=FetchPlan(
        rate_limits={HOST: 1.0},
        max_requests=20,
        sample_routes={f"{HOST}/wscotizaciones/servlet/awsbcucotizaciones": "awsbcucotizaciones.xml"},
    ),
)
