"""Epoch AI's GPU clusters data set, kept for clusters in Latin America.

Endpoint: ``https://epoch.ai/data/gpu_clusters.csv``, one CSV, no auth, CC BY 4.0.

Format traps:

* the columns drift (55 or so, renamed and added over time): the file is read
  by header name, unknown columns are ignored, and the source fails with the
  names of any required column that disappears;
* copies re-saved by a spreadsheet carry ``M/D/YYYY`` dates and numbers like
  ``9.90E+22``; Epoch's own file may use ISO ``YYYY-MM-DD``. Both are read, and
  so is a bare ``YYYY-MM`` (seen in "Decommissioned Date"), as the 1st of the month;
* quoted fields hold newlines and doubled quotes (notes, quotes, addresses), so
  the file is parsed with :mod:`csv`, never split on lines;
* ``Country`` may list several countries joined by commas; a cluster is kept
  when at least one of them is a LatAm country (``ingestors.domain.countries``);
* flags are ``Yes``/``No``/``Unclear`` ("Single cluster?") or ``TRUE``/empty
  ("Include in Standard Analysis"): ``Unclear`` and empty become null;
* sources sit in ``Source 1`` ... ``Source 5`` (any ``Source N`` column is read);
* an upgrade is a new row: the later row names the earlier in "Builds Upon",
  and the earlier names the later in "Superseded by" once the upgrade operates
  (https://epoch.ai/data/gpu-clusters-documentation/records). Both rows stay
  "Existing", so a sum over existing rows counts the upgraded cluster twice
  unless superseded rows are left out (``fct_gpu_clusters``). A later phase
  that is still planned names its earlier phase in "Builds Upon" only.

A kept row whose number, date or flag cannot be read is quarantined with the
column and the value named.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from datetime import date

from ingestors.core.errors import RecordError
from ingestors.core.registry import FetchPlan, Record, Reject, Row, Source, Table
from ingestors.domain import numbers
from ingestors.domain.countries import lookup_name
from ingestors.domain.numbers import parse_number

CSV_URL = "https://epoch.ai/data/gpu_clusters.csv"
FILE = "gpu_clusters.csv"
TABLE = "clusters"

NAME, COUNTRY = "Name", "Country"
TEXT_COLUMNS = {
    "status": "Status",
    "certainty": "Certainty",
    "owner": "Owner",
    "sector": "Sector",
    "location": "Location",
    "users": "Users",
    "chip_type": "Chip type (primary)",
    "builds_upon": "Builds Upon",
    "superseded_by": "Superseded by",
}
NUMBER_COLUMNS = {
    "chip_quantity": "Chip quantity (primary)",
    "total_ai_chips": "Total number of AI chips",
    "h100_equivalents": "H100 equivalents",
    "power_capacity_mw": "Power Capacity (MW)",
    "calculated_power_mw": "Calculated Power Capacity (MW)",
    "reported_power_mw": "Reported Power Capacity (MW)",
    "hardware_cost_usd": "Hardware Cost",
}
DATE_COLUMNS = {
    "first_operational_date": "First Operational Date",
    "decommissioned_date": "Decommissioned Date (if applicable)",
}
FLAG_COLUMNS = {
    "single_cluster": "Single cluster?",
    "include_in_standard_analysis": "Include in Standard Analysis",
}
FIRST_SOURCE = "Source 1"
REQUIRED_COLUMNS = (
    NAME,
    COUNTRY,
    *TEXT_COLUMNS.values(),
    *NUMBER_COLUMNS.values(),
    *DATE_COLUMNS.values(),
    *FLAG_COLUMNS.values(),
    FIRST_SOURCE,
)

_SOURCE_COLUMN = re.compile(r"Source (\d+)")
DATE_FORMATS = ("%m/%d/%Y", "%Y-%m-%d", "%Y-%m")  # Epoch writes 3/14/2024; some rows give a month only
_TRUE, _FALSE, _UNKNOWN = (
    {"true", "yes", "y", "1"},
    {"false", "no", "n", "0"},
    {"", "unclear", "unknown"},
)


class Cluster(Row):
    name: str
    status: str | None
    certainty: str | None
    country_names: list[str]
    country_iso2s: list[str]  # the LatAm ones among country_names, in order
    owner: str | None
    sector: str | None
    location: str | None
    users: str | None
    chip_type: str | None
    builds_upon: str | None  # the earlier cluster this one upgrades (its name)
    superseded_by: str | None  # the later cluster that upgrades this one (its name)
    chip_quantity: float | None
    total_ai_chips: float | None
    h100_equivalents: float | None
    power_capacity_mw: float | None
    calculated_power_mw: float | None
    reported_power_mw: float | None
    hardware_cost_usd: float | None
    first_operational_date: date | None
    decommissioned_date: date | None
    single_cluster: bool | None
    include_in_standard_analysis: bool | None
    source_urls: list[str]


def parse_date(column: str, value: str) -> date | None:
    return numbers.parse_date(column, value, DATE_FORMATS)


def _flag(column: str, value: str) -> bool | None:
    text = value.strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if text in _UNKNOWN:
        return None
    raise RecordError(f"{column}: not yes/no/true/false: {value!r}")


def clean_text(value: str) -> str | None:
    return value.strip() or None


def misaligned_reason(row: dict, width: int) -> str | None:
    """Why a row's cells do not line up with the header, if they don't."""
    if extra := row.get(None):  # DictReader files surplus cells under the key None
        return f"row has {width + len(extra)} cells, the header {width}"
    if short := sum(value is None for value in row.values()):
        return f"row has {width - short} cells, the header {width}"
    return None


def countries(cell: str) -> tuple[list[str], list[str]]:
    """Split a Country cell into its names and the ISO2 codes of the LatAm ones among them."""
    names = [part.strip() for part in cell.split(",") if part.strip()]
    iso2s: list[str] = []
    for name in names:
        country = lookup_name(name)
        if country is not None and country.iso2 not in iso2s:
            iso2s.append(country.iso2)
    return names, iso2s


def _cluster(
    row: dict[str, str], names: list[str], iso2s: list[str], source_columns: list[str]
) -> dict:
    """The table row for one CSV row; raises RecordError naming the column that cannot be read."""
    data: dict = {"name": row[NAME].strip(), "country_names": names, "country_iso2s": iso2s}
    data.update({field: clean_text(row[col]) for field, col in TEXT_COLUMNS.items()})
    data.update({field: parse_number(col, row[col]) for field, col in NUMBER_COLUMNS.items()})
    data.update({field: parse_date(col, row[col]) for field, col in DATE_COLUMNS.items()})
    data.update({field: _flag(col, row[col]) for field, col in FLAG_COLUMNS.items()})
    data["source_urls"] = [url for col in source_columns if (url := (row[col] or "").strip())]
    return data


def fetch(ctx) -> None:
    ctx.get(FILE, CSV_URL)


def read_csv(snapshot, file: str) -> csv.DictReader:
    """An Epoch CSV as a DictReader; a payload that is not UTF-8 CSV fails the source."""
    text = snapshot.read_text(file, expected="CSV")
    return csv.DictReader(io.StringIO(text, newline=""))


def latam_records(reader: csv.DictReader, *, table: str, country_column: str, name_column: str,
                  build: Callable[[dict, list[str], list[str]], tuple[dict, str]]) -> Iterator[Record | Reject]:
    """The row loop both Epoch data sets share: keep rows with a LatAm country, refuse misaligned
    rows and rows without a name, and turn a :class:`RecordError` from ``build`` into a Reject.
    ``build(row, country_names, latam_iso2s)`` returns the record's data and its URL."""
    width = len(reader.fieldnames or [])
    for index, row in enumerate(reader, start=1):
        names, iso2s = countries(row.get(country_column) or "")
        if not iso2s:
            continue  # nothing in LatAm
        name = (row.get(name_column) or "").strip()
        record_id = name or f"row {index}"
        if misaligned := misaligned_reason(row, width):
            yield Reject(table, record_id, misaligned, row)
            continue
        if not name:
            yield Reject(table, record_id, f"{name_column} is empty", row)
            continue
        try:
            data, url = build(row, names, iso2s)
        except RecordError as exc:
            yield Reject(table, record_id, str(exc), row)
            continue
        yield Record(table, data, record_id=name, record_url=url)


