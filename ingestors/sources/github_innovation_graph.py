"""GitHub Innovation Graph: developers, repositories, organisations and git pushes per economy and quarter.

Endpoint: the CSV files of the public repository github.com/github/innovationgraph,
read raw from ``https://raw.githubusercontent.com/github/innovationgraph/main/data/<metric>.csv``.
Four files, about 80 KB each; four conditional requests per run. CC0. GitHub
rewrites the files once a quarter (the old ones stay in the git history).

Format traps (``datapackage.json`` and ``docs/datasheet.md`` in the repository):

* each file is ``<metric>,iso2_code,year,quarter``: the **value comes first**
  and its column is named after the file (``developers``, ``repositories``,
  ``organizations``, ``git_pushes``); read by name;
* ``iso2_code`` is ISO 3166-1 alpha-2, plus ``EU``, the European Union as one
  economy **beside** its members (Germany is in ``EU`` and in ``DE``), and
  ``XK`` (Kosovo). Summing every economy double-counts the EU: world totals are
  not computed here;
* an economy-quarter with fewer than 100 developers doing the activity is
  **left out** (GitHub's privacy threshold), so a missing row is "under 100",
  not zero; the smaller Caribbean economies come and go;
* location is the developer's mode IP location in the quarter; repositories
  and organisations take their members' mode location. Counts include
  accounts and repositories no longer active (cumulative, not active users).

Every economy is kept (LatAm countries flagged with ``country_iso2``) so that
a LatAm figure can be read against the United States or the EU. A file whose
header is not ``<metric>,iso2_code,year,quarter`` fails the source; a row
whose numbers cannot be read is quarantined on its own.
"""

from __future__ import annotations

from collections.abc import Iterator

from ingestors.core.errors import RecordError
from ingestors.core.registry import FetchPlan, Record, Reject, Row, Source, Table
from ingestors.domain import numbers
from ingestors.domain.countries import by_iso2

NAME = "github_innovation_graph"
HOST = "raw.githubusercontent.com"
BASE = f"https://{HOST}/github/innovationgraph/main/data"
HOMEPAGE = "https://innovationgraph.github.com/"
METRICS = ("developers", "repositories", "organizations", "git_pushes")
TABLE = "economy_quarters"


class EconomyQuarter(Row):
    metric: str  # the file the count comes from: developers, repositories, organizations or git_pushes
    economy_code: str  # iso2_code as published: ISO2, or EU (the European Union beside its members) or XK
    country_iso2: str | None  # ISO2 of a LatAm economy; null for every other economy
    year: int  # calendar year of the quarter
    quarter: int  # quarter of the year, 1 to 4
    value: int  # the count; economy-quarters under GitHub's 100-developer threshold have no row


def file_name(metric: str) -> str:
    return f"{metric}.csv"


def url(metric: str) -> str:
    return f"{BASE}/{file_name(metric)}"


def fetch(ctx) -> None:
    for metric in METRICS:
        ctx.get(file_name(metric), url(metric))


def _whole(column: str, text: str, low: int = 0, high: int | None = None) -> int:
    value = numbers.parse_int(column, text, minimum=low)
    if value is None:
        raise RecordError(f"{column} is empty")
    if high is not None and value > high:
        raise RecordError(f"{column}: above {high}: {value}")
    return value


def read_rows(snapshot, metric: str) -> Iterator[tuple[int, list[str]]]:
    name = file_name(metric)
    header, *rows = snapshot.read_csv(name) or [[]]
    header = [c.strip() for c in header]
    expected = [metric, "iso2_code", "year", "quarter"]
    if header != expected:
        raise snapshot.error(f"expected the header {','.join(expected)}; got {','.join(header)[:60]!r}", file=name)
    for line, cells in enumerate(rows, start=2):
        if any(c.strip() for c in cells):
            yield line, cells


def economy_quarter(metric: str, cells: list[str]) -> dict:
    if len(cells) != 4:
        raise RecordError(f"row has {len(cells)} cells, expected 4")
    value, code, year, quarter = (c.strip() for c in cells)
    if not code:
        raise RecordError("iso2_code is empty")
    country = by_iso2().get(code)
    return {"metric": metric, "economy_code": code, "country_iso2": country.iso2 if country else None,
            "year": _whole("year", year, 2000, 2100), "quarter": _whole("quarter", quarter, 1, 4),
            "value": _whole(metric, value)}


def parse(snapshot) -> Iterator[Record | Reject]:
    for metric in METRICS:
        for line, cells in read_rows(snapshot, metric):
            try:
                data = economy_quarter(metric, cells)
            except RecordError as exc:
                yield Reject(TABLE, f"{file_name(metric)} line {line}", str(exc), cells)
                continue
            yield Record(TABLE, data, record_url=url(metric),
                         record_id=f"{metric}/{data['economy_code']}/{data['year']}Q{data['quarter']}")


SOURCE = Source(
    name=NAME,
    family="organisations",
    title="GitHub Innovation Graph",
    endpoint=("github.com/github/innovationgraph `data/{developers,repositories,organizations,git_pushes}.csv` "
              "(raw), every economy per quarter"),
    description="Developers, repositories, organisations and git pushes on GitHub per economy and quarter "
                "since 2020 (LatAm economies flagged), from GitHub's public Innovation Graph CSVs.",
    homepage=HOMEPAGE,
    licence="CC0 1.0",
    cadence="monthly",  # GitHub publishes quarterly; a monthly look picks a release up within weeks
    tables=(
        Table(TABLE, EconomyQuarter, ("metric", "economy_code", "year", "quarter"),
              "One count per metric, economy and quarter; economy-quarters under GitHub's 100-developer "
              "threshold are absent.", min_rows=20),
    ),
    fetch=fetch,
    parse=parse,
    plan=FetchPlan(
        rate_limits={HOST: 1.0},
        max_requests=len(METRICS),  # one CSV per metric
    ),
)
