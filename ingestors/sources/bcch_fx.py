"""Banco Central de Chile's BDE (SIETE) REST API: the peso's official daily dollar rate, the *dólar observado*.

Endpoint: ``https://si3.bcentral.cl/SieteRestWS/SieteRestWS.ashx`` with the query
``user``, ``pass``, ``function=GetSeries``, ``timeseries``, ``firstdate`` and
``lastdate`` (``YYYY-MM-DD``), as the bank's "API BDE" page documents
(https://si3.bcentral.cl/Siete/es/Siete/API; a free registration gives the user
and password). ``F073.TCO.PRE.Z.D`` is "Tipo de cambio nominal (dólar observado
$CLP/USD)", pesos per US dollar, daily. The answer::

    {"Codigo": 0, "Descripcion": "Success",
     "Series": {"descripEsp": "Tipo de cambio nominal (dólar observado $CLP/USD)", "descripIng": "...",
                "seriesId": "F073.TCO.PRE.Z.D",
                "Obs": [{"indexDateString": "02-01-2024", "value": "877.12", "statusCode": "OK"}, ...]},
     "SeriesInfos": []}

Format traps:

* the credentials travel **in the query string**: they are passed as
  ``secret_params``, so the snapshot's sidecar records ``user=***`` and
  ``pass=***`` and no error or log ever carries them (ingestors.core.http);
* an error comes back with **HTTP 200** and a non-zero ``Codigo`` (``-5``
  "Invalid username or password", ``-50`` for an unknown series, with
  ``Obs: null``): the source fails naming the code and description;
* the body is JSON served as ``charset=ISO-8859-1``, not UTF-8: the accented
  ``descripEsp`` does not decode as UTF-8, so the parser reads the declared
  charset and falls back to Latin-1;
* ``indexDateString`` is ``DD-MM-YYYY`` (day first), not ISO;
* a day without a rate (a weekend, a holiday) is an observation with
  ``value: "NaN"`` and ``statusCode: "ND"`` (other series omit such days, some
  clients have seen ``""``): it is no row, never a zero;
* without ``firstdate`` / ``lastdate`` the whole history since 1984 comes
  back; the request asks from 2015 on, like the other official FX sources.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from urllib.parse import urlencode

from ingestors.core import config
from ingestors.core.errors import RecordError, SourceSkipped
from ingestors.core.registry import FetchPlan, Record, Reject, Row, Source, Table
from ingestors.domain import numbers

NAME = "bcch_fx"
HOST = "si3.bcentral.cl"
URL = f"https://{HOST}/SieteRestWS/SieteRestWS.ashx"
SERIES = "F073.TCO.PRE.Z.D"  # Tipo de cambio nominal (dólar observado $CLP/USD), daily
FIRST_DAY = date(2015, 1, 1)
FILE = f"{SERIES}.json"
TABLE = "rates"
USER_ENV, PASS_ENV = "BCCH_USER", "BCCH_PASS"
NO_VALUE = {"", "nan"}


class Rate(Row):
    rate_date: date
    currency: str  # ISO 4217 code of the currency whose rate this is (CLP)
    units_per_usd: float  # Chilean pesos per US dollar, the dólar observado
    series: str  # the BDE series code and its Spanish title


def params(last_day: date) -> dict[str, str]:
    """The query without the credentials (those go as ``secret_params``)."""
    return {"function": "GetSeries", "timeseries": SERIES,
            "firstdate": FIRST_DAY.isoformat(), "lastdate": last_day.isoformat()}


def record_url(query: dict[str, str]) -> str:
    """The request as the snapshot records it: credentials shown as ``***``."""
    return f"{URL}?{urlencode(query, safe='*')}"


def fetch(ctx) -> None:
    user, password = config.secret(USER_ENV), config.secret(PASS_ENV)
    secrets = {"user": user, "pass": password} if user and password else None
    if secrets is None and not ctx.offline:
        raise SourceSkipped(NAME, f"set {USER_ENV} and {PASS_ENV} (a free BDE API account, "
                                  "https://si3.bcentral.cl/Siete/es/Siete/API) to enable it")
    ctx.get(FILE, URL, params=params(datetime.now(UTC).date()), secret_params=secrets)


def parse_day(text: str) -> date:
    """``02-01-2024`` -> 2024-01-02 (day first)."""
    try:
        day, month, year = str(text).strip().split("-")
        return date(int(year), int(month), int(day))
    except (ValueError, AttributeError) as exc:
        raise RecordError(f"indexDateString is not DD-MM-YYYY: {text!r}") from exc


def _decode(snapshot) -> dict:
    """The JSON body, read in the declared charset (the BDE says ISO-8859-1), else UTF-8, else Latin-1."""
    data = snapshot.read_bytes(FILE)
    ctype = snapshot.file(FILE).headers.get("content-type", "")
    declared = ctype.lower().split("charset=")[-1].split(";")[0].strip() if "charset=" in ctype.lower() else None
    for encoding in [e for e in (declared, "utf-8", "latin-1") if e]:
        try:
            return json.loads(data.decode(encoding))
        except (LookupError, UnicodeDecodeError):
            continue
        except json.JSONDecodeError:
            break
    head = data[:40].decode("latin-1").replace("\n", " ")
    raise snapshot.error(f"not JSON (starts {head!r})", file=FILE)


def parse(snapshot) -> Iterator[Record | Reject]:
    body = _decode(snapshot)
    if not isinstance(body, dict) or "Codigo" not in body:
        raise snapshot.error("expected the BDE envelope with Codigo and Series", file=FILE)
    if body["Codigo"] != 0:
        raise snapshot.error(f"the BDE answered Codigo {body['Codigo']}: {body.get('Descripcion')}", file=FILE)
    series = body.get("Series") or {}
    observations = series.get("Obs")
    if not isinstance(observations, list):
        raise snapshot.error("Series.Obs is not a list", file=FILE)
    title = str(series.get("descripEsp") or "no title").split("\\")[0].strip()
    label = f"{series.get('seriesId') or SERIES} ({title})"
    link = record_url({**snapshot.file(FILE).query}) if snapshot.file(FILE).query else URL
    for i, obs in enumerate(observations):
        raw = obs if isinstance(obs, dict) else {"obs": obs}
        try:
            rate_date = parse_day(raw.get("indexDateString"))
            value = str(raw.get("value") or "").strip()
            if raw.get("statusCode") != "OK" or value.lower() in NO_VALUE:
                continue  # ND: a weekend or holiday, no rate that day
            units = numbers.parse_number(SERIES, value, positive=True)
            if units is None:
                raise RecordError(f"{SERIES} is empty")
        except RecordError as exc:
            yield Reject(TABLE, f"{FILE}#{i}", str(exc), raw)
            continue
        yield Record(TABLE, {"rate_date": rate_date, "currency": "CLP", "units_per_usd": units, "series": label},
                     record_id=f"{rate_date.isoformat()}/CLP", record_url=link)


SOURCE = Source(
    name=NAME,
    family="funding",
    title="Banco Central de Chile exchange rate (dólar observado)",
    endpoint=f"BDE (SIETE) REST API, `GetSeries` of `{SERIES}` (dólar observado) since 2015, one request; "
             "a free BDE account, skipped without it",
    description="The Banco Central de Chile's daily dólar observado, Chilean pesos per US dollar: the official "
                "rate that converts peso amounts to USD on the round's date.",
    homepage="https://si3.bcentral.cl/Siete/es/Siete/API",
    licence="Banco Central de Chile BDE API terms of use, free with registration, the source named",
    cadence="daily",
    tables=(
        Table(TABLE, Rate, ("rate_date", "currency"),
              "One row per day with a published rate: Chilean pesos per US dollar (dólar observado).",
              min_rows=3),
    ),
    fetch=fetch,
    parse=parse,
    plan=FetchPlan(
        rate_limits={HOST: 1.0},
        max_requests=3,
        sample_routes={f"{HOST}/SieteRestWS/SieteRestWS.ashx": FILE},
    ),
    requires_env=(USER_ENV, PASS_ENV),
)
