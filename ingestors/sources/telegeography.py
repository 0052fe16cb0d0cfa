"""TeleGeography Submarine Cable Map: cables landing in LatAm, and all their landing points.

Base ``https://www.submarinecablemap.com/api/v3`` (no pagination, no key, no
published rate limit). Fetched, in order:

1. ``/landing-point/landing-point-geo.json``: a GeoJSON FeatureCollection of
   every landing point (``properties`` id, name, is_tbd; ``coordinates`` are
   ``[lon, lat]``). It is the only file with coordinates.
2. ``/country/{slug}.json`` for every LatAm country of the seed, to collect
   the ids of the cables landing there. A country without cables (Bolivia,
   Paraguay...) answers 404, which is normal and skipped.
3. ``/landing-point/{id}.json`` for the few landing points in a LatAm
   territory that TeleGeography files under another country (see below), for
   the cables landing there.
4. ``/cable/{id}.json`` for every cable collected: name, ``length``, owners,
   suppliers, ready-for-service, planned flag and the landing points with
   their ``country``.

Snapshot files: ``landing-point-geo.json``, ``country-<slug>.json``,
``landing-point-<id>.json``, ``cable-<id>.json``. The parser reads the geo
file and the cable files; the country and landing-point files are checked for
shape only (they served discovery).

Format traps:

* ids drop accented letters instead of transliterating them
  (``Curaçao`` -> ``curaao``, ``Côte d'Ivoire`` -> ``cte-divoire``); runs of
  other characters become one ``-``, trailing ones included
  (``Virgin Islands (U.K.)`` -> ``virgin-islands-u-k-``): see :func:`slug`;
* ``length`` is free text (``"14,517 km"``), ``null`` or ``"n.a."``;
* ``owners`` and ``suppliers`` are one comma-joined string (``""`` or
  ``null`` when unknown), and a name may itself hold a comma
  (``"Blackburn Technologies, LLC."``, ``"Telia Eesti (formerly Eesti
  Telekom, EMT, Elion)"``): see :func:`split_names`;
* ``rfs`` is free text (``"2019 April"``, ``"2023 Q1"``) beside an integer
  ``rfs_year``;
* the nested ``is_tbd`` of a cable's landing point is mostly ``null``;
* Puerto Rico and some U.S. Virgin Islands landing points are filed under
  ``"United States"`` (``"San Juan, PR, United States"``), and Bonaire under
  ``"Netherlands"`` (``"Kralendijk, Bonaire, Netherlands"``). The landing
  point keeps TeleGeography's ``country_name`` but gets the territory's ISO2
  code (see ``TERRITORIES``), and the cables landing only there are found
  through their landing-point files.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator, Mapping
from typing import Any

from ingestors.core.errors import FetchError
from ingestors.core.registry import FetchPlan, Record, Reject, Row, Source, Table
from ingestors.domain.countries import latam, lookup_name

log = logging.getLogger(__name__)

HOST = "www.submarinecablemap.com"
BASE = f"https://{HOST}/api/v3"
SITE = f"https://{HOST}"
GEO_FILE = "landing-point-geo.json"

# LatAm territories TeleGeography files under another country, recognised by the
# second-to-last part of a landing point's name: (country, part) -> ISO2.
TERRITORIES: dict[tuple[str, str], str] = {
    ("United States", "PR"): "PR",
    ("United States", "VI"): "VI",
    ("Netherlands", "Bonaire"): "BQ",
}

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_LENGTH_RE = re.compile(r"^(\d[\d,]*(?:\.\d+)?)\s*km$", re.IGNORECASE)
_YEAR_RE = re.compile(r"\b(\d{4})\b")
# A comma-separated piece that is only a legal form belongs to the name before it.
_LEGAL_FORM_RE = re.compile(
    r"^(inc|llc|ltd|lda|ltda|co|corp|plc|gmbh|limited|l\.?p|s\.?a(\.? de c\.?v)?|s\.?a\.?s|s\.?r\.?l)\.?$",
    re.IGNORECASE,
)


class Cable(Row):
    cable_id: str
    name: str
    length_km: float | None
    length_text: str | None
    owners: list[str]
    suppliers: list[str]
    rfs_text: str | None
    rfs_year: int | None
    is_planned: bool
    url: str | None
    notes: str | None
    landing_point_count: int


class LandingPoint(Row):
    landing_point_id: str
    name: str
    country_name: str
    country_iso2: str | None
    is_latam: bool
    latitude: float | None
    longitude: float | None


class CableLanding(Row):
    cable_id: str
    landing_point_id: str
    is_tbd: bool | None


# --- helpers shared by fetch and parse ----------------------------------------------------


def slug(name: str) -> str:
    """TeleGeography's id for a name: ``"Curaçao"`` -> ``"curaao"``.

    Apostrophes and non-ASCII punctuation vanish, every other run of non-word
    characters becomes one ``-``, then non-ASCII letters vanish (so
    ``"L'Anse-à-Beaufils"`` -> ``"lanse--beaufils"``). Checked against every
    country and landing-point id of the real capture.
    """
    text = "".join(c for c in name.lower() if c != "'" and (c.isascii() or c.isalnum()))
    text = re.sub(r"[\W_]+", "-", text)
    return "".join(c for c in text if c.isascii())


def territory_iso2(name: str, country_name: str | None = None) -> str | None:
    """ISO2 of a LatAm territory filed under another country, from a landing point's name."""
    parts = [p.strip() for p in name.split(",")]
    if len(parts) < 3:
        return None
    country = country_name or parts[-1]
    return TERRITORIES.get((country, parts[-2]))


