"""The ILIA seed: every value cited, written as the page writes it, on ILIA's scale, for a LatAm country."""

from __future__ import annotations

import csv
from datetime import date

from ingestors.core.config import REPO_ROOT
from ingestors.domain.countries import by_iso2

SEED = REPO_ROOT / "dbt_project" / "seeds" / "ilia_scores.csv"


def _rows() -> list[dict[str, str]]:
    with SEED.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_every_value_is_cited_and_read_as_published():
    rows = _rows()
    assert rows
    for row in rows:
        where = f"{row['edition']} {row['country_iso2'] or 'region'} {row['dimension']} {row['source_url']}"
        assert row["source_url"].startswith("https://"), where
        assert row["source_publisher"], where
        date.fromisoformat(row["accessed_on"])
        assert float(row["score"]) == float(row["score_as_published"].replace(",", ".")), where
        assert 0 < float(row["score"]) <= 100, where
        assert row["edition"] in {"2023", "2024", "2025"}, where
        assert row["category"] in {"", "pioneer", "adopter", "explorer"}, where
        assert row["country_iso2"] == "" or row["country_iso2"] in by_iso2(), where
        if row["country_iso2"] == "":
            assert row["note"], f"{where}: an aggregate row says what it is"


def test_one_row_per_edition_country_dimension_and_page():
    keys = [(r["edition"], r["country_iso2"], r["dimension"], r["source_url"]) for r in _rows()]
    assert len(keys) == len(set(keys))


def test_conflicting_values_are_kept_side_by_side():
    chile_2025 = {r["score_as_published"] for r in _rows()
                  if (r["edition"], r["country_iso2"], r["dimension"]) == ("2025", "CL", "overall")}
    assert {"70,5", "70,56", "73,07"} <= chile_2025


def test_editions_cover_the_countries_their_pages_list():
    by_edition: dict[str, set[str]] = {}
    for r in _rows():
        if r["country_iso2"] and r["dimension"] == "overall":
            by_edition.setdefault(r["edition"], set()).add(r["country_iso2"])
    assert len(by_edition["2023"]) == 12 and len(by_edition["2025"]) == 19
