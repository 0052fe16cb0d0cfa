"""What a source is: the contract every ingestor module fills in.

A source module under ``ingestors/sources/`` defines one :class:`Source` (found
there by scanning). Everything else (Dagster assets, schedules, the CLI,
`cadena status`, the dbt sources YAML, the README's source table, the offline
sample routes) is derived from that declaration.
"""

from __future__ import annotations

import inspect
import re
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, ClassVar, Literal, Protocol

from pydantic import BaseModel, ConfigDict, model_validator

from ingestors.core import checks

Family = Literal["capacity", "organisations", "funding"]
FAMILIES: tuple[str, ...] = typing.get_args(Family)
Cadence = Literal["daily", "weekly", "monthly", "quarterly"]

CADENCE_MAX_AGE: dict[str, timedelta] = {
    "daily": timedelta(days=1),
    "weekly": timedelta(days=7),
    "monthly": timedelta(days=31),
    "quarterly": timedelta(days=92),
}


class FetchContext(Protocol):
    """What a source's ``fetch`` function is given (the pipeline's ``SnapshotFetchContext`` implements it).

    Every byte a fetch keeps goes through :meth:`get` or :meth:`add_file`, so it lands in the snapshot
    with its URL, query and response headers; the fetch never writes files or opens clients itself.
    """

    offline: bool
    settings: Any  # ingestors.core.config.Settings: the contact address, the raw store, the environment

    def get(self, name: str, url: str, *, params: Mapping[str, Any] | None = None,
            headers: Mapping[str, str] | None = None, conditional: bool = True,
            volatile: bool = False, secret_params: Mapping[str, str] | None = None) -> bytes: ...
    # secret_params: credentials a publisher takes in the query string; sent, never recorded (``***``)

    def request(self, method: str, url: str, *, data: Mapping[str, str] | None = None,
                headers: Mapping[str, str] | None = None,
                secret_params: Mapping[str, str] | None = None) -> Any: ...

    def post(self, name: str, url: str, *, content: bytes, headers: Mapping[str, str] | None = None,
             describe: Mapping[str, Any] | None = None) -> bytes: ...

    def response_headers(self, name: str) -> dict[str, str]: ...

    def add_file(self, name: str, content: bytes, url: str) -> None: ...


class Row(BaseModel):
    """Base of every raw-table row model.

    Strict (no ``"12"`` for an int, no ``1`` for a bool; an ISO string for a
    date is parsed explicitly), no unknown fields, no NaN or infinity, strings
    trimmed and stripped of control characters, and every field checked for
    plausibility by its name (:mod:`ingestors.core.checks`: ISO country and
    currency codes, coordinates, MW, prices, amounts, counts, dates no further
    ahead than ``horizon_days``, length caps).
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True, strict=True,
                              allow_inf_nan=False)
    horizon_days: ClassVar[int] = 366  # how far past today a date of this source may lie
    text_cap: ClassVar[int] = 20_000  # characters in any text field that is not a name

    @model_validator(mode="before")
    @classmethod
    def _prepare(cls, data: Any) -> Any:
        return checks.prepare(cls, data)

    @model_validator(mode="after")
    def _plausible(self) -> Row:
        checks.plausible(self, horizon_days=self.horizon_days, text_cap=self.text_cap)
        return self


@dataclass(frozen=True)
class Record:
    """One parsed record bound for ``table``; validated against the table's model."""

    table: str
    data: Mapping[str, Any]
    record_id: str
    record_url: str | None = None


@dataclass(frozen=True)
class Reject:
    """A record the parser itself refused; it lands in quarantine with ``reason``."""

    table: str
    record_id: str
    reason: str
    raw: Any = None


@dataclass(frozen=True)
class Table:
    name: str
    model: type[Row]
    key: tuple[str, ...]
    description: str
    min_rows: int = 1  # fewer rows than this means the payload is wrong, not the world
    # The shrink guard (ingestors.core.shrink): the share of rows a load may lose against the last
    # good one ("default": CADENA_MAX_SHRINK, 0.5; None: no limit, for rolling windows such as feeds),
    # and a column whose every value must keep some rows (an indicator, a feed, a country).
    max_shrink: float | Literal["default"] | None = "default"
    partition_by: str | None = None

    def duckdb_columns(self) -> dict[str, str]:
        return {name: duckdb_type(f.annotation) for name, f in self.model.model_fields.items()}

    def column_descriptions(self) -> dict[str, str]:
        """Each column's description: the field's pydantic ``description``, else its trailing ``# comment``."""
        found: dict[str, str] = {}
        for klass in reversed(self.model.__mro__):
            if klass in (BaseModel, Row) or not (isinstance(klass, type) and issubclass(klass, BaseModel)):
                continue
            try:
                lines = inspect.getsource(klass).splitlines()
            except (OSError, TypeError):
                continue
            for line in lines:
                match = _FIELD_COMMENT.match(line)
                if match:
                    found[match["name"]] = match["comment"].strip()
        for name, info in self.model.model_fields.items():
            if info.description:
                found[name] = info.description
        return {name: text for name, text in found.items() if name in self.model.model_fields}