def _clean(value: Any) -> Any:
    """``""`` (or only spaces) and ``null`` both mean missing."""
    if isinstance(value, str) and not value.strip():
        return None
    return value


# --- fetch ----------------------------------------------------------------------------------


def fetch(ctx) -> None:
    geo = ctx.get(GEO_FILE, f"{BASE}/landing-point/{GEO_FILE}")

    cable_ids: set[str] = set()
    countries_found = 0
    for country in latam():
        cslug = slug(country.telegeography_name)
        body = _get_unless_missing(ctx, f"country-{cslug}.json", f"{BASE}/country/{cslug}.json")
        if body is not None:
            countries_found += 1
            cable_ids |= _cable_ids(body)
    if not countries_found:
        raise FetchError(ctx.source.name, f"{BASE}/country/",
                         "no LatAm country file found (all 404); has the API moved?")

    for lp_id in _territory_landing_points(geo):
        body = _get_unless_missing(ctx, f"landing-point-{lp_id}.json", f"{BASE}/landing-point/{lp_id}.json")
        if body is not None:
            cable_ids |= _cable_ids(body)

    for cable_id in sorted(cable_ids):
        url = f"{BASE}/cable/{cable_id}.json"
        if not _ID_RE.match(cable_id):
            raise FetchError(ctx.source.name, url, f"unexpected cable id {cable_id!r}")
        ctx.get(f"cable-{cable_id}.json", url)


def _get_unless_missing(ctx, name: str, url: str) -> bytes | None:
    """``ctx.get``, or ``None`` when the publisher answers 404 (no such country or point)."""
    try:
        return ctx.get(name, url)
    except FetchError as exc:
        if _is_not_found(exc):
            log.info("%s: %s not found, skipped", ctx.source.name, url)
            return None
        raise


def _is_not_found(exc: FetchError) -> bool:
    return exc.status == 404


def _cable_ids(body: bytes) -> set[str]:
    """The cable ids listed in a country or landing-point file; none if it is malformed."""
    try:
        cables = json.loads(body)["cables"]
        return {c["id"] for c in cables if isinstance(c, dict) and isinstance(c.get("id"), str)}
    except (ValueError, KeyError, TypeError):
        return set()  # parse() fails the source on this file


