"""UN Comtrade: imports and exports of chips, computers and their parts per LatAm country and year.

Endpoint: UN Comtrade's keyless preview of final annual data,
``https://comtradeapi.un.org/public/v1/preview/C/A/HS`` (``C`` commodities,
``A`` annual, ``HS`` the Harmonized System as reported), with

* ``reporterCode``: the LatAm countries' M49 codes, comma-separated (for
  these countries the ISO 3166 numeric code);
* ``period``: **one year per call** (the preview takes a single period);
* ``cmdCode=8542,8471,847330``: integrated circuits; computers (automatic
  data-processing machines); parts and accessories of computers;
* ``flowCode=M,X`` (imports, exports), ``partnerCode=0`` (the World),
  ``partner2Code=0``, ``customsCode=C00`` and ``motCode=0``: the totals. Without
  those four the answer adds every breakdown by partner, customs procedure and
  transport mode beside the total, and a sum counts the same trade several times.

One request per year from :data:`FIRST_YEAR` to last year (seven in 2026),
politely spaced. Imports proxy the supply of servers and accelerators;
exports find the assembly hubs (Costa Rica's and Mexico's chip and computer
plants).

Format traps:

* the body is ``{"elapsedTime", "count", "data": [...], "error"}`` and errors
  come **in-band with status 200**: a non-empty ``error`` or a missing
  ``data`` fails the source naming the year;
* the preview returns at most **500 rows** and truncates silently: an answer
  of 500 rows fails the source rather than load a partial year (the LatAm
  totals are about 200 rows a year);
* ``primaryValue`` is US dollars, CIF for imports and FOB for exports;
  ``cifvalue``/``fobvalue`` are often null and kept as published;
* a country that has not yet reported a year has no row (no data, not zero);
  ``isReported`` is false where Comtrade estimated the figure;
* ``cmdCode`` mixes levels: 8542 and 8471 are 4-digit headings, 847330 a
  6-digit subheading of heading 8473; they do not overlap and are never summed
  into one "IT goods" figure here;
* ``reporterISO`` is ISO3 and ``reporterCode`` M49; rows of a reporter outside
  LatAm, of a partner other than the World, or of a year other than the one
  asked are dropped (offline, one sample answer is served for every year).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from ingestors.core.errors import RecordError
from ingestors.core.registry import FetchPlan, Record, Reject, Row, Source, Table
from ingestors.domain import numbers
from ingestors.domain.countries import by_iso3

NAME = "un_comtrade"
HOST = "comtradeapi.un.org"
PREVIEW_URL = f"https://{HOST}/public/v1/preview/C/A/HS"
HOMEPAGE = "https://comtradeplus.un.org/"
COMMODITIES = {
    "8542": "Electronic integrated circuits",
    "8471": "Automatic data-processing machines (computers, servers)",
    "847330": "Parts and accessories of automatic data-processing machines",
}
FIRST_YEAR = 2019
PREVIEW_CAP = 500
TABLE = "trade"
# ISO 3166-1 numeric codes of the LatAm countries and territories; UN Comtrade's M49 reporter codes for them.
M49 = {
    "AR": 32, "BO": 68, "BR": 76, "CL": 152, "CO": 170, "EC": 218, "GY": 328, "PY": 600, "PE": 604, "SR": 740,
    "UY": 858, "VE": 862, "GF": 254, "MX": 484, "BZ": 84, "CR": 188, "SV": 222, "GT": 320, "HN": 340, "NI": 558,
    "PA": 591, "CU": 192, "DO": 214, "HT": 332, "JM": 388, "PR": 630, "TT": 780, "BS": 44, "BB": 52, "AG": 28,
    "DM": 212, "GD": 308, "KN": 659, "LC": 662, "VC": 670, "AW": 533, "CW": 531, "SX": 534, "BQ": 535, "KY": 136,
    "TC": 796, "VG": 92, "VI": 850, "AI": 660, "MS": 500, "GP": 312, "MQ": 474, "MF": 663, "BL": 652,
}
FLOWS = {"M": "import", "X": "export"}


class Trade(Row):
    country_iso2: str  # the reporting LatAm country
    year: int  # refYear: the calendar year of the trade
    flow: str  # import (flowCode M) or export (flowCode X)
    cmd_code: str  # HS code: 8542, 8471 or 847330
    cmd_desc: str | None  # Comtrade's description of the code
    primary_value_usd: float  # primaryValue, US$: CIF for imports, FOB for exports
    cif_value_usd: float | None  # cifvalue as published (often null)
    fob_value_usd: float | None  # fobvalue as published (often null)
    net_weight_kg: float | None  # netWgt, kilograms; null or 0 where not reported
    is_reported: bool | None  # isReported: false where Comtrade estimated the figure
    classification_code: str | None  # the HS edition the country reported in (H5, H6, ...)


def year_file(year: int) -> str:
    return f"preview-{year}.json"


def years(today: datetime | None = None) -> range:
    """The years asked for: FIRST_YEAR to last year (the current year is never complete)."""
    return range(FIRST_YEAR, (today or datetime.now(UTC)).year)


def params(year: int) -> dict[str, str]:
    return {
        "reporterCode": ",".join(str(code) for code in sorted(M49.values())),
        "period": str(year),
        "partnerCode": "0",
        "partner2Code": "0",
        "cmdCode": ",".join(COMMODITIES),
        "flowCode": ",".join(FLOWS),
        "customsCode": "C00",
        "motCode": "0",
        "includeDesc": "true",
    }


def fetch(ctx) -> None:
    for year in years():
        ctx.get(year_file(year), PREVIEW_URL, params=params(year))


# --- parse ------------------------------------------------------------------------------------


def read_rows(snapshot, name: str) -> list:
    body = snapshot.read_json(name)
    if not isinstance(body, dict):
        raise snapshot.error("expected a JSON object with 'data'", file=name)
    error = body.get("error")
    if error:
        raise snapshot.error(f"the API answered with an error: {str(error)[:200]}", file=name)
    rows = body.get("data")
    if not isinstance(rows, list):
        raise snapshot.error("no 'data' array in the answer", file=name)
    if len(rows) >= PREVIEW_CAP:
        raise snapshot.error(f"{len(rows)} rows: the preview's cap of {PREVIEW_CAP}, so the year is truncated",
                             file=name)
    return rows


def _bool(value) -> bool | None:
    return value if isinstance(value, bool) else None


def trade(row: dict, asked: int) -> dict | None:
    """The kept fields of one row; None for a row out of scope (a partner other than the World, a breakdown,
    a year other than the one ``asked``)."""
    if not isinstance(row, dict):
        raise RecordError("not a JSON object")
    if str(row.get("partnerCode")) != "0" or str(row.get("partner2Code", 0)) != "0":
        return None
    if str(row.get("customsCode", "C00")) != "C00" or str(row.get("motCode", 0)) != "0":
        return None
    country = by_iso3().get(str(row.get("reporterISO") or ""))
    if country is None:
        return None
    flow = FLOWS.get(str(row.get("flowCode")))
    cmd = str(row.get("cmdCode") or "")
    if flow is None or cmd not in COMMODITIES:
        return None
    year = numbers.parse_int("refYear", row.get("refYear"), minimum=1990)
    if year != asked:
        return None
    value = numbers.parse_number("primaryValue", row.get("primaryValue"), minimum=0)
    if value is None:
        raise RecordError("primaryValue is missing")
    return {
        "country_iso2": country.iso2, "year": year, "flow": flow, "cmd_code": cmd,
        "cmd_desc": row.get("cmdDesc") or None, "primary_value_usd": value,
        "cif_value_usd": numbers.parse_number("cifvalue", row.get("cifvalue"), minimum=0),
        "fob_value_usd": numbers.parse_number("fobvalue", row.get("fobvalue"), minimum=0),
        "net_weight_kg": numbers.parse_number("netWgt", row.get("netWgt"), minimum=0),
        "is_reported": _bool(row.get("isReported")),
        "classification_code": row.get("classificationCode") or None,
    }


def parse(snapshot) -> Iterator[Record | Reject]:
    for name in sorted(snapshot.names()):
        asked = int(name.removeprefix("preview-").removesuffix(".json"))
        for i, row in enumerate(read_rows(snapshot, name)):
            try:
                data = trade(row, asked)
            except RecordError as exc:
                yield Reject(TABLE, f"{name}#{i}", str(exc), row)
                continue
            if data is not None:
                yield Record(TABLE, data, record_url=HOMEPAGE,
                             record_id=f"{data['country_iso2']}/{data['year']}/{data['flow']}/{data['cmd_code']}")


SOURCE = Source(
    name=NAME,
    family="capacity",
    title="UN Comtrade: chips, computers and parts",
    endpoint=("`comtradeapi.un.org/public/v1/preview/C/A/HS` (keyless preview, one year a call): HS 8542, 8471, "
              "847330 imports and exports of every LatAm reporter with the World"),
    description="Imports and exports of integrated circuits (HS 8542), computers (8471) and computer parts "
                "(847330) per LatAm country and year since 2019, in US dollars, from UN Comtrade's public preview.",
    homepage=HOMEPAGE,
    licence="UN Comtrade terms (free use with attribution to UN Comtrade)",
    cadence="monthly",
    tables=(
        Table(TABLE, Trade, ("country_iso2", "year", "flow", "cmd_code"),
              "One value per reporting LatAm country, year, flow and HS code, with the World as partner.",
              min_rows=1),
    ),
    fetch=fetch,
    parse=parse,
    plan=FetchPlan(
        # The keyless preview is meant for light use: one call every two seconds.
        rate_limits={HOST: 0.5},
        max_requests=15,  # one per year since FIRST_YEAR: seven in 2026, one more each year
        sample_routes={f"{HOST}/public/v1/preview/C/A/HS": "preview.json"},
    ),
)
