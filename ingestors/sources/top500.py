"""The TOP500 list of supercomputers: every system of each list edition loaded.

Endpoint: each edition (June and November) is an XLSX workbook at
``https://www.top500.org/lists/top500/<YYYY>/<MM>/download/TOP500_<YYYYMM>.xlsx``.

Auth: downloads need a free top500.org account. Two ways in, in this order:

1. ``CADENA_TOP500_XLSX``: a path to a list file already downloaded by hand, or
   a glob of several (``~/top500/TOP500_*.xlsx``) to load the history across
   editions. Each file becomes one snapshot file, named like the publisher's
   (``TOP500_202411.xlsx``), via ``ctx.add_file`` with a ``file://`` URL.
2. ``TOP500_USERNAME`` and ``TOP500_PASSWORD``: log in to the site's Django
   (allauth) form at ``/accounts/login/`` (a GET for the form, its
   ``csrfmiddlewaretoken`` and the ``csrftoken`` cookie, then a POST with a
   ``Referer``; success redirects away from the login page), then download the
   latest edition. The login goes through ``ctx.request``, which records nothing
   in the snapshot: the form body holds the password. The newest edition is
   computed from today's date; when it is not out yet (the lists appear at the
   ISC conference in June and at SC in November, not on the 1st) the server
   answers 404 and the previous edition is fetched instead.

Without either the source is skipped with a message naming both. Offline, the
sample workbook of a fixed edition is served at that edition's download URL.

Format traps:

* the list is sheet ``top500``; mirrors add sheets of their own (a
  ``calculations`` sheet of totals), which are ignored. No ``top500`` sheet, or
  a required column gone, fails the source naming the file;
* columns are read by header name: they were renamed over the years. Older
  lists (2015 and before, at least) say ``Rmax`` / ``Rpeak`` in GFlop/s
  (divided by 1000 here) where recent ones say ``Rmax [TFlop/s]``, and
  ``Cores``, ``Accelerator Cores`` and ``Power`` (kW) for ``Total Cores``,
  ``Accelerator/Co-Processor Cores`` and ``Power (kW)``. Optional columns
  missing from an old list give nulls;
* the edition is only in the file name (``TOP500_YYYYMM.xlsx`` -> ``2024-11``),
  never in the sheet, so local files must keep the publisher's file name;
* ``Accelerator/Co-Processor`` says ``None`` (text) for CPU-only systems; a
  few systems report accelerator cores with accelerator ``None`` (both are kept
  as given);
* ``Name`` is empty for many systems; ``Site ID`` is a number and ``System ID``
  text: both are kept as text;
* numbers are real numbers in the publisher's file but may be text with
  thousands separators in a re-saved copy; both are read.

All 500 rows of each edition are kept (the LatAm share needs the whole list);
``country_iso2`` is set only for LatAm countries (``ingestors.domain.countries``).
"""

from __future__ import annotations

import glob
import io
import math
import os
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import openpyxl
from bs4 import BeautifulSoup
from openpyxl.utils.exceptions import InvalidFileException

from ingestors.core import config
from ingestors.core.errors import FetchError, RecordError, SourceSkipped
from ingestors.core.registry import FetchPlan, Record, Reject, Row, Source, Table
from ingestors.domain.countries import fold, lookup_name
from ingestors.domain.gpus import canonical_gpu_model
from ingestors.domain.numbers import parse_number

NAME = "top500"
MAX_UNPACKED_XLSX_BYTES = 256 * 1024 * 1024  # a list unpacks to a few MB

HOST = "www.top500.org"
SITE = f"https://{HOST}"
LOGIN_URL = f"{SITE}/accounts/login/"
SHEET = "top500"
TABLE = "systems"
SAMPLE_EDITION = (2025, 6)  # the edition of ingestors/samples/top500/, served offline
OFFLINE_EDITIONS_TRIED = 12  # offline, editions tried newest first (six years)
XLSX_ENV = config.TOP500_XLSX
USERNAME_ENV, PASSWORD_ENV = config.TOP500_USERNAME, config.TOP500_PASSWORD

