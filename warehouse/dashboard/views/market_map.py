"""Market map: every organisation in its layer and in the countries where it operates, each with its evidence."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st
from cadena_dashboard import charts, ui

import ingestors.core.market_map as market_map

PRESENCE_LABELS = {
    "headquarters": "Headquarters", "office": "Office", "facility": "Data centre / facility",
    "cloud_region": "Cloud region or zone", "cable_landing": "Cable landing", "ixp": "Internet exchange",
    "cluster": "GPU cluster / supercomputer",
}
COUNTED = "As the overview counts"
EVERY = "Every presence"


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts with None for missing values and plain lists (what market_map.grid_html expects)."""
    out = []
    for row in frame.to_dict("records"):
        out.append({k: (ui.as_list(v) if k in market_map.LIST_COLUMNS else (None if ui.missing(v) else v))
                    for k, v in row.items()})
    return out


def show() -> None:
    f = ui.filters()
    ui.filter_note("the country where the organisation is present; its layer")
    entries = ui.q(market_map.MARKET_MAP_SQL)
    for column in market_map.LIST_COLUMNS:
        entries[column] = entries[column].map(ui.as_list)
    entries["org_type"] = entries["org_type"].fillna("unknown")
    entries["presence"] = entries["presence_kind"].map(lambda k: PRESENCE_LABELS.get(k, k))

    c1, c2, c3 = st.columns([2, 2, 3])
    with c1, st.container(key="map-types"):
        types = st.multiselect("Organisation type", sorted(entries["org_type"].unique()), key="map-types-pick",
                               placeholder="Every type")
    with c2, st.container(key="map-kinds"):
        kinds = [k for k in PRESENCE_LABELS if k in set(entries["presence_kind"])]
        picked_kinds = st.multiselect("Kind of presence", kinds, format_func=PRESENCE_LABELS.get,
                                      key="map-kinds-pick", placeholder="Every kind")
    with c3, st.container(key="map-rule"):
        rule = st.radio("Which presences", [COUNTED, EVERY], horizontal=True, key="map-rule-pick",
                        help="As the overview counts: hardware & physical infrastructure where the organisation has "
                             "an operating site (its headquarters when no source gives it one), other layers at "
                             "headquarters. Every presence: also headquarters of hardware operators, planned sites "
                             "and offices.")

    view = entries[f.country(entries["country_iso2"]) & f.layer(entries["layer_code"])]
    if types:
        view = view[view["org_type"].isin(types)]
    if picked_kinds:
        view = view[view["presence_kind"].isin(picked_kinds)]
    if rule == COUNTED:
        view = view[view["is_counted"].fillna(False)]

    m1, m2, m3, m4 = st.columns(4)
    with m1:
        ui.metric("map-orgs", "Organisations", f"{view['organization_id'].nunique():,}")
    with m2:
        ui.metric("map-countries", "Countries", f"{view['country_iso2'].nunique():,}")
    with m3:
        ui.metric("map-foreign", "Headquartered outside the country",
                  f"{view.loc[view['hq_country_iso2'] != view['country_iso2'], 'organization_id'].nunique():,}",
                  help="Organisations present in a country they are not headquartered in (hyperscalers, operators)")
    with m4:
        ui.metric("map-entries", "Entries", f"{len(view):,}",
                  help="organisation x country x layer (or hardware sub-layer) x kind of presence")

    if view.empty:
        ui.empty_state("map-empty", "No organisation matches these filters.")
    else:
        st.subheader("Organisations by layer and country")
        cells = (view.groupby(["grid_row", "country_iso2", "country_name"], dropna=False)
                 .agg(organisations=("organization_id", "nunique"), stream_order=("stream_order", "min"),
                      sub=("sub_layer_code", lambda s: s.dropna().iloc[0] if s.notna().any() else ""),
                      names=("organization_name", lambda s: ", ".join(sorted(set(s))[:6])))
                 .reset_index())
        row_order = (cells.sort_values(["stream_order", "sub"])["grid_row"].drop_duplicates().tolist())
        countries = (cells.groupby("country_name")["organisations"].sum().sort_values(ascending=False)
                     .index.tolist())
        picked = ui.chart(charts.heatmap(
            cells, x="grid_row", y="country_name", value="organisations", value_title="Organisations",
            x_order=row_order, y_order=countries, scheme="purples",
            tooltip=[alt.Tooltip("country_name:N", title="Country"), alt.Tooltip("grid_row:N", title="Layer"),
                     alt.Tooltip("organisations:Q", title="Organisations"), alt.Tooltip("names:N", title="Who")],
        ), key="heatmap-map", fields=["country_iso2", "grid_row"])
        ui.source(*market_map.REQUIRED[:3],
                  note="hardware sub-layers are columns of their own; click a cell for its entries and evidence")
        ui.drill("map", "Entries behind the map", view[[
            "country_name", "grid_row", "organization_name", "org_type", "hq_country_iso2", "presence",
            "is_counted", "sites", "site_statuses", "source_names", "snapshot_ids", "evidence_url",
            "layer_evidence", "layer_assigned_by", "country_iso2", "organization_id", "entry_id"]], picked,
            what="entries", hint="Click a cell to list only the organisations behind it.",
            column_config={
                "country_name": "Country", "grid_row": "Layer", "organization_name": "Organisation",
                "org_type": "Type", "hq_country_iso2": "HQ", "presence": "Presence",
                "is_counted": st.column_config.CheckboxColumn("Counted", help="by the overview's counting rule"),
                "sites": st.column_config.ListColumn("Sites"), "site_statuses": st.column_config.ListColumn("Status"),
                "source_names": st.column_config.ListColumn("Sources"),
                "snapshot_ids": st.column_config.ListColumn("Snapshots"),
                "evidence_url": st.column_config.LinkColumn("Evidence"),
                "layer_evidence": "Layer evidence", "layer_assigned_by": "Layer assigned by"})

        st.subheader("The map")
        st.caption("Each name links to the page or file that states its presence (or its layer); hover for the "
                   "kind of presence, the sources and the snapshot it was read from.")
        with st.container(key="map-grid"):
            st.html(f"<style>{market_map.GRID_CSS}</style><div style=\"overflow-x:auto\">"
                    f"{market_map.grid_html(records(view))}</div>")
        c_csv, c_html, _ = st.columns([1, 1, 2])
        with c_csv:
            ui.download(view.drop(columns=["presence"]), "market_map", key="market-map")
        with c_html, st.container(key="download-market-map-html"):
            p = ui.pub()
            page_html = market_map.to_html(records(view), publication_id=p.label, sample=ui.sample(),
                                           counted_only=False)
            st.download_button("Download HTML", page_html.encode("utf-8"),
                               file_name=f"cadena_market_map_{p.label}.html", mime="text/html",
                               key="dl-market-map-html", on_click="ignore", icon=":material/download:",
                               help="The map as one self-contained page (no script, opens offline) to share")
        st.caption("Each publication also writes the whole map to `exports/market_map.csv`, `.parquet` and "
                   "`.html` next to the published file.")


with ui.page("market-map", "Market map",
             "Every organisation in its layer of the chain and in the Latin American countries where it operates: "
             "hardware where its capacity sits, the other layers at headquarters. Each name leads to its evidence."):
    if all(ui.has(t) for t in market_map.REQUIRED):
        show()
    else:
        ui.empty_state("map-missing", "This publication has no presence marts yet (`bridge_organization_presence`); "
                                      "build with a newer Cadena to see the market map.")
