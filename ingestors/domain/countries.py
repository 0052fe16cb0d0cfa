"""The LatAm country list. Its single home is the dbt seed ``latam_countries.csv``."""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import cache

from ingestors.core.config import REPO_ROOT

SEED = REPO_ROOT / "dbt_project" / "seeds" / "latam_countries.csv"


@dataclass(frozen=True)
class Country:
    iso2: str
    iso3: str
    name_en: str
    name_es: str
    name_pt: str
    iso_short_name: str
    telegeography_name: str
    subregion: str
    is_sovereign: bool


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a name: 'Curaçao ' -> 'curacao'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


@cache
def latam() -> tuple[Country, ...]:
    with SEED.open(encoding="utf-8") as fh:
        return tuple(
            Country(**{**row, "is_sovereign": row["is_sovereign"] == "true"}) for row in csv.DictReader(fh)
        )


@cache
def by_iso2() -> dict[str, Country]:
    return {c.iso2: c for c in latam()}


@cache
def by_iso3() -> dict[str, Country]:
    return {c.iso3: c for c in latam()}


@cache
def _by_name() -> dict[str, Country]:
    names: dict[str, Country] = {}
    for c in latam():
        for name in (c.name_en, c.name_es, c.name_pt, c.iso_short_name, c.telegeography_name):
            names.setdefault(fold(name), c)
    return names


def lookup_name(name: str) -> Country | None:
    """The LatAm country a name (in English, Spanish, Portuguese or ISO form) refers to, if any."""
    return _by_name().get(fold(name))