def _territory_landing_points(geo: bytes) -> list[str]:
    try:
        features = json.loads(geo)["features"]
        props = [f["properties"] for f in features]
        return sorted(p["id"] for p in props
                      if territory_iso2(p.get("name") or "") and _ID_RE.match(p.get("id") or ""))
    except (ValueError, KeyError, TypeError):
        return []  # parse() fails the source on the geo file


# --- parse ----------------------------------------------------------------------------------


def parse_length(text: str | None) -> float | None:
    """``"14,517 km"`` -> 14517.0; ``"n.a."``, ``None`` or anything else -> ``None``."""
    match = _LENGTH_RE.match(text.strip()) if isinstance(text, str) else None
    return float(match.group(1).replace(",", "")) if match else None


def split_names(text: str | None) -> list[str]:
    """Split a comma-joined list of company names, keeping commas inside names.

    Commas inside parentheses do not split, and a piece that is only a legal
    form (``LLC.``, ``Inc.``, ``Ltd.``, ``Lda.``...) is joined to the name before it.
    """
    if not isinstance(text, str):
        return []
    pieces: list[str] = []
    depth, current = 0, []
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth <= 0:
            pieces.append("".join(current))
            current = []
        else:
            current.append(char)
    pieces.append("".join(current))
    names: list[str] = []
    for piece in (p.strip() for p in pieces):
        if not piece:
            continue
        if names and _LEGAL_FORM_RE.match(piece):
            names[-1] = f"{names[-1]}, {piece}"
        else:
            names.append(piece)
    return names


def _rfs_year(body: Mapping[str, Any]) -> Any:
    year = body.get("rfs_year")
    if year is None and isinstance(body.get("rfs"), str):
        match = _YEAR_RE.search(body["rfs"])
        return int(match.group(1)) if match else None
    return year


def parse(snapshot) -> Iterator[Record | Reject]:
    coordinates = _coordinates(snapshot)
    for name in snapshot.names("country-") + [n for n in snapshot.names("landing-point-") if n != GEO_FILE]:
        body = snapshot.read_json(name)
        if not (isinstance(body, dict) and isinstance(body.get("cables"), list)):
            raise snapshot.error('expected an object with a "cables" list', file=name)

    seen_points: set[str] = set()
    for name in snapshot.names("cable-"):
        body = snapshot.read_json(name)
        if not (isinstance(body, dict) and body.get("id") and isinstance(body.get("landing_points"), list)):
            raise snapshot.error('expected a cable object with "id" and a "landing_points" list', file=name)
        cable_id = str(body["id"])
        cable_url = f"{SITE}/submarine-cable/{cable_id}"
        point_ids: list[str] = []
        landings: list[Record | Reject] = []
        for i, point in enumerate(body["landing_points"]):
            point_id = _clean(point.get("id")) if isinstance(point, dict) else None
            if not isinstance(point_id, str):
                landings.append(Reject("cable_landings", f"{cable_id}#{i}", "landing point without an id", point))
                continue
            if point_id not in point_ids:
                point_ids.append(point_id)
            landings.append(Record(
                "cable_landings",
                {"cable_id": cable_id, "landing_point_id": point_id, "is_tbd": point.get("is_tbd")},
                record_id=f"{cable_id}/{point_id}",
                record_url=cable_url,
            ))
            if point_id not in seen_points:
                seen_points.add(point_id)
                yield _landing_point(point, point_id, coordinates)

        length_text = _clean(body.get("length"))
        yield Record(
            "cables",
            {
                "cable_id": cable_id,
                "name": _clean(body.get("name")),
                "length_km": parse_length(length_text),
                "length_text": length_text,
                "owners": split_names(body.get("owners")),
                "suppliers": split_names(body.get("suppliers")),
                "rfs_text": _clean(body.get("rfs")),
                "rfs_year": _rfs_year(body),
                "is_planned": body.get("is_planned"),
                "url": _clean(body.get("url")),
                "notes": _clean(body.get("notes")),
                "landing_point_count": len(point_ids),
            },
            record_id=cable_id,
            record_url=cable_url,
        )
        yield from landings


