"""Altair charts. Every chart embeds its data inline (no URL is ever fetched), including the map outlines."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import altair as alt
import pandas as pd

OUTLINES = Path(__file__).resolve().parent.parent / "assets" / "americas-110m.geojson"

# One colour per kind of map point, fixed so the legend reads the same on every publication.
POINT_KINDS = {
    "Data centre / colocation": ("#1f77b4", "circle"),
    "Cable landing point": ("#d62728", "triangle-up"),
    "Cloud region": ("#2ca02c", "square"),
    "Cloud Local Zone": ("#98df8a", "diamond"),
    "Announced cloud region": ("#ff7f0e", "square"),
}


@lru_cache(maxsize=1)
def outline_features() -> list[dict]:
    """Natural Earth 1:110m outlines of Latin America, the Caribbean and the contiguous US (assets/)."""
    return json.loads(OUTLINES.read_text())["features"]


def heatmap(frame: pd.DataFrame, *, x: str, y: str, value: str, value_title: str, x_order: list[str],
            y_order: list[str], tooltip: list, fmt: str = ",.0f", scheme: str = "blues",
            label: str | None = None) -> alt.Chart:
    """A country x layer grid: coloured cells with the value written in them."""
    base = alt.Chart(frame).encode(
        x=alt.X(f"{x}:N", sort=x_order, title=None,
                axis=alt.Axis(orient="top", labelAngle=0, labelLimit=140, labelOverlap=False, labelPadding=6,
                              labelExpr="split(replace(datum.label, ' & ', ' &_'), ' ')", labelBaseline="bottom")),
        y=alt.Y(f"{y}:N", sort=y_order, title=None, axis=alt.Axis(labelLimit=160)),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color(f"{value}:Q", title=value_title, scale=alt.Scale(scheme=scheme, type="sqrt"),
                        legend=alt.Legend(format=fmt, orient="bottom")),
        tooltip=tooltip,
    )
    text_field = label or value
    text = base.transform_filter(f"datum.{value} > 0").mark_text(fontSize=12).encode(
        text=alt.Text(f"{text_field}:{'N' if label else 'Q'}", **({} if label else {"format": fmt})),
        color=alt.condition(f"datum.{value} > {float(frame[value].max() or 0) * 0.55}",
                            alt.value("white"), alt.value("#262730")),
    )
    # A step per row, and only the width fitted to the page (a fitted height would squash the rows).
    return (cells + text).properties(height=30 * len(y_order),
                                     autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))


def infrastructure_map(points: pd.DataFrame, cables: pd.DataFrame, *, height: int = 640) -> alt.LayerChart:
    """Points (and schematic cable lines) over country outlines, Mercator, no basemap tiles.

    ``points``: kind, name, country, detail, latitude, longitude.
    ``cables``: cable_name, seq, latitude, longitude, status.
    """
    kinds = [k for k in POINT_KINDS if k in set(points["kind"])] or list(POINT_KINDS)
    land = alt.Chart(alt.Data(values=outline_features())).mark_geoshape(
        fill="#eef1f4", stroke="#98a2ad", strokeWidth=0.6
    ).encode(tooltip=[alt.Tooltip("properties.name:N", title="Country")])
    layers: list[alt.Chart] = [land]
    if not cables.empty:
        layers.append(alt.Chart(cables).mark_line(strokeWidth=1.6, opacity=0.55).encode(
            longitude="longitude:Q", latitude="latitude:Q", detail="cable_name:N", order="seq:Q",
            color=alt.value("#7b61ff"),
            strokeDash=alt.StrokeDash("status:N", title="Submarine cable (schematic)",
                                      scale=alt.Scale(domain=["in service", "planned"], range=[[1, 0], [5, 4]])),
            tooltip=[alt.Tooltip("cable_name:N", title="Cable"), alt.Tooltip("status:N", title="Status")],
        ))
    if not points.empty:
        layers.append(alt.Chart(points).mark_point(filled=True, size=90, opacity=0.9, stroke="white",
                                                   strokeWidth=0.7).encode(
            longitude="longitude:Q", latitude="latitude:Q",
            color=alt.Color("kind:N", title="What", scale=alt.Scale(
                domain=kinds, range=[POINT_KINDS[k][0] for k in kinds])),
            shape=alt.Shape("kind:N", title="What", scale=alt.Scale(
                domain=kinds, range=[POINT_KINDS[k][1] for k in kinds])),
            tooltip=[alt.Tooltip("name:N", title="Name"), alt.Tooltip("kind:N", title="What"),
                     alt.Tooltip("country:N", title="Country"), alt.Tooltip("detail:N", title="Detail")],
        ))
    return alt.layer(*layers).project(type="mercator").properties(height=height).resolve_legend(
        color="shared", shape="shared")
