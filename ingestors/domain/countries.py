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


# Every officially assigned ISO 3166-1 alpha-2 code (249), as listed in tzdata's iso3166.tab.
_ISO3166_ALPHA2_TEXT = """
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA
CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA
GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP
KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS
MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS
RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW
TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
"""
ISO3166_ALPHA2 = frozenset(_ISO3166_ALPHA2_TEXT.split())