_FILE_NAME = re.compile(r"TOP500_(\d{4})(0[1-9]|1[0-2])\.xlsx", re.IGNORECASE)
HEADER_SEARCH_ROWS = 10  # the header is the first row; tolerate a title row or two above it


class System(Row):
    list_edition: str  # YYYY-MM
    rank: int
    name: str | None
    computer: str
    site: str
    manufacturer: str | None
    country: str
    country_iso2: str | None  # only for LatAm countries
    is_latam: bool
    year: int | None
    segment: str | None
    total_cores: int
    accelerator_cores: int | None
    rmax_tflops: float
    rpeak_tflops: float | None
    power_kw: float | None
    accelerator: str | None  # the publisher's text; 'None' becomes null
    accelerator_model: str | None  # canonical (ingestors.domain.gpus)
    processor: str | None
    system_id: str | None
    site_id: str | None


# --- editions and file names ------------------------------------------------------------------


def file_name(edition: tuple[int, int]) -> str:
    year, month = edition
    return f"TOP500_{year:04d}{month:02d}.xlsx"


def download_url(edition: tuple[int, int]) -> str:
    year, month = edition
    return f"{SITE}/lists/top500/{year:04d}/{month:02d}/download/{file_name(edition)}"


def list_url(edition: tuple[int, int]) -> str:
    year, month = edition
    return f"{SITE}/lists/top500/{year:04d}/{month:02d}/"


def edition_of(name: str) -> tuple[int, int] | None:
    """``TOP500_202411.xlsx`` -> ``(2024, 11)``; None for any other name."""
    m = _FILE_NAME.fullmatch(name)
    return (int(m[1]), int(m[2])) if m else None


def latest_edition(today: date) -> tuple[int, int]:
    """The newest June or November edition on or before ``today``'s month."""
    if today.month >= 11:
        return today.year, 11
    if today.month >= 6:
        return today.year, 6
    return today.year - 1, 11


def previous_edition(edition: tuple[int, int]) -> tuple[int, int]:
    year, month = edition
    return (year, 6) if month == 11 else (year - 1, 11)


# --- fetch ------------------------------------------------------------------------------------


def local_xlsx_setting() -> str | None:
    """``CADENA_TOP500_XLSX``: a list file downloaded by hand, or a glob of several."""
    return config.secret(XLSX_ENV)


def login_credentials() -> tuple[str, str] | None:
    """``TOP500_USERNAME`` and ``TOP500_PASSWORD``, when both are set."""
    username, password = config.secret(USERNAME_ENV), config.secret(PASSWORD_ENV)
    return (username, password) if username and password else None


def _today() -> date:
    return date.today()


def fetch(ctx) -> None:
    if ctx.offline:
        _download_newest_offline(ctx, _today())
    elif pattern := local_xlsx_setting():
        _add_local_files(ctx, pattern)
    elif credentials := login_credentials():
        _login(ctx, *credentials)
        _download_latest(ctx, _today())
    else:
        raise SourceSkipped(
            NAME,
            f"set {XLSX_ENV} to a TOP500_YYYYMM.xlsx list file (or a glob of several) downloaded from "
            f"top500.org, or {USERNAME_ENV} and {PASSWORD_ENV} of a free top500.org account "
            "(see .env.example)",
        )


