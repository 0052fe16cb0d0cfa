"""Funding rounds from exports the user is licensed to use: Crunchbase, Dealroom, or any CSV with a column map.

There is no publisher to call. The user exports rounds from a service they
hold a licence for, as CSV, into the folder named by
``CADENA_LICENSED_EXPORTS_DIR``. Each run copies every ``*.csv`` of that folder
(not of its subfolders; hidden files skipped) and an optional ``columns.yaml``
into the snapshot with ``ctx.add_file`` and ``file://`` URLs, so an unchanged
folder is an unchanged snapshot. Without the variable the source is skipped
with a message saying what to put there. Offline, the shipped sample folder
``ingestors/samples/licensed_exports/`` stands in for it; the user's folder is
never read offline. Every row is marked ``licensed``: it may be analysed but
not redistributed beyond the user's licence.

Each file's layout is told from its header row:

* Crunchbase, the funding-rounds search export: one row per round, headers
  ``Transaction Name``, ``Organization Name``, ``Funding Type``, ``Money
  Raised``, ``Money Raised Currency``, ``Money Raised (in USD)``, ``Announced
  Date``, ``Organization Location``, ``Organization Website``, ``Lead
  Investors``, ``Investor Names``, ``Transaction Name URL`` and more;
* Dealroom, the companies export: one row per company whose rounds sit in
  parallel ``;``-separated lists (``Each round type``, ``Each round amount``,
  ``Each round currency``, ``Each round date``, ``Each round investors``),
  with ``Name``, ``Website``, ``HQ city``, ``HQ country``, ``Dealroom URL``;
* custom: any other CSV, when ``columns.yaml`` in the folder maps its headers
  onto Cadena's fields (see :data:`FIELDS` and the sample folder's README).

Format traps:

* header names are matched without regard to case or repeated spaces:
  Dealroom wrote ``EACH ROUND DATE`` in older exports and ``Each round date``
  now; older Crunchbase exports say ``Money Raised Currency (in USD)`` where
  newer ones say ``Money Raised (in USD)`` (both read);
* Dealroom puts two metadata lines (the export's URL and its filters) above
  the header: the header is looked for in the first rows of every file;
* Dealroom amounts are in millions of the round's currency (``1.5`` is 1.5
  million) and are multiplied out; its dates are months (``jan/2024``, read as
  the 1st) or bare years (``2021``, read as 1 January); ``n/a`` marks a missing
  position in a list and the investors of one round are joined by ``++``. A
  company whose type, amount, currency and date lists differ in length is
  quarantined whole; when only its investors list differs (an investor name
  holding a ``;``), its rounds are kept without investors;
* Dealroom's ``Lead investors`` is per company, not per round: its rounds
  have no lead investors;
* Crunchbase dates are ``YYYY-MM-DD``, or ``M/D/YYYY`` in a copy re-saved by a
  spreadsheet; ``Organization Location`` reads ``City, Region, Country,
  Continent``, so the country is its last part that is not a continent;
* a currency that is not a 3-letter code (``R$``, ``US$``) quarantines the row
  rather than guess; so do an empty organisation name and an unreadable date.

``row_number`` is the round's 1-based position in its file: for Crunchbase and
custom exports the data row under the header, for Dealroom the rounds counted
in file order. ``record_id`` names the spreadsheet row (and round) it came from.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from ingestors.core import config
from ingestors.core.errors import FetchError, PayloadError, RecordError, SourceSkipped
from ingestors.core.offline import SAMPLES_DIR
from ingestors.core.registry import FetchPlan, Record, Reject, Row, Source, Table
from ingestors.domain import numbers
from ingestors.domain.countries import lookup_name

NAME = "licensed_exports"
TABLE = "rounds"
DIR_ENV = "CADENA_LICENSED_EXPORTS_DIR"
SAMPLE_FOLDER = SAMPLES_DIR / NAME
COLUMN_MAP = "columns.yaml"
HEADER_SEARCH_ROWS = 10
MISSING = {"", "n/a"}
CONTINENTS = {"africa", "antarctica", "asia", "europe", "north america", "oceania", "south america"}
ISO_DATE, US_DATE = "%Y-%m-%d", "%m/%d/%Y"
_CURRENCY = re.compile(r"[A-Za-z]{3}")
_THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+(\.\d*)?")

# Cadena's fields a column map may fill; the first two are required.
FIELDS = (
    "organization_name", "announced_date", "organization_website", "organization_location", "country",
    "round_type_text", "amount", "currency", "amount_usd_stated", "lead_investors", "investors", "source_url",
)
REQUIRED = ("organization_name", "announced_date")


class Round(Row):
    export_file: str
    row_number: int
    vendor: str  # crunchbase | dealroom | custom
    organization_name: str
    organization_website: str | None
    organization_location: str | None  # as exported
    country_iso2: str | None  # LatAm only
    announced_date: date
    round_type_text: str | None
    amount: float | None
    currency: str | None  # ISO 4217
    amount_usd_stated: float | None
    lead_investors: list[str]
    investors: list[str]
    source_url: str | None
    licensed: bool


@dataclass(frozen=True)
class Layout:
    """How one kind of export names Cadena's fields: each field's header names, first non-empty cell wins."""

    vendor: str
    fields: Mapping[str, tuple[str, ...]]
    markers: tuple[str, ...]  # headers that identify the layout
    date_formats: tuple[str, ...]
    list_separator: str = ","
    amount_multiplier: float = 1.0
    one_round_per_row: bool = True

    def label(self, name: str) -> str:
        """The export's header for a field, for reasons in the quarantine."""
        return self.fields[name][0]


