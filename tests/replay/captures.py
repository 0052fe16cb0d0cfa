"""Counts taken straight from the real capture files, independently of the ingestors.

Each function reads one publisher's files with the standard library (and
openpyxl for TOP500) and counts what the marts should show for the LatAm
countries. The only project file read is the country seed
(``dbt_project/seeds/latam_countries.csv``: which countries are LatAm and how
TeleGeography names them).
"""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from pathlib import Path

from ingestors.core.config import REPO_ROOT

SEED = REPO_ROOT / "dbt_project" / "seeds" / "latam_countries.csv"


def latam_countries() -> list[dict[str, str]]:
    with SEED.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _by_english_name() -> dict[str, str]:
    return {row["name_en"]: row["iso2"] for row in latam_countries()}


# --- TeleGeography ----------------------------------------------------------------------------

# Territories TeleGeography files under another country: "San Juan, PR, United States".
_TERRITORY_PARTS = {("United States", "PR"): "PR", ("United States", "VI"): "VI", ("Netherlands", "Bonaire"): "BQ"}


def _landing_iso2(point: dict, by_name: dict[str, str]) -> str | None:
    parts = [p.strip() for p in point["name"].split(",")]
    if len(parts) >= 3 and (iso2 := _TERRITORY_PARTS.get((point["country"], parts[-2]))):
        return iso2
    return by_name.get(point["country"])


def cables(root: Path) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """Per LatAm country: cables in service, planned cables, and landing points of any cable."""
    by_name = {row["telegeography_name"]: row["iso2"] for row in latam_countries()}
    in_service: dict[str, set] = defaultdict(set)
    planned: dict[str, set] = defaultdict(set)
    points: dict[str, set] = defaultdict(set)
    for path in (root / "telegeography" / "api_v3" / "cable").glob("*.json"):
        if path.name in ("all.json", "cable-geo.json"):
            continue
        cable = json.loads(path.read_bytes())
        for point in cable.get("landing_points") or []:
            iso2 = _landing_iso2(point, by_name)
            if iso2:
                (planned if cable.get("is_planned") else in_service)[iso2].add(cable["id"])
                points[iso2].add(point["id"])
    return ({k: len(v) for k, v in in_service.items()}, {k: len(v) for k, v in planned.items()},
            {k: len(v) for k, v in points.items()})


# --- PeeringDB --------------------------------------------------------------------------------


def ixps(root: Path) -> dict[str, int]:
    """Internet exchanges per LatAm country among the captured rows (production pages where captured)."""
    folders = sorted((root / "peeringdb").glob("*/ix"), key=lambda p: not p.parent.name.startswith("prod"))
    latam = {row["iso2"] for row in latam_countries()}
    rows = {r["id"]: r for page in sorted(folders[0].glob("page-*.json"))
            for r in json.loads(page.read_bytes())["data"]}
    return dict(Counter(r["country"] for r in rows.values() if r["country"] in latam))


# --- cloud IP ranges --------------------------------------------------------------------------

# The LatAm regions each provider's file names (see ../shared/samples/README.md), and their country.
CLOUD_REGIONS = {
    "aws": {"sa-east-1": "BR", "mx-central-1": "MX"},
    "aws_local_zone": {"us-east-1-bue-1": "AR", "us-east-1-lim-1": "PE", "us-east-1-qro-1": "MX",
                       "us-east-1-scl-1": "CL", "us-east-1-bog-1": "CO"},
    "gcp": {"southamerica-east1": "BR", "southamerica-west1": "CL", "northamerica-south1": "MX"},
    "azure": {"brazilsouth": "BR", "brazilse": "BR", "brazilne": "BR", "chilec": "CL", "mexicocentral": "MX"},
    "oracle": {"sa-saopaulo-1": "BR", "sa-vinhedo-1": "BR", "sa-santiago-1": "CL", "sa-valparaiso-1": "CL",
               "sa-bogota-1": "CO", "mx-queretaro-1": "MX", "mx-monterrey-1": "MX"},
}