def parse(snapshot) -> Iterator[Record | Reject]:
    reader = read_csv(snapshot, FILE)
    header = reader.fieldnames or []
    missing = [col for col in REQUIRED_COLUMNS if col not in header]
    if missing:
        raise snapshot.error(f"required column(s) missing: {', '.join(missing)}", file=FILE)
    source_columns = sorted(
        (c for c in header if _SOURCE_COLUMN.fullmatch(c)),
        key=lambda c: int(_SOURCE_COLUMN.fullmatch(c)[1]),
    )
    csv_url = snapshot.url_of(FILE)

    def build(row: dict, names: list[str], iso2s: list[str]) -> tuple[dict, str]:
        data = _cluster(row, names, iso2s, source_columns)
        urls = data["source_urls"]
        return data, urls[0] if urls else csv_url

    yield from latam_records(reader, table=TABLE, country_column=COUNTRY, name_column=NAME, build=build)


SOURCE = Source(
    name="epoch_gpu_clusters",
    family="capacity",
    title="Epoch AI GPU clusters",
    endpoint='`epoch.ai/data/gpu_clusters.csv` (read by column name)',
    description="GPU clusters and AI supercomputers located (at least partly) in LatAm countries.",
    homepage="https://epoch.ai/data/gpu-clusters",
    licence="Epoch AI, CC BY 4.0",
    cadence="weekly",
    tables=(
        Table(
            TABLE,
            Cluster,
            ("name",),
            "One row per GPU cluster whose Country includes a LatAm country; figures as Epoch "
            "reports them (chips, H100-equivalents, MW, USD), dates as dates.",
        ),
    ),
    fetch=fetch,
    parse=parse,
    plan=FetchPlan(
        rate_limits={"epoch.ai": 1.0},
    ),
)
