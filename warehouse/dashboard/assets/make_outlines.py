"""Rebuild ``americas-110m.geojson`` from Natural Earth's 1:110m countries.

The dashboard draws its map over these outlines, so it needs no tile server.
Input: ``countries-110m.json`` from the npm package ``world-atlas`` 2.0.2
(Natural Earth 4.1.0 Admin 0 countries, public domain, as TopoJSON)::

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python warehouse/dashboard/assets/make_outlines.py package/countries-110m.json

Output: a GeoJSON FeatureCollection of Latin America and the Caribbean plus the
contiguous United States (where the cables land and the US reference cloud
regions are), with ``iso2`` and ``name`` properties and coordinates rounded to
0.01 degree. Alaska, Hawaii, Canada and Greenland are left out (they would
stretch a Mercator map northwards); of France only French Guiana is kept.
Standard library only; run it by hand, never at dashboard run time.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).with_name("americas-110m.geojson")

# ISO 3166-1 numeric -> alpha-2, for the Natural Earth countries of the Americas kept.
NUMERIC_TO_ISO2 = {
    "032": "AR", "044": "BS", "068": "BO", "076": "BR", "084": "BZ", "152": "CL", "170": "CO",
    "188": "CR", "192": "CU", "214": "DO", "218": "EC", "222": "SV", "238": "FK", "250": "GF",
    "320": "GT", "328": "GY", "332": "HT", "340": "HN", "388": "JM", "484": "MX", "558": "NI",
    "591": "PA", "600": "PY", "604": "PE", "630": "PR", "740": "SR", "780": "TT", "840": "US",
    "858": "UY", "862": "VE",
}  # fmt: skip
NAMES = {"GF": "French Guiana", "US": "United States"}


def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:  # quantized, delta-encoded
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(indexes: list[int], arcs: list) -> list[list[float]]:
    points: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc if not points else arc[1:])  # consecutive arcs share their end point
    return [[round(x, 2), round(y, 2)] for x, y in points]


def _keep(iso2: str, polygon: list[list[list[float]]]) -> bool:
    xs = [p[0] for p in polygon[0]]
    ys = [p[1] for p in polygon[0]]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    if iso2 == "US":  # the contiguous states only
        return cx > -130 and cy < 50
    if iso2 == "GF":  # France's polygon in South America
        return cx < -30
    return True


def build(topology: dict) -> dict:
    arcs = _decode_arcs(topology)
    features = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        iso2 = NUMERIC_TO_ISO2.get(geometry.get("id"))
        if iso2 is None:
            continue
        parts = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        polygons = [[_ring(ring, arcs) for ring in part] for part in parts]
        polygons = [p for p in polygons if _keep(iso2, p)]
        if not polygons:
            continue
        features.append({
            "type": "Feature",
            "id": iso2,
            "properties": {"iso2": iso2, "name": NAMES.get(iso2, geometry["properties"]["name"])},
            "geometry": {"type": "MultiPolygon", "coordinates": polygons},
        })
    features.sort(key=lambda f: f["id"])
    return {
        "type": "FeatureCollection",
        "source": "Natural Earth 1:110m Admin 0 countries (public domain), v4.1.0 via npm world-atlas@2.0.2",
        "features": features,
    }


def main(argv: list[str]) -> None:
    source = Path(argv[1]) if len(argv) > 1 else Path("countries-110m.json")
    collection = build(json.loads(source.read_text()))
    OUT.write_text(json.dumps(collection, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} ({len(collection['features'])} countries, {OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main(sys.argv)