def cloud_regions(root: Path) -> dict[tuple[str, str], int]:
    """(provider or aws_local_zone, country) -> LatAm regions the provider's file publishes."""
    folder = root / "cloud_ip_ranges"
    aws = json.loads((folder / "aws-ip-ranges.json").read_bytes())
    aws_prefixes = aws["prefixes"] + aws["ipv6_prefixes"]
    seen = {
        "aws": {p["region"] for p in aws_prefixes},
        "aws_local_zone": {p["network_border_group"] for p in aws_prefixes},
        "gcp": {p["scope"] for p in json.loads((folder / "google-cloud-ip-ranges.json").read_bytes())["prefixes"]},
        "azure": {v["properties"]["region"]
                  for v in json.loads((folder / "microsoft-azure-ip-ranges.json").read_bytes())["values"]},
        "oracle": {r["region"] for r in json.loads((folder / "oracle-cloud-ip-ranges.json").read_bytes())["regions"]},
    }
    counts: Counter = Counter()
    for provider, regions in CLOUD_REGIONS.items():
        for code, iso2 in regions.items():
            if code in seen[provider]:
                counts[(provider, iso2)] += 1
    return dict(counts)


# --- Epoch GPU clusters -----------------------------------------------------------------------


def _number(text: str) -> float:
    return float(text.replace(",", "")) if text.strip() else 0.0


def gpu_clusters(root: Path) -> tuple[dict[str, int], dict[str, float]]:
    """Per LatAm country: existing clusters that are not decommissioned and not superseded by
    an upgrade (Epoch's "Superseded by", or an existing row building upon them), and their
    H100-equivalents."""
    with (root / "epoch" / "gpu_clusters.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    built_upon = {r["Builds Upon"].strip() for r in rows if r["Status"] == "Existing" and r["Builds Upon"].strip()}
    by_name = _by_english_name()
    count: Counter = Counter()
    h100e: dict[str, float] = defaultdict(float)
    for r in rows:
        if (r["Status"] != "Existing" or r["Decommissioned Date (if applicable)"].strip()
                or r["Superseded by"].strip() or r["Name"].strip() in built_upon):
            continue
        for iso2 in {by_name[c.strip()] for c in r["Country"].split(",") if c.strip() in by_name}:
            count[iso2] += 1
            h100e[iso2] += _number(r["H100 equivalents"])
    return dict(count), dict(h100e)


def superseded_existing_rows(root: Path) -> int:
    """Rows of the whole file (any country) that Epoch marks existing and superseded."""
    with (root / "epoch" / "gpu_clusters.csv").open(encoding="utf-8-sig", newline="") as fh:
        return sum(1 for r in csv.DictReader(fh) if r["Status"] == "Existing" and r["Superseded by"].strip())


# --- TOP500 -----------------------------------------------------------------------------------


def top500(root: Path) -> tuple[str, dict[str, int]]:
    """The list edition and the systems per LatAm country."""
    import openpyxl

    (path,) = sorted((root / "top500").glob("TOP500_*.xlsx"))
    workbook = openpyxl.load_workbook(path, read_only=True)
    rows = workbook["top500"].iter_rows(values_only=True)
    header = next(rows)
    column = header.index("Country")
    by_name = _by_english_name()
    counts = Counter(by_name[r[column]] for r in rows if r[column] in by_name)
    stem = path.stem.split("_")[1]
    return f"{stem[:4]}-{stem[4:]}", dict(counts)


# --- ECB --------------------------------------------------------------------------------------


def ecb_usd_per_unit(root: Path, currency: str) -> dict[str, float]:
    """ISO date -> US dollars per unit of ``currency`` (the USD rate over the currency's rate, both per EUR)."""
    with (root / "ecb_fx" / "eurofxref-hist.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return {r["Date"]: float(r["USD"]) / float(r[currency])
            for r in rows if r.get(currency) not in (None, "", "N/A") and r.get("USD") not in (None, "", "N/A")}


# --- YC ---------------------------------------------------------------------------------------


def yc_latam_companies(root: Path) -> set[int]:
    """Ids of the captured companies that name a LatAm country in regions or as a location's country."""
    names = set(_by_english_name()) | {row["name_es"] for row in latam_countries()}
    ids: set[int] = set()
    for path in (root / "yc").rglob("*.json"):
        if path.name == "meta.json":
            continue
        body = json.loads(path.read_bytes())
        for company in body if isinstance(body, list) else [body]:
            places = list(company.get("regions") or [])
            places += [loc.rsplit(",", 1)[-1].strip() for loc in (company.get("all_locations") or "").split(";")]
            if any(place in names for place in places):
                ids.add(company["id"])
    return ids