def _add_local_files(ctx, pattern: str) -> None:
    expanded = os.path.expanduser(pattern)
    paths = sorted(Path(p) for p in glob.glob(expanded) if Path(p).is_file())
    if not paths:
        raise FetchError(NAME, f"file://{expanded}", f"no file matches {XLSX_ENV}")
    seen: dict[str, Path] = {}
    for path in paths:
        edition = edition_of(path.name)
        if edition is None:
            hint = " (an old .xls list: save it as .xlsx)" if path.suffix.lower() == ".xls" else ""
            raise FetchError(NAME, path.resolve().as_uri(),
                             f"cannot tell the list edition: name the file TOP500_YYYYMM.xlsx{hint}")
        name = file_name(edition)
        if name in seen:
            raise FetchError(NAME, path.resolve().as_uri(), f"edition {name} given twice (also {seen[name]})")
        seen[name] = path
        ctx.add_file(name, path.read_bytes(), path.resolve().as_uri())


def login_form(html: bytes, page_url: str, username: str, password: str) -> tuple[str, dict[str, str]]:
    """The login form's target URL and its fields filled in: hidden inputs (the CSRF token) kept."""
    soup = BeautifulSoup(html, "html.parser")
    form = next((f for f in soup.find_all("form") if f.find("input", attrs={"type": "password"})), None)
    if form is None:
        raise FetchError(NAME, page_url, "no login form (no password field) on the login page")
    fields = {
        i["name"]: i.get("value", "")
        for i in form.find_all("input")
        if i.get("name") and (i.get("type") or "text").lower() == "hidden"
    }
    if "csrfmiddlewaretoken" not in fields:
        raise FetchError(NAME, page_url, "the login form has no csrfmiddlewaretoken")
    user = form.find("input", attrs={"name": ["login", "username", "email"]}) or form.find(
        "input", attrs={"type": ["text", "email"]})
    if user is None or not user.get("name"):
        raise FetchError(NAME, page_url, "the login form has no username field")
    fields[user["name"]] = username
    fields[form.find("input", attrs={"type": "password"})["name"]] = password
    return urljoin(page_url, form.get("action") or page_url), fields


def _login(ctx, username: str, password: str) -> None:
    page = ctx.request("GET", LOGIN_URL)
    action, fields = login_form(page.content, page.url, username, password)
    done = ctx.request("POST", action, data=fields, headers={"Referer": page.url})
    if urlsplit(done.url).path.startswith(urlsplit(LOGIN_URL).path):
        raise FetchError(NAME, LOGIN_URL, f"login refused: check {USERNAME_ENV} and {PASSWORD_ENV}")


def _download(ctx, edition: tuple[int, int]) -> None:
    url = download_url(edition)
    content = ctx.get(file_name(edition), url)
    if not content.startswith(b"PK"):  # an XLSX is a ZIP; HTML here is the login page again
        head = content[:40].decode("utf-8", "replace").replace("\n", " ")
        raise FetchError(NAME, url, f"not an XLSX workbook (not logged in?); starts {head!r}")


def _download_latest(ctx, today: date) -> None:
    edition = latest_edition(today)
    try:
        _download(ctx, edition)
    except FetchError as exc:
        if exc.status != 404:
            raise
        _download(ctx, previous_edition(edition))  # the newest list is not out yet


def _download_newest_offline(ctx, today: date) -> None:
    """Offline, the newest edition the offline transport has: the shipped sample
    (``SAMPLE_EDITION``) or a replayed capture of another edition (see
    ``ingestors.core.replay``); each missing edition answers 404."""
    edition = latest_edition(today)
    for _ in range(OFFLINE_EDITIONS_TRIED - 1):
        try:
            _download(ctx, edition)
            return
        except FetchError as exc:
            if exc.status != 404:
                raise
        edition = previous_edition(edition)
    _download(ctx, edition)


# --- parse ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One table field, read from the first of ``headers`` present; each header with the divisor to its unit."""

    field: str
    headers: tuple[tuple[str, int], ...]
    kind: str  # text | int | float
    required: bool = False

    @property
    def label(self) -> str:
        return self.headers[0][0]


@dataclass(frozen=True)
class Found:
    """Where a column sits in one sheet: its index, the header as written, the divisor to the table's unit."""

    index: int
    header: str
    divisor: int = 1