CRUNCHBASE = Layout(
    vendor="crunchbase",
    fields={
        "organization_name": ("Organization Name",),
        "announced_date": ("Announced Date",),
        "organization_website": ("Organization Website",),
        "organization_location": ("Organization Location",),
        "round_type_text": ("Funding Type",),
        "amount": ("Money Raised",),
        "currency": ("Money Raised Currency",),
        "amount_usd_stated": ("Money Raised (in USD)", "Money Raised Currency (in USD)"),
        "lead_investors": ("Lead Investors",),
        "investors": ("Investor Names",),
        "source_url": ("Transaction Name URL", "Organization Name URL"),
    },
    markers=("Transaction Name", "Organization Name", "Announced Date"),
    date_formats=(ISO_DATE, US_DATE),
)

DEALROOM = Layout(
    vendor="dealroom",
    fields={
        "organization_name": ("Name",),
        "organization_website": ("Website",),
        "city": ("HQ city",),
        "country": ("HQ country",),
        "source_url": ("Dealroom URL", "Profile URL"),
        "round_type_text": ("Each round type",),
        "amount": ("Each round amount",),
        "currency": ("Each round currency",),
        "announced_date": ("Each round date",),
        "investors": ("Each round investors",),
    },
    markers=("Name", "Each round date"),
    date_formats=("%b/%Y", "%Y"),
    list_separator="++",
    amount_multiplier=1_000_000.0,
    one_round_per_row=False,
)
ROUND_LISTS = ("round_type_text", "amount", "currency", "announced_date")  # parallel lists that must line up


# --- fetch ------------------------------------------------------------------------------------


def exports_dir() -> Path:
    """The user's export folder, from ``CADENA_LICENSED_EXPORTS_DIR``."""
    setting = config.secret(DIR_ENV)
    if not setting:
        raise SourceSkipped(NAME, f"set {DIR_ENV} to a folder of CSV exports you are licensed to use "
                                  "(Crunchbase funding rounds, Dealroom companies, or any CSV with a "
                                  f"{COLUMN_MAP}; see .env.example)")
    folder = Path(setting).expanduser().resolve()
    if not folder.is_dir():
        raise FetchError(NAME, folder.as_uri(), f"{DIR_ENV} is not a folder")
    return folder


