"""The cloud region catalogue. Its single home is the dbt seed ``cloud_region_catalogue.csv``.

Price sources cover the LatAm regions of the catalogue plus each provider's US
reference region (``Settings.us_reference_regions``). :class:`Coverage` is that
choice for one fetch; the fetch stores it in the snapshot (``coverage.json``) so
that the pure parser, which never sees the settings, knows which region is the
reference and which regions were asked for.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from ingestors.core.config import DEFAULT_US_REFERENCE, REPO_ROOT
from ingestors.domain.countries import by_iso2

SEED = REPO_ROOT / "dbt_project" / "seeds" / "cloud_region_catalogue.csv"

LIVE = ("ga", "preview")  # statuses of a region one can actually buy in
COVERAGE_FILE = "coverage.json"  # snapshot file holding a fetch's Coverage
COVERAGE_URL = "cadena:coverage"  # its "origin": written by the fetch, not downloaded


@dataclass(frozen=True)
class CloudRegion:
    provider: str
    region_code: str
    region_name: str
    kind: str  # 'region' | 'local_zone'
    country_iso2: str
    city: str | None
    latitude: float | None
    longitude: float | None
    launch_year: int | None
    status: str  # 'ga' | 'preview' | 'announced'
    aliases: tuple[str, ...]
    source_url: str

    @property
    def is_latam(self) -> bool:
        return self.country_iso2 in by_iso2()


def _opt(text: str, cast=str) -> Any:
    text = text.strip()
    return cast(text) if text else None


@cache
def catalogue() -> tuple[CloudRegion, ...]:
    with SEED.open(encoding="utf-8", newline="") as fh:
        return tuple(
            CloudRegion(
                provider=row["provider"],
                region_code=row["region_code"],
                region_name=row["region_name"],
                kind=row["kind"],
                country_iso2=row["country_iso2"],
                city=_opt(row["city"]),
                latitude=_opt(row["latitude"], float),
                longitude=_opt(row["longitude"], float),
                launch_year=_opt(row["launch_year"], int),
                status=row["status"],
                aliases=tuple(a for a in row["aliases"].split("|") if a),
                source_url=row["source_url"],
            )
            for row in csv.DictReader(fh)
        )


def latam_regions(provider: str, *, kinds: Iterable[str] = ("region",),
                  statuses: Iterable[str] | None = LIVE) -> tuple[str, ...]:
    """Sorted codes of ``provider``'s LatAm catalogue entries of these kinds and statuses.

    ``statuses=None`` keeps every status (an announced zone that shows up in a
    price list has evidently opened).
    """
    kinds, statuses = set(kinds), None if statuses is None else set(statuses)
    return tuple(sorted(
        r.region_code for r in catalogue()
        if r.provider == provider and r.is_latam and r.kind in kinds
        and (statuses is None or r.status in statuses)
    ))


def lookup(provider: str, code: str) -> CloudRegion | None:
    """The catalogue entry ``code`` (a region code or one of its aliases) names, if any."""
    for r in catalogue():
        if r.provider == provider and (code == r.region_code or code in r.aliases):
            return r
    return None


@dataclass(frozen=True)
class Coverage:
    """The regions one fetch of a price source covers: LatAm ones plus the US reference."""

    provider: str
    latam: tuple[str, ...]
    us_reference: str

    @property
    def regions(self) -> tuple[str, ...]:
        """LatAm regions then the reference, each once."""
        return tuple(dict.fromkeys((*self.latam, self.us_reference)))

    def is_us_reference(self, region: str) -> bool:
        return region == self.us_reference

    def to_json(self) -> bytes:
        body = {"provider": self.provider, "latam": list(self.latam), "us_reference": self.us_reference}
        return json.dumps(body, indent=2, sort_keys=True).encode() + b"\n"

    @classmethod
    def from_json(cls, provider: str, body: Any) -> Coverage:
        """Read what :meth:`to_json` wrote; ``ValueError`` when it is not that."""
        if not (isinstance(body, Mapping) and body.get("provider") == provider
                and isinstance(body.get("latam"), list) and all(isinstance(r, str) for r in body["latam"])
                and isinstance(body.get("us_reference"), str) and body["us_reference"]):
            raise ValueError(f"not a {provider} coverage object: {body!r:.200}")
        return cls(provider, tuple(body["latam"]), body["us_reference"])

    @classmethod
    def default(cls, provider: str, **kwargs) -> Coverage:
        """The coverage with the default reference region (for snapshots without coverage.json)."""
        return cls(provider, latam_regions(provider, **kwargs), DEFAULT_US_REFERENCE[provider])
