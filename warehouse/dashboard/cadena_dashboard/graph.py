"""The dependency graph's layout and chart: Vega-Lite has no force layout, so positions are computed here.

The layout is deterministic (the same publication draws the same picture): one column per layer, upstream
(hardware) on the left to downstream (end users) on the right, a column of sites further left when sites are
shown, and a last column for organisations without a layer. An organisation sits in its most upstream layer;
within a column nodes are sorted by headquarters country then name, spread evenly around the middle and
staggered (every other one shifted right) so that edges inside a column stay visible; a column of more than
MAX_ROWS nodes is split over several slots side by side.
Edges are straight lines from the dependent to what it depends on.
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from cadena_dashboard.charts import fit_x, wrap_label

SITES = "Sites"
NO_LAYER = "No layer"
SITE_COLOUR = "#9aa3ad"
STAGGER = 0.22
MAX_ROWS = 30
# One colour per layer, in value-chain order (tableau10), so the legend reads the same on every publication.
PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
           "#bab0ac"]


def layout(nodes: pd.DataFrame, columns: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``nodes`` (node_id, name, column, country) with x and y, and the columns' headers (x, title).

    A column with more than :data:`MAX_ROWS` nodes is split over several slots side by side, so a layer with a
    hundred organisations does not make the chart thousands of pixels tall."""
    counts = nodes.groupby("column")["node_id"].count()
    slots = {c: max(1, math.ceil(int(counts.get(c, 0)) / MAX_ROWS)) for c in columns}
    start, x0 = {}, 0
    for c in columns:
        start[c], x0 = x0, x0 + slots[c]
    placed = nodes.assign(_c=nodes["column"].map({c: i for i, c in enumerate(columns)}),
                          _country=nodes["country"].fillna("~"), _name=nodes["name"].str.lower())
    placed = placed.sort_values(["_c", "_country", "_name", "node_id"]).reset_index(drop=True)
    rank = placed.groupby("_c").cumcount()
    size = placed.groupby("_c")["node_id"].transform("count")
    per_slot = (size / placed["column"].map(slots)).apply(math.ceil)
    row = rank % per_slot
    # every other node a little to the right, so an edge between two nodes of one column is not hidden
    # behind the nodes between them
    placed["x"] = placed["column"].map(start) + rank // per_slot + STAGGER * (row % 2)
    placed["y"] = row - (per_slot - 1) / 2
    heads = pd.DataFrame({"x": [start[c] + (slots[c] - 1) / 2 for c in columns], "title": columns})
    return placed.drop(columns=["_c", "_country", "_name"]), heads


def chart(nodes: pd.DataFrame, edges: pd.DataFrame, heads: pd.DataFrame, layer_columns: list[str],
          selected: str | None = None) -> alt.LayerChart:
    """Nodes (laid out by :func:`layout`; colour by ``column``, size by ``degree``) over ``edges``
    (x, y, x2, y2 and tooltip fields), with the column names on top. Clicking a node selects its ``node_id``
    (the selection named ``pick``)."""
    columns = list(heads["title"])
    tall = max(float(nodes["y"].max()) * 2 + 1, 1.0) if not nodes.empty else 1.0
    half = tall / 2 + 0.6
    x_scale = alt.Scale(domain=[-0.5, float(nodes["x"].max() if not nodes.empty else 0) + 0.8], nice=False,
                        zero=False)
    y_scale = alt.Scale(domain=[half, -half - 0.5], nice=False, zero=False)
    colour_domain = [c for c in columns if c in set(nodes["column"])]
    colour_range = [SITE_COLOUR if c == SITES else PALETTE[layer_columns.index(c) % len(PALETTE)]
                    if c in layer_columns else PALETTE[-1] for c in colour_domain]
    x = alt.X("x:Q", scale=x_scale, axis=None)
    y = alt.Y("y:Q", scale=y_scale, axis=None)
    pick = alt.selection_point(name="pick", fields=["node_id"], on="click", clear="dblclick")
    nodes = nodes.assign(is_selected=nodes["node_id"] == selected)
    points = alt.Chart(nodes).mark_circle(stroke="#262730").encode(
        x=x, y=y,
        color=alt.Color("column:N", title="Layer", scale=alt.Scale(domain=colour_domain, range=colour_range),
                        legend=alt.Legend(orient="bottom", columns=4, labelLimit=260)),
        size=alt.Size("degree:Q", title="Edges", scale=alt.Scale(range=[60, 600]), legend=None),
        strokeWidth=alt.condition("datum.is_selected", alt.value(2.5), alt.value(0)),
        opacity=alt.condition(pick, alt.value(0.95), alt.value(0.35)),
        tooltip=[alt.Tooltip("name:N", title="Organisation"), alt.Tooltip("column:N", title="Placed in"),
                 alt.Tooltip("country:N", title="Country"), alt.Tooltip("layers:N", title="Layers"),
                 alt.Tooltip("upstream:Q", title="Depends on"), alt.Tooltip("downstream:Q", title="Depended on by")],
    ).add_params(pick)
    labels = alt.Chart(nodes).mark_text(align="left", dx=9, fontSize=10, color="#262730", limit=130).encode(
        x=x, y=y, text="label:N")
    lines = alt.Chart(edges).mark_rule(strokeWidth=1.4, opacity=0.55).encode(
        x=x, y=y, x2="x2:Q", y2="y2:Q",
        color=alt.value("#7b8794"),
        strokeDash=alt.StrokeDash("derivation:N", title="Edge from",
                                  legend=alt.Legend(orient="bottom", labelLimit=200)),
        tooltip=[alt.Tooltip("from_name:N", title="From"), alt.Tooltip("edge_kind:N", title="Dependency"),
                 alt.Tooltip("to_name:N", title="To"), alt.Tooltip("derivation:N", title="Derived"),
                 alt.Tooltip("source_name:N", title="Source"), alt.Tooltip("evidence_url:N", title="Evidence"),
                 alt.Tooltip("snapshot_id:N", title="Snapshot")],
    )
    heads = heads.assign(y=-half, title=heads["title"].map(lambda c: wrap_label(c, 16)))
    headers = alt.Chart(heads).mark_text(fontSize=11, fontWeight="bold", color="#5c6370", baseline="bottom",
                                         lineBreak="|").encode(
        x=x, y=y, text="title:N")
    height = max(320, int(34 * tall) + 120)
    return fit_x(alt.layer(lines, points, labels, headers).properties(height=height)).configure_view(stroke=None)
