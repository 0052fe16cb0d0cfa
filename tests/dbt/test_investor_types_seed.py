"""The investor_types seed: each row is typed and cited, and a row tied to the registry agrees with its entry.

dim_investors reads only this seed for an investor's type and home country, so a registry investor that is
missing here stays 'unknown', and one whose country differs from its registry ``hq.country`` would be
misplaced in the foreign-vs-local capital mart. (Development banks are ``public_institute`` in the registry.)
"""

from __future__ import annotations

import csv
from datetime import date

from ingestors.core.config import REPO_ROOT
from ingestors.domain import curated
from ingestors.domain.countries import ISO3166_ALPHA2

SEED = REPO_ROOT / "dbt_project" / "seeds" / "investor_types.csv"
TYPES = {"vc", "corporate_vc", "angel", "accelerator", "development_bank_or_multilateral", "government", "bank",
         "private_equity", "family_office"}


def _rows() -> list[dict[str, str]]:
    with SEED.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_every_row_is_typed_located_and_cited():
    rows = _rows()
    assert rows
    for row in rows:
        where = row["investor_name"]
        assert row["investor_type"] in TYPES, where
        assert row["home_country_iso2"] in ISO3166_ALPHA2, where
        assert row["source_url"].startswith(("http://", "https://")), where
        date.fromisoformat(row["source_date"])


def test_names_and_aliases_name_one_investor_each():
    seen: dict[str, str] = {}
    for row in _rows():
        for spelling in [row["investor_name"], *filter(None, row["aliases"].split("|"))]:
            key = spelling.strip().casefold()
            assert seen.setdefault(key, row["investor_name"]) == row["investor_name"], spelling


def test_registry_rows_match_the_registry_investor():
    orgs = {entry.organization.id: entry.organization for entry in curated.valid_entries()}
    for row in _rows():
        if not row["registry_id"]:
            continue
        org = orgs.get(row["registry_id"])
        assert org is not None, f"{row['investor_name']}: no registry entry {row['registry_id']!r}"
        assert org.hq.country == row["home_country_iso2"], row["registry_id"]
        assert org.name == row["investor_name"], row["registry_id"]
