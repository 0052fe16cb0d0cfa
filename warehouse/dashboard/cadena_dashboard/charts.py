"""Altair charts. Every chart embeds its data inline (no URL is ever fetched), including the map outlines."""

from __future__ import annotations

import json
import textwrap
from functools import lru_cache
from pathlib import Path

import altair as alt
import pandas as pd

OUTLINES = Path(__file__).resolve().parent.parent / "assets" / "americas-110m.geojson"

# One colour per kind of map point, fixed so the legend reads the same on every publication.
POINT_KINDS = {
    "Data centre / colocation": ("#1f77b4", "circle"),
    "Cable landing point": ("#d62728", "triangle"),
    "Cloud region": ("#2ca02c", "square"),
    "Cloud Local Zone": ("#98df8a", "diamond"),
    "Announced cloud region": ("#ff7f0e", "square"),
}


def fit_x(chart):
    """Fit the width to the page and keep ``height`` as the plot's own height.

    Streamlit's default (``fit``) squeezes axes and legends into the height, which squashes short charts."""
    return chart.properties(autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))


@lru_cache(maxsize=1)
def outline_features() -> list[dict]:
    """Natural Earth 1:110m outlines of Latin America, the Caribbean and the contiguous US (assets/)."""
    return json.loads(OUTLINES.read_text())["features"]


def wrap_label(text: str, width: int = 11) -> str:
    """``a|b|c`` lines for an axis label (split back with ``labelExpr``)."""
    return "|".join(textwrap.wrap(str(text), width, break_long_words=False)) or str(text)


def heatmap(frame: pd.DataFrame, *, x: str, y: str, value: str, value_title: str, x_order: list[str],
            y_order: list[str], tooltip: list, fmt: str = ",.0f", scheme: str = "blues",
            label: str | None = None, legend_expr: str | None = None) -> alt.LayerChart:
    """A country x layer grid: coloured cells with the value written in the non-empty ones."""
    frame = frame.assign(_x=frame[x].map(wrap_label))
    base = alt.Chart(frame).encode(
        x=alt.X("_x:N", sort=[wrap_label(v) for v in x_order], title=None,
                axis=alt.Axis(orient="bottom", labelAngle=0, labelLimit=160, labelOverlap=False,
                              labelExpr="split(datum.label, '|')")),
        y=alt.Y(f"{y}:N", sort=y_order, title=None, axis=alt.Axis(labelLimit=160)),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color(f"{value}:Q", title=value_title, scale=alt.Scale(scheme=scheme, type="sqrt"),
                        legend=alt.Legend(format=fmt, orient="right",
                                          **({"labelExpr": legend_expr} if legend_expr else {}))),
        tooltip=tooltip,
    )
    text_field = label or value
    text = base.transform_filter(f"datum.{value} > 0").mark_text(fontSize=12).encode(
        text=alt.Text(f"{text_field}:{'N' if label else 'Q'}", **({} if label else {"format": fmt})),
        color=alt.condition(f"datum.{value} > {float(frame[value].max() or 0) * 0.55}",
                            alt.value("white"), alt.value("#262730")),
    )
    # Rows of a fixed height, and only the width fitted to the page (a fitted height squashes the rows).
    return fit_x((cells + text).properties(height=30 * len(y_order)))


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
            strokeDash=alt.StrokeDash("status:N", title="Submarine cable", legend=alt.Legend(orient="bottom"),
                                      scale=alt.Scale(domain=["in service", "planned"], range=[[1, 0], [5, 4]])),
            tooltip=[alt.Tooltip("cable_name:N", title="Cable"), alt.Tooltip("status:N", title="Status")],
        ))
    if not points.empty:
        color = alt.Color("kind:N", title="What", legend=alt.Legend(orient="bottom", columns=2),
                          scale=alt.Scale(domain=kinds, range=[POINT_KINDS[k][0] for k in kinds]))
        shape = alt.Shape("kind:N", title="What", legend=alt.Legend(orient="bottom", columns=2),
                          scale=alt.Scale(domain=kinds, range=[POINT_KINDS[k][1] for k in kinds]))
        tooltip = [alt.Tooltip("name:N", title="Name"), alt.Tooltip("kind:N", title="What"),
                   alt.Tooltip("country:N", title="Country"), alt.Tooltip("detail:N", title="Detail")]
        is_site = points["kind"] == "Data centre / colocation"
        # Data centres share their cities with cloud regions: draw them as rings around the other symbols.
        for subset, mark in ((points[~is_site], {"filled": True, "size": 80, "opacity": 0.9}),
                             (points[is_site], {"filled": False, "size": 260, "strokeWidth": 2.2, "opacity": 0.9})):
            if not subset.empty:
                layers.append(alt.Chart(subset).mark_point(**mark).encode(
                    longitude="longitude:Q", latitude="latitude:Q", color=color, shape=shape, tooltip=tooltip))
    return fit_x(alt.layer(*layers).project(type="mercator").properties(height=height))