def _landing_point(point: Mapping[str, Any], point_id: str,
                   coordinates: Mapping[str, tuple[float | None, float | None]]) -> Record:
    name = _clean(point.get("name"))
    country_name = _clean(point.get("country"))
    iso2 = None
    if isinstance(country_name, str):
        country = lookup_name(country_name)
        if country is not None:
            iso2 = country.iso2
        elif isinstance(name, str):
            iso2 = territory_iso2(name, country_name)
    latitude, longitude = coordinates.get(point_id, (None, None))
    return Record(
        "landing_points",
        {
            "landing_point_id": point_id,
            "name": name,
            "country_name": country_name,
            "country_iso2": iso2,
            "is_latam": iso2 is not None,
            "latitude": latitude,
            "longitude": longitude,
        },
        record_id=point_id,
        record_url=f"{SITE}/landing-point/{point_id}",
    )


def _coordinates(snapshot) -> dict[str, tuple[float | None, float | None]]:
    """Landing point id -> (latitude, longitude) from the GeoJSON file ([lon, lat] there)."""
    geo = snapshot.read_json(GEO_FILE)
    if not (isinstance(geo, dict) and geo.get("type") == "FeatureCollection"
            and isinstance(geo.get("features"), list)):
        raise snapshot.error("expected a GeoJSON FeatureCollection with a features list", file=GEO_FILE)
    coordinates: dict[str, tuple[float | None, float | None]] = {}
    for feature in geo["features"]:
        try:
            point_id = feature["properties"]["id"]
            lon, lat = feature["geometry"]["coordinates"][:2]
        except (KeyError, TypeError, ValueError, IndexError):
            continue  # a point without usable coordinates keeps None
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (lon, lat)):
            coordinates[point_id] = (float(lat), float(lon))
    return coordinates


# The hand-written cables in ingestors/samples/telegeography/ (any other id is a 404 offline).
SAMPLE_CABLES = ("austral-link", "caribe-enlace", "isla-corta", "pacifico-sur-express")

SOURCE = Source(
    name="telegeography",
    family="capacity",
    title="TeleGeography Submarine Cable Map",
    endpoint='submarinecablemap.com API v3: LatAm country files, the cables they list, landing-point GeoJSON',
    description="Submarine cables with at least one landing point in LatAm, all their landing points "
                "(LatAm or not) and which cable lands where (API v3).",
    homepage="https://www.submarinecablemap.com",
    licence="TeleGeography Submarine Cable Map, CC BY-NC-SA 4.0 (https://www.submarinecablemap.com)",
    cadence="weekly",
    tables=(
        Table("cables", Cable, ("cable_id",),
              "One submarine cable landing in LatAm: length, owners, suppliers, ready-for-service, planned."),
        Table("landing_points", LandingPoint, ("landing_point_id",),
              "Every landing point of those cables, with country and coordinates; is_latam marks LatAm ones."),
        Table("cable_landings", CableLanding, ("cable_id", "landing_point_id"),
              "Which cable lands at which landing point."),
    ),
    fetch=fetch,
    parse=parse,
    plan=FetchPlan(
        max_requests=600,  # the LatAm country files, each cable they list and its landing points
        # No published limit: stay gentle.
        rate_limits={HOST: 5.0},
        sample_routes={
            f"{HOST}/api/v3/country/brazil.json": "country-brazil.json",
            f"{HOST}/api/v3/country/chile.json": "country-chile.json",
            f"{HOST}/api/v3/country/mexico.json": "country-mexico.json",
            f"{HOST}/api/v3/landing-point/san-juan-pr-united-states.json":
                "landing-point-san-juan-pr-united-states.json",
            **{f"{HOST}/api/v3/cable/{c}.json": f"cable-{c}.json" for c in SAMPLE_CABLES},
        },
    ),
)