def fetch(ctx) -> None:
    folder = SAMPLE_FOLDER if ctx.offline else exports_dir()  # offline never reads the user's folder
    files = sorted(p for p in folder.iterdir()
                   if p.is_file() and not p.name.startswith(".")
                   and (p.suffix.lower() == ".csv" or p.name == COLUMN_MAP))
    if not any(p.suffix.lower() == ".csv" for p in files):
        raise FetchError(NAME, folder.as_uri(), "no .csv export in the folder")
    for path in files:
        ctx.add_file(path.name, path.read_bytes(), path.resolve().as_uri())


# --- the column map ---------------------------------------------------------------------------


def read_column_map(snapshot) -> Layout | None:
    """The custom layout ``columns.yaml`` describes, if the snapshot has one."""
    if COLUMN_MAP not in snapshot.names():
        return None
    try:
        spec = yaml.safe_load(snapshot.read_bytes(COLUMN_MAP))
    except yaml.YAMLError as exc:
        raise snapshot.error(f"not YAML: {' '.join(str(exc).split())}", file=COLUMN_MAP) from None
    try:
        return column_map_layout(spec)
    except ValueError as exc:
        raise snapshot.error(str(exc), file=COLUMN_MAP) from None


def column_map_layout(spec: Any) -> Layout:
    """Check a column map and turn it into a layout; ValueError says what is wrong."""
    if not isinstance(spec, dict) or not isinstance(spec.get("columns"), dict):
        raise ValueError("expected a mapping with a 'columns' mapping of Cadena field -> export header")
    unknown_keys = set(spec) - {"columns", "date_format", "list_separator", "amount_multiplier"}
    columns: dict = spec["columns"]
    unknown = sorted(set(columns) - set(FIELDS))
    missing = [f for f in REQUIRED if f not in columns]
    if unknown_keys or unknown or missing:
        problems = [f"unknown key(s): {', '.join(sorted(unknown_keys))}" if unknown_keys else "",
                    f"unknown field(s): {', '.join(unknown)} (known: {', '.join(FIELDS)})" if unknown else "",
                    f"required field(s) not mapped: {', '.join(missing)}" if missing else ""]
        raise ValueError("; ".join(p for p in problems if p))
    if not all(isinstance(h, str) and h.strip() for h in columns.values()):
        raise ValueError("every mapped header must be a non-empty string")
    date_format = spec.get("date_format", ISO_DATE)
    separator = spec.get("list_separator", ",")
    multiplier = spec.get("amount_multiplier", 1)
    if not isinstance(date_format, str) or not isinstance(separator, str) or not separator:
        raise ValueError("date_format and list_separator must be non-empty strings")
    if isinstance(multiplier, bool) or not isinstance(multiplier, (int, float)) or multiplier <= 0:
        raise ValueError(f"amount_multiplier must be a positive number, got {multiplier!r}")
    return Layout(vendor="custom", fields={f: (h.strip(),) for f, h in columns.items()},
                  markers=tuple(h.strip() for h in columns.values()), date_formats=(date_format,),
                  list_separator=separator, amount_multiplier=float(multiplier))


# --- reading a file ---------------------------------------------------------------------------


def _norm(header: str) -> str:
    return " ".join(header.split()).casefold()


def read_rows(snapshot, name: str) -> list[list[str]]:
    try:
        return snapshot.read_csv(name)
    except PayloadError as exc:
        if "not UTF-8" in exc.reason:  # the usual cause: a spreadsheet saved in the system's code page
            raise snapshot.error(f"{exc.reason}: export or save it as CSV UTF-8", file=name) from None
        raise


def detect(snapshot, name: str, rows: list[list[str]], custom: Layout | None) -> tuple[Layout, int]:
    """The file's layout and the index of its header row; an unknown layout fails the source."""
    if not rows:
        raise snapshot.error("empty file", file=name)
    candidates = [layout for layout in (CRUNCHBASE, DEALROOM, custom) if layout is not None]
    best: tuple[int, list[str]] | None = None
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        present = {_norm(c) for c in cells}
        for layout in candidates:
            missing = [m for m in layout.markers if _norm(m) not in present]
            if not missing:
                return layout, index
            if layout is custom and (best is None or len(missing) < len(best[1])):
                best = (index, missing)
    reason = "not a Crunchbase funding-rounds export nor a Dealroom companies export"
    if custom is None:
        raise snapshot.error(f"{reason}, and there is no {COLUMN_MAP} to map it", file=name)
    raise snapshot.error(f"{reason}, and the headers {COLUMN_MAP} maps are not all in it "
                         f"(missing: {', '.join(best[1])})", file=name)