COLUMNS = (
    Column("rank", (("Rank", 1),), "int", required=True),
    Column("name", (("Name", 1),), "text"),
    Column("computer", (("Computer", 1),), "text", required=True),
    Column("site", (("Site", 1),), "text", required=True),
    Column("manufacturer", (("Manufacturer", 1),), "text"),
    Column("country", (("Country", 1),), "text", required=True),
    Column("year", (("Year", 1),), "int"),
    Column("segment", (("Segment", 1),), "text"),
    Column("total_cores", (("Total Cores", 1), ("Cores", 1)), "int", required=True),
    Column("accelerator_cores", (("Accelerator/Co-Processor Cores", 1), ("Accelerator Cores", 1)), "int"),
    # Older lists give Rmax / Rpeak in GFlop/s, without a unit in the header.
    Column("rmax_tflops", (("Rmax [TFlop/s]", 1), ("Rmax", 1000)), "float", required=True),
    Column("rpeak_tflops", (("Rpeak [TFlop/s]", 1), ("Rpeak", 1000)), "float"),
    Column("power_kw", (("Power (kW)", 1), ("Power", 1)), "float"),
    Column("accelerator", (("Accelerator/Co-Processor", 1),), "text"),
    Column("processor", (("Processor", 1),), "text"),
    Column("system_id", (("System ID", 1),), "text"),  # text in the sheet
    Column("site_id", (("Site ID", 1),), "text"),  # a number in the sheet
)


def _norm(header: Any) -> str:
    return " ".join(str(header).split()).casefold() if header is not None else ""


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() or None


def _number(header: str, value: Any) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise RecordError(f"{header}: not a number: {value!r}")
    if isinstance(value, str):
        return parse_number(header, value)
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        raise RecordError(f"{header}: not a finite number: {value!r}")
    return value


def _value(column: Column, found: Found, value: Any) -> Any:
    if column.kind == "text":
        return _text(value)
    number = _number(found.header, value)
    if number is None:
        return None
    if column.kind == "int":
        if not float(number).is_integer():
            raise RecordError(f"{found.header}: not a whole number: {value!r}")
        return int(number)
    return float(number) / found.divisor


def _open_sheet(snapshot, name: str):
    """The workbook and its list sheet; fails the source when either cannot be had."""
    data = snapshot.read_bytes(name)
    if data[:2] == b"PK":  # an XLSX is a ZIP: refuse one that unpacks past the cap before openpyxl does
        snapshot.open_zip(name, max_members=10_000, max_bytes=MAX_UNPACKED_XLSX_BYTES).close()
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        head = data[:40].decode("utf-8", "replace").replace("\n", " ")
        raise snapshot.error(f"not an XLSX workbook ({type(exc).__name__}); starts {head!r}", file=name) from None
    sheet = next((ws for ws in workbook.worksheets if _norm(ws.title) == SHEET), None)
    if sheet is None:
        workbook.close()
        raise snapshot.error(f"no sheet {SHEET!r} (sheets: {', '.join(workbook.sheetnames)})", file=name)
    return workbook, sheet


def _header(snapshot, name: str, rows: Iterator[tuple]) -> tuple[dict[str, Found], tuple]:
    """Read the header row from ``rows``: where each field's column is, and the header cells."""
    for _ in range(HEADER_SEARCH_ROWS):
        cells = next(rows, None)
        if cells is None:
            break
        index = {_norm(h): i for i, h in reversed(list(enumerate(cells))) if h is not None}
        if "rank" not in index:
            continue
        found: dict[str, Found] = {}
        missing = []
        for column in COLUMNS:
            hit = next((Found(index[_norm(h)], str(cells[index[_norm(h)]]).strip(), divisor)
                        for h, divisor in column.headers if _norm(h) in index), None)
            if hit is not None:
                found[column.field] = hit
            elif column.required:
                missing.append(column.label)
        if missing:
            raise snapshot.error(f"sheet {SHEET!r}: required column(s) missing: {', '.join(missing)}", file=name)
        return found, cells
    raise snapshot.error(f"sheet {SHEET!r}: no header row with 'Rank' in the first {HEADER_SEARCH_ROWS} rows",
                         file=name)


