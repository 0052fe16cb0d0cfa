"""PeeringDB: colocation facilities, internet exchanges, their links and owners in LatAm.

Endpoints: ``https://www.peeringdb.com/api/{fac,ix,ixfac,org}``, always with
``depth=0`` and paged with ``limit=250&skip=N`` (a page shorter than ``limit``
is the last one). The body is ``{"data": [...], "meta": {}}``; an error is
``{"meta": {"error": "..."}}``.

What is fetched:

* ``fac`` and ``ix`` filtered server-side with ``country__in=`` every LatAm
  ISO2 code of the seed (pages are sorted by id, so never page the world);
* ``ixfac`` with ``ix_id__in=`` the fetched exchanges, in batches that keep
  the URL short;
* ``org`` with ``id__in=`` every ``org_id`` of the fetched facilities and
  exchanges, in batches: the owners of LatAm facilities are often foreign
  organisations, which a country filter on ``org`` would miss.

Snapshot files are ``fac.page-1.json``, ``ixfac.b2.page-1.json`` and so on:
the object type is the name up to the first dot.

Format traps:

* ``""`` and ``null`` both mean "empty", and which one a field uses varies
  (``property`` is either); both become ``None``;
* ``org.country`` is ``""`` for more than half of the organisations;
* ``latitude``/``longitude`` are numbers or ``null``;
* the parser does not filter by country (the server did), so it also reads
  unfiltered pages such as the real captures.

Anonymous clients get 20 requests per minute, 40 with an API key (sent as
``Authorization: Api-Key <key>`` when ``PEERINGDB_API_KEY`` is set). The
static rate limit below is the anonymous one.
"""

from __future__ import annotations

import json
import logging
import typing
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import Field

from ingestors.core.errors import FetchError
from ingestors.core.registry import FetchPlan, Record, Reject, Row, Source, Table
from ingestors.domain.countries import latam

log = logging.getLogger(__name__)

HOST = "www.peeringdb.com"
BASE = f"https://{HOST}/api"
PAGE_LIMIT = 250
MAX_PAGES = 200  # 50,000 rows for one query: far beyond LatAm; more means paging is broken
MAX_ID_CHARS = 1300  # one id list as sent (commas travel as %2C), so URLs stay under ~1500 chars
ANONYMOUS_PER_SECOND = 20 / 60
WITH_KEY_PER_SECOND = 40 / 60


# --- raw table models (the contract with the dbt staging models) -----------------------------


class Facility(Row):
    id: int
    org_id: int
    org_name: str | None
    campus_id: int | None
    name: str
    aka: str | None
    name_long: str | None
    website: str | None
    clli: str | None
    address1: str | None
    city: str | None
    state: str | None
    zipcode: str | None
    country: str = Field(pattern=r"^[A-Z]{2}$")
    region_continent: str | None
    latitude: float | None
    longitude: float | None
    net_count: int | None
    ix_count: int | None
    carrier_count: int | None
    property: str | None
    status: str
    created: datetime
    updated: datetime


class InternetExchange(Row):
    id: int
    org_id: int
    name: str
    name_long: str | None
    city: str | None
    country: str = Field(pattern=r"^[A-Z]{2}$")
    region_continent: str | None
    media: str | None
    website: str | None
    url_stats: str | None
    proto_ipv6: bool | None
    net_count: int | None
    fac_count: int | None
    status: str
    created: datetime
    updated: datetime


class IxFacility(Row):
    id: int
    ix_id: int
    fac_id: int
    name: str | None
    city: str | None
    country: str | None
    status: str
    created: datetime
    updated: datetime


class Organization(Row):
    id: int
    name: str
    aka: str | None
    website: str | None
    city: str | None
    state: str | None
    country: str | None
    latitude: float | None
    longitude: float | None
    status: str
    created: datetime
    updated: datetime


@dataclass(frozen=True)
class ObjectType:
    """How one PeeringDB object type maps to its raw table."""

    table: str
    model: type[Row]
    page: str  # the web page a record links to: "fac", "ix" or "org"
    page_id_field: str = "id"

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.model.model_fields)

    @property
    def required(self) -> tuple[str, ...]:
        """Columns that may not be null: if every row lacks one, the format has changed."""
        return tuple(name for name, f in self.model.model_fields.items()
                     if type(None) not in typing.get_args(f.annotation))

    def record_url(self, row: Mapping[str, Any]) -> str | None:
        page_id = row.get(self.page_id_field)
        return f"https://{HOST}/{self.page}/{page_id}" if page_id not in (None, "") else None


OBJECTS: dict[str, ObjectType] = {
    "fac": ObjectType("facilities", Facility, "fac"),
    "ix": ObjectType("internet_exchanges", InternetExchange, "ix"),
    "ixfac": ObjectType("ix_facilities", IxFacility, "ix", page_id_field="ix_id"),
    "org": ObjectType("organizations", Organization, "org"),
}


# --- fetch ----------------------------------------------------------------------------------


def fetch(ctx) -> None:
    key = ctx.settings.peeringdb_api_key
    headers = {"Authorization": f"Api-Key {key}"} if key else None
    countries = ",".join(sorted(c.iso2 for c in latam()))

    facilities = _fetch_pages(ctx, "fac", {"country__in": countries}, headers)
    exchanges = _fetch_pages(ctx, "ix", {"country__in": countries}, headers)

    ix_ids = _ids(exchanges, "id")
    for n, batch in enumerate(_batches(ix_ids), start=1):
        _fetch_pages(ctx, "ixfac", {"ix_id__in": batch}, headers, batch=n)

    org_ids = _ids([*facilities, *exchanges], "org_id")
    for n, batch in enumerate(_batches(org_ids), start=1):
        _fetch_pages(ctx, "org", {"id__in": batch}, headers, batch=n)