def _index(header: list[str]) -> dict[str, int]:
    return {_norm(h): i for i, h in reversed(list(enumerate(header))) if h.strip()}


def _cell(index: dict[str, int], cells: list[str], headers: tuple[str, ...]) -> str | None:
    """The first non-empty cell among ``headers`` (``n/a`` counts as empty)."""
    for header in headers:
        i = index.get(_norm(header))
        if i is not None and i < len(cells):
            text = cells[i].strip()
            if text.casefold() not in MISSING:
                return text
    return None


def row_rounds(layout: Layout, header: list[str], rows: list[list[str]], first_line: int) -> Iterator[tuple]:
    """(where, field texts, problem) for each data row of a one-round-per-row export."""
    index = _index(header)
    for line, cells in enumerate(rows, start=first_line):
        if not any(c.strip() for c in cells):
            continue
        texts = {name: _cell(index, cells, headers) for name, headers in layout.fields.items()}
        problem = f"row has {len(cells)} cells, the header {len(header)}" if len(cells) != len(header) else None
        yield f"row {line}", texts, problem


def _positions(text: str | None) -> list[str | None]:
    """A Dealroom list split on ``;``, keeping the positions of missing (``n/a``, empty) values."""
    if text is None:
        return []
    return [None if part.strip().casefold() in MISSING else part.strip() for part in text.split(";")]


def company_rounds(layout: Layout, header: list[str], rows: list[list[str]], first_line: int) -> Iterator[tuple]:
    """(where, field texts, problem) for each round of each company row of a Dealroom export."""
    index = _index(header)
    for line, cells in enumerate(rows, start=first_line):
        if not any(c.strip() for c in cells):
            continue
        get = {name: _cell(index, cells, headers) for name, headers in layout.fields.items()}
        company = {
            "organization_name": get["organization_name"], "organization_website": get["organization_website"],
            "organization_location": ", ".join(p for p in (get["city"], get["country"]) if p) or None,
            "country": get["country"], "source_url": get["source_url"],
            "lead_investors": None, "amount_usd_stated": None,
        }
        lists = {name: _positions(get[name]) for name in (*ROUND_LISTS, "investors")}
        count = max(len(lists[name]) for name in ROUND_LISTS)
        lengths = {name: len(lists[name]) for name in ROUND_LISTS}
        if any(n not in (0, count) for n in lengths.values()):
            shown = ", ".join(f"{layout.label(k)}: {n}" for k, n in lengths.items())
            yield f"row {line}", company, f"the round lists differ in length ({shown})"
            continue
        if len(lists["investors"]) != count:
            lists["investors"] = []  # a ';' inside an investor name: positions cannot be trusted
        for k in range(count):
            texts = {**company, **{name: (values[k] if values else None) for name, values in lists.items()}}
            yield f"row {line} round {k + 1}", texts, None


# --- building a round -------------------------------------------------------------------------


def parse_date(label: str, text: str | None, formats: tuple[str, ...]) -> date:
    day = numbers.parse_date(label, text, formats)
    if day is None:
        raise RecordError(f"{label} is empty")
    return day


def parse_amount(label: str, text: str | None) -> float | None:
    return numbers.parse_number(label, text, minimum=0)


def parse_currency(label: str, text: str | None) -> str | None:
    if text is None:
        return None
    if not _CURRENCY.fullmatch(text):
        raise RecordError(f"{label}: not a 3-letter ISO 4217 code: {text!r}")
    return text.upper()


def split_list(text: str | None, separator: str) -> list[str]:
    names: list[str] = []
    for part in (text or "").split(separator):
        if part.strip() and part.strip() not in names:
            names.append(part.strip())
    return names