def system(columns: dict[str, Found], cells: tuple, edition: str) -> dict:
    """The table row for one sheet row; raises RecordError naming the column that cannot be read."""
    data: dict[str, Any] = {"list_edition": edition}
    for column in COLUMNS:
        if column.field not in columns:
            data[column.field] = None
            continue
        found = columns[column.field]
        value = _value(column, found, cells[found.index] if found.index < len(cells) else None)
        if value is None and column.required:
            raise RecordError(f"{found.header}: empty")
        data[column.field] = value
    if data["rmax_tflops"] <= 0:
        raise RecordError(f"{columns['rmax_tflops'].header}: not positive: {data['rmax_tflops']!r}")
    if data["accelerator"] is not None and fold(data["accelerator"]) == "none":
        data["accelerator"] = None
    data["accelerator_model"] = canonical_gpu_model(data["accelerator"])
    country = lookup_name(data["country"])
    data["country_iso2"] = country.iso2 if country else None
    data["is_latam"] = country is not None
    return data


def _raw(header: tuple, cells: tuple) -> dict[str, Any]:
    """A rejected row as {header: value}, for the quarantine."""
    return {str(h): v for h, v in zip(header, cells, strict=False) if h is not None}


def parse(snapshot) -> Iterator[Record | Reject]:
    names = [n for n in snapshot.names() if edition_of(n)]
    if not names:
        raise snapshot.error("no TOP500_YYYYMM.xlsx list file in the snapshot")
    for name in names:
        year, month = edition_of(name)
        edition = f"{year:04d}-{month:02d}"
        fallback_url = list_url((year, month))
        workbook, sheet = _open_sheet(snapshot, name)
        try:
            rows = sheet.iter_rows(values_only=True)
            columns, header = _header(snapshot, name, rows)
            for n, cells in enumerate(rows, start=1):
                if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells):
                    continue  # blank rows at the end of a sheet
                try:
                    data = system(columns, cells, edition)
                except RecordError as exc:
                    i = columns["rank"].index
                    rank = cells[i] if i < len(cells) else None
                    record_id = f"{edition}/{rank}" if isinstance(rank, int) else f"{edition}/data row {n}"
                    yield Reject(TABLE, record_id, str(exc), _raw(header, cells))
                    continue
                system_id = data["system_id"]
                yield Record(
                    TABLE, data, record_id=f"{edition}/{data['rank']}",
                    record_url=f"{SITE}/system/{system_id}/" if system_id else fallback_url,
                )
        finally:
            workbook.close()


SOURCE = Source(
    name=NAME,
    family="capacity",
    title="TOP500 supercomputers",
    endpoint=('TOP500 list workbook: a downloaded file (`CADENA_TOP500_XLSX`, a glob of several editions gives '
              'history) or a top500.org login; skipped without either'),
    description="Every system of each TOP500 list edition loaded: site, country (LatAm flagged), cores, "
                "accelerators, Rmax/Rpeak and power.",
    homepage=f"{SITE}/lists/top500/",
    licence="TOP500 list, © TOP500.org; free registration required",
    cadence="monthly",
    tables=(
        Table(TABLE, System, ("list_edition", "rank"),
              "One row per system per list edition (all 500, LatAm or not); performance in TFlop/s, "
              "power in kW, the accelerator as published and as a canonical model."),
    ),
    fetch=fetch,
    parse=parse,
    plan=FetchPlan(
        rate_limits={HOST: 0.5},
        # Only the sample's own edition: offline tries editions newest first until one answers.
        sample_routes={download_url(SAMPLE_EDITION).removeprefix("https://"): file_name(SAMPLE_EDITION)},
    ),
)
