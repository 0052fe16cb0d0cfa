"""GitHub Innovation Graph: value-first CSVs read by name, EU kept as published, LatAm flagged, real excerpts."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from ingestors.core.errors import PayloadError
from ingestors.core.offline import SAMPLES_DIR
from ingestors.core.pipeline import run_source
from ingestors.domain.countries import by_iso2
from ingestors.sources import github_innovation_graph as graph
from tests.ingestors.helpers import parse_files

SAMPLES = SAMPLES_DIR / "github_innovation_graph"
FIXTURES = Path(__file__).parent / "fixtures" / "github_innovation_graph"
FILES = tuple(graph.file_name(m) for m in graph.METRICS)
ANY_SIZE = replace(graph.SOURCE, tables=tuple(replace(t, min_rows=0) for t in graph.SOURCE.tables))


def _parse(tmp_path: Path, replaced: dict[str, bytes | Path] | None = None, source=graph.SOURCE):
    return parse_files(tmp_path, source, {**{n: SAMPLES / n for n in FILES}, **(replaced or {})})


def _values(result) -> dict[tuple[str, str, int, int], int]:
    return {(r["metric"], r["economy_code"], r["year"], r["quarter"]): r["value"]
            for r in result.rows["economy_quarters"]}


def test_parse_sample(tmp_path):
    result = _parse(tmp_path)
    values = _values(result)
    assert len(values) == 4 * 15 + 1  # and Brazil 2024 Q1, for a year-on-year change
    assert values[("developers", "BR", 2025, 1)] == 6_760_123
    assert values[("organizations", "KN", 2025, 1)] == 101
    assert ("developers", "KN", 2024, 4) not in values  # under the threshold that quarter: absent, not zero
    flagged = {(r["economy_code"], r["country_iso2"]) for r in result.rows["economy_quarters"]}
    assert ("EU", None) in flagged and ("US", None) in flagged and ("BR", "BR") in flagged
    assert [(q["record_id"], q["reason"]) for q in result.quarantine] == [
        ("developers.csv line 18", "developers: not a whole number: '1234.5'")]
    row = next(r for r in result.rows["economy_quarters"] if r["economy_code"] == "MX")
    assert row["_record_url"] == "https://raw.githubusercontent.com/github/innovationgraph/main/data/developers.csv"
    assert row["_record_id"] == "developers/MX/2024Q4"


@pytest.mark.parametrize(("line", "reason"), [
    ("100,BR,2025,5", "quarter: above 4: 5"),
    ("100,BR,twenty,1", "year: not a number: 'twenty'"),
    ("-3,BR,2025,1", "repositories: below 0: '-3'"),
    ("100,BR,2025,", "quarter is empty"),
    ("100,,2025,1", "iso2_code is empty"),
    ("100,BR,2025", "row has 3 cells, expected 4"),
])
def test_an_unreadable_row_is_quarantined_alone(tmp_path, line, reason):
    text = f"repositories,iso2_code,year,quarter\n250,CL,2025,1\n{line}\n"
    result = _parse(tmp_path, {"repositories.csv": text.encode()}, ANY_SIZE)
    assert [(q["record_id"], q["reason"]) for q in result.quarantine
            if q["record_id"].startswith("repositories")] == [("repositories.csv line 3", reason)]
    assert _values(result)[("repositories", "CL", 2025, 1)] == 250


@pytest.mark.parametrize(("text", "reason"), [
    (b"iso2_code,year,quarter,developers\nBR,2025,1,5\n",
     "developers.csv: expected the header developers,iso2_code,year,quarter; got 'iso2_code,year,quarter,developers'"),
    (b"404: Not Found", "developers.csv: expected the header developers,iso2_code,year,quarter; got '404: Not Found'"),
    (b"", "developers.csv: expected the header developers,iso2_code,year,quarter; got ''"),
])
def test_a_wholly_bad_file_fails_the_source(tmp_path, text, reason):
    with pytest.raises(PayloadError) as exc:
        _parse(tmp_path, {"developers.csv": text})
    assert str(exc.value).startswith("github_innovation_graph: bad payload in snapshot ")
    assert reason in str(exc.value) and "\n" not in str(exc.value)


def test_fetch_asks_for_the_four_files(settings):
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=(SAMPLES / request.url.path.rsplit("/", 1)[-1]).read_bytes())

    result = run_source(graph.SOURCE, settings, transport=httpx.MockTransport(handler))
    assert (result.status, result.rows, result.quarantined) == ("loaded", {"economy_quarters": 61}, 1)
    assert [str(r.url) for r in seen] == [
        f"https://raw.githubusercontent.com/github/innovationgraph/main/data/{m}.csv" for m in graph.METRICS]


@pytest.mark.parametrize("metric", ["developers", "repositories"])
def test_real_capture_excerpt(tmp_path, metric):
    """Excerpts of the real files (github.com/github/innovationgraph, commit 8faec9d, 2026-03-26): the header and
    every LatAm, US and EU row of 2025 Q3, unaltered. 48 of the 49 LatAm economies pass the threshold that quarter
    (not Saint Barthélemy)."""
    excerpt = FIXTURES / f"{metric}-2025q3-excerpt.csv"
    result = _parse(tmp_path, {f"{metric}.csv": excerpt})
    rows = [r for r in result.rows["economy_quarters"] if r["metric"] == metric]
    assert result.quarantine == [q for q in result.quarantine if q["record_id"].startswith("developers.csv line 18")]
    assert len(rows) == 50 and {(r["year"], r["quarter"]) for r in rows} == {(2025, 3)}
    latam = {r["country_iso2"] for r in rows if r["country_iso2"]}
    assert set(by_iso2()) - latam == {"BL"}
    values = {r["economy_code"]: r["value"] for r in rows}
    assert values["US"] > values["BR"] > values["MX"] > values["KN"]
    assert {r["country_iso2"] for r in rows if r["economy_code"] in ("US", "EU")} == {None}