def country_of(location: str | None) -> str | None:
    """A location's country: its last comma-separated part that is not a continent."""
    parts = [p.strip() for p in (location or "").split(",") if p.strip()]
    while parts and parts[-1].casefold() in CONTINENTS:
        parts.pop()
    return parts[-1] if parts else None


def build_round(layout: Layout, texts: Mapping[str, str | None]) -> dict:
    """Cadena's fields for one round from its texts; RecordError names the export column that cannot be read."""
    name = texts.get("organization_name")
    if not name:
        raise RecordError(f"{layout.label('organization_name')} is empty")
    label = {f: layout.label(f) if f in layout.fields else f for f in FIELDS}
    amount = parse_amount(label["amount"], texts.get("amount"))
    usd = parse_amount(label["amount_usd_stated"], texts.get("amount_usd_stated"))
    country = lookup_name(texts.get("country") or country_of(texts.get("organization_location")) or "")
    return {
        "organization_name": name,
        "organization_website": texts.get("organization_website"),
        "organization_location": texts.get("organization_location"),
        "country_iso2": country.iso2 if country else None,
        "announced_date": parse_date(label["announced_date"], texts.get("announced_date"), layout.date_formats),
        "round_type_text": texts.get("round_type_text"),
        "amount": amount * layout.amount_multiplier if amount is not None else None,
        "currency": parse_currency(label["currency"], texts.get("currency")),
        "amount_usd_stated": usd * layout.amount_multiplier if usd is not None else None,
        "lead_investors": split_list(texts.get("lead_investors"), layout.list_separator),
        "investors": split_list(texts.get("investors"), layout.list_separator),
        "source_url": texts.get("source_url"),
    }


def parse(snapshot) -> Iterator[Record | Reject]:
    custom = read_column_map(snapshot)
    files = [n for n in snapshot.names() if n.lower().endswith(".csv")]
    if not files:
        raise snapshot.error("no .csv export in the snapshot")
    for name in files:
        rows = read_rows(snapshot, name)
        layout, header_index = detect(snapshot, name, rows, custom)
        read = row_rounds if layout.one_round_per_row else company_rounds
        rounds = read(layout, rows[header_index], rows[header_index + 1:], header_index + 2)
        yield from _records(name, snapshot.url_of(name), layout, rounds)


def _records(file: str, file_url: str, layout: Layout, rounds: Iterator[tuple]) -> Iterator[Record | Reject]:
    for row_number, (where, texts, problem) in enumerate(rounds, start=1):
        record_id = f"{file}:{where}"
        try:
            if problem:
                raise RecordError(problem)
            data = build_round(layout, texts)
        except RecordError as exc:
            yield Reject(TABLE, record_id, str(exc), dict(texts))
            continue
        data.update(export_file=file, row_number=row_number, vendor=layout.vendor, licensed=True)
        yield Record(TABLE, data, record_id=record_id, record_url=data["source_url"] or file_url)


SOURCE = Source(
    name=NAME,
    family="funding",
    title="Licensed exports (Crunchbase, Dealroom, custom)",
    endpoint=('CSV exports from Crunchbase, Dealroom or any layout described by `columns.yaml`, in '
              '`CADENA_LICENSED_EXPORTS_DIR` (no network); skipped without it'),
    description="Funding rounds from CSV exports the user is licensed to use, dropped into a folder and mapped "
                "by column: organisation, date, round type, amount and currency, investors. Marked licensed.",
    homepage="https://github.com/cadena-latam/cadena/tree/main/ingestors/samples/licensed_exports",
    licence="the user's own licence with the vendor: not for redistribution",
    licensed_rows=True,
    cadence="monthly",
    tables=(
        Table(TABLE, Round, ("export_file", "row_number"),
              "One row per funding round of each export file, as the vendor states it (amount in its "
              "currency, the USD amount when the export gives one); licensed is always true."),
    ),
    fetch=fetch,
    parse=parse,
    plan=FetchPlan(reads_local_files=True),
)