def _file(obj: str, page: int, batch: int | None = None) -> str:
    return f"{obj}.b{batch}.page-{page}.json" if batch is not None else f"{obj}.page-{page}.json"


def _fetch_pages(ctx, obj: str, filters: Mapping[str, str], headers: Mapping[str, str] | None,
                 batch: int | None = None) -> list[dict]:
    """GET every page of ``/api/{obj}`` with ``filters``; returns the rows seen."""
    url = f"{BASE}/{obj}"
    rows: list[dict] = []
    for page in range(1, MAX_PAGES + 1):
        params = {**filters, "depth": 0, "limit": PAGE_LIMIT, "skip": (page - 1) * PAGE_LIMIT}
        body = ctx.get(_file(obj, page, batch), url, params=params, headers=headers)
        got = _rows(body)
        rows.extend(got)
        if len(got) < PAGE_LIMIT:
            return rows
    raise FetchError(ctx.source.name, url, f"more than {MAX_PAGES} pages of {PAGE_LIMIT}; is skip ignored?")


def _rows(body: bytes) -> list[dict]:
    """The rows of one page, or none when the page is not the expected envelope.

    A bad page ends its paging here; ``parse`` then fails the source naming it.
    """
    try:
        data = json.loads(body)["data"]
    except (ValueError, KeyError, TypeError):
        return []
    return [r for r in data if isinstance(r, dict)] if isinstance(data, list) else []


def _ids(rows: Iterable[Mapping[str, Any]], field: str) -> list[int]:
    return sorted({r[field] for r in rows if isinstance(r.get(field), int) and not isinstance(r[field], bool)})


def _batches(ids: list[int], max_chars: int = MAX_ID_CHARS) -> Iterator[str]:
    """Comma-joined runs of ``ids``, each at most ``max_chars`` long once URL-encoded."""
    sep = len("%2C")  # httpx percent-encodes the commas of a query value
    batch: list[str] = []
    size = 0
    for i in ids:
        text = str(i)
        cost = len(text) + (sep if batch else 0)
        if batch and size + cost > max_chars:
            yield ",".join(batch)
            batch, size, cost = [], 0, len(text)
        size += cost
        batch.append(text)
    if batch:
        yield ",".join(batch)


# --- parse ----------------------------------------------------------------------------------


def _clean(value: Any) -> Any:
    """``""`` (or only spaces) and ``null`` both mean missing."""
    if isinstance(value, str) and not value.strip():
        return None
    return value


def parse(snapshot) -> Iterator[Record | Reject]:
    for name in snapshot.names():
        obj = name.split(".", 1)[0]
        spec = OBJECTS.get(obj)
        if spec is None:
            raise snapshot.error(f"unexpected file; expected one of {sorted(OBJECTS)}", file=name)
        rows = _envelope(snapshot, name, spec)
        for i, raw in enumerate(rows):
            if not isinstance(raw, dict):
                yield Reject(spec.table, f"{name}#{i}", "row is not a JSON object", raw)
                continue
            row_id = raw.get("id")
            yield Record(
                spec.table,
                {column: _clean(raw.get(column)) for column in spec.columns},
                record_id=f"{obj}/{row_id}" if row_id not in (None, "") else f"{name}#{i}",
                record_url=spec.record_url(raw),
            )


def _envelope(snapshot, name: str, spec: ObjectType) -> list:
    """The ``data`` list of one page, or fail the source with a one-line reason."""
    body = snapshot.read_json(name)
    if not isinstance(body, dict):
        raise snapshot.error('expected the envelope {"data": [...], "meta": {}}', file=name)
    error = (body.get("meta") or {}).get("error") if isinstance(body.get("meta"), dict) else None
    if error:
        raise snapshot.error(f"the API answered with an error: {error}", file=name)
    rows = body.get("data")
    if not isinstance(rows, list):
        raise snapshot.error('no "data" list in the envelope', file=name)
    present = set().union(*(r.keys() for r in rows if isinstance(r, dict)))
    missing = [f for f in spec.required if f not in present]
    if rows and missing:
        raise snapshot.error(f"field(s) {', '.join(missing)} absent from every row", file=name)
    return rows


SOURCE = Source(
    name="peeringdb",
    family="capacity",
    title="PeeringDB",
    endpoint='PeeringDB API `/api/{fac,ix,ixfac,org}`, filtered server-side to LatAm',
    description="Colocation facilities, internet exchanges, the facilities each exchange is present in, "
                "and the organisations owning them, in LatAm (REST API, filtered by country).",
    homepage="https://www.peeringdb.com",
    licence="PeeringDB data is available under its Acceptable Use Policy (https://www.peeringdb.com/aup)",
    cadence="daily",
    tables=(
        Table("facilities", Facility, ("id",),
              "One colocation facility in a LatAm country, with operator, address, coordinates and counts."),
        Table("internet_exchanges", InternetExchange, ("id",),
              "One internet exchange in a LatAm country."),
        Table("ix_facilities", IxFacility, ("id",),
              "One link between a LatAm internet exchange and a facility it is present in."),
        Table("organizations", Organization, ("id",),
              "Every organisation owning a fetched facility or exchange, wherever it is based."),
    ),
    fetch=fetch,
    parse=parse,
    plan=FetchPlan(
        max_requests=60,  # four objects, filtered to LatAm: a few pages each
        # 20 requests per minute anonymously, 40 with an API key.
        rate_limits={HOST: ANONYMOUS_PER_SECOND},
        key_env="PEERINGDB_API_KEY",
        rate_limits_with_key={HOST: WITH_KEY_PER_SECOND},
    ),
)