@dataclass(frozen=True)
class FetchPlan:
    """Static facts the fetch step needs: hosts' rate limits and where offline samples live."""

    rate_limits: Mapping[str, float] = field(default_factory=dict)  # host -> requests per second
    sample_routes: Mapping[str, str] = field(default_factory=dict)  # "host/path" glob -> sample file
    reads_local_files: bool = False  # the "publisher" is a folder in the repository: no HTTP, no samples
    timeout_s: float | None = None  # a publisher slower than the default timeout (a SPARQL endpoint)
    attempts: int = 5  # fewer for a publisher where a retry re-runs a costly query
    # The most requests one run may send (retries included): a live run's expected count with room to
    # spare. Past it the fetch fails rather than hammer a publisher (a paging loop, a changed API).
    max_requests: int = 10
    key_env: str | None = None  # an optional API key that raises the publisher's limits ...
    rate_limits_with_key: Mapping[str, float] | None = None  # ... to these
    # Hosts besides those in ``rate_limits`` the fetch may reach (a CDN a download redirects to).
    # Requests, redirects and ``Link`` pages stay within these hosts and their sites; a source
    # that declares no host at all (a news reader following article links) may reach any.
    extra_hosts: tuple[str, ...] = ()

    def hosts(self) -> frozenset[str]:
        """Every host the source declared: its rate-limited hosts and ``extra_hosts``."""
        return frozenset({*self.rate_limits, *(self.rate_limits_with_key or {}), *self.extra_hosts})

    def limits(self, environ: Mapping[str, str]) -> Mapping[str, float]:
        """The rate limits that apply, given whether the optional key is set."""
        if self.key_env and environ.get(self.key_env) and self.rate_limits_with_key is not None:
            return self.rate_limits_with_key
        return self.rate_limits


@dataclass(frozen=True)
class Source:
    name: str
    family: Family
    title: str
    endpoint: str  # the publisher's endpoint in a few words, for the README's source table (Markdown)
    description: str
    homepage: str
    licence: str
    cadence: Cadence
    tables: tuple[Table, ...]
    fetch: Callable[[FetchContext], None]
    parse: Callable[..., Iterable[Record | Reject]]
    plan: FetchPlan = field(default_factory=FetchPlan)
    requires_env: tuple[str, ...] = ()  # without these variables the source is skipped
    licensed_rows: bool = False  # its rows are licensed to the user: left out of published exports unless allowed

    @property
    def schema(self) -> str:
        return f"raw_{self.name}"

    @property
    def max_age(self) -> timedelta:
        return CADENCE_MAX_AGE[self.cadence]

    def table(self, name: str) -> Table:
        for t in self.tables:
            if t.name == name:
                return t
        raise KeyError(f"{self.name} has no table {name!r}")


_FIELD_COMMENT = re.compile(r"^\s+(?P<name>[a-z_][a-z0-9_]*)\s*:[^#]*#\s*(?:noqa[^ ]*\s*)?(?P<comment>\S.*)$")
_SCALARS = {str: "VARCHAR", int: "BIGINT", float: "DOUBLE", bool: "BOOLEAN", date: "DATE", datetime: "TIMESTAMPTZ"}


def duckdb_type(annotation: Any) -> str:
    """Map a row model's field annotation (``int | None``, ``list[str]``) to a DuckDB type."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(inner) != 1:
            raise TypeError(f"unsupported union {annotation!r}")
        return duckdb_type(inner[0])
    if origin is list:
        (inner,) = typing.get_args(annotation)
        return f"{duckdb_type(inner)}[]"
    if annotation in _SCALARS:
        return _SCALARS[annotation]
    raise TypeError(f"no DuckDB type for {annotation!r}")
