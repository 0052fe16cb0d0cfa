"""Dependency graph: who depends on whom along the chain (cloud, base models, owners, operators), with evidence."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from cadena_dashboard import graph, ui

SITE_KINDS = {"facility": "facility", "ixp": "internet exchange", "cloud_region": "cloud region",
              "cable_landing": "cable landing", "cluster": "GPU cluster / system"}


def organisation_edges() -> pd.DataFrame:
    """One row per organisation -> organisation dependency (the upstream side of mart_dependencies__organization)."""
    edges = ui.q("""
        select organization_id as from_id, organization_name as from_name, hq_country_iso2 as from_country,
               counterpart_organization_id as to_id, counterpart_name as to_name,
               counterpart_hq_country_iso2 as to_country, dependency_kind as edge_kind, derivation, source_name,
               evidence_url, null::varchar as snapshot_id, layer_codes as from_layers,
               counterpart_layer_codes as to_layers, crosses_border
        from mart_dependencies__organization where direction = 'upstream'
        order by from_name, to_name""")
    edges["from_kind"] = "organization"
    return edges


def site_edges() -> pd.DataFrame:
    """Site -> the organisation that operates or owns it (fct_dependency_edges), one row per site."""
    edges = ui.q(f"""
        select e.from_node_id as from_id, e.from_node_name as from_name, e.country_iso2 as from_country,
               e.to_node_id as to_id, e.to_node_name as to_name, d.hq_country_iso2 as to_country,
               e.edge_kind, e.derivation, e.source_name, e.evidence_url, e.snapshot_id, e.from_node_kind as from_kind,
               coalesce(l.layer_codes, []) as to_layers
        from fct_dependency_edges e
        left join dim_organizations d on d.organization_id = e.to_node_id
        left join (select organization_id, list(distinct layer_code) as layer_codes
                   from bridge_organization_layers group by 1) l on l.organization_id = e.to_node_id
        where e.from_node_kind in ({", ".join(f"'{k}'" for k in SITE_KINDS)}) and e.to_node_kind = 'organization'
        order by e.from_node_name""")
    edges["from_layers"] = [["hardware_infrastructure"]] * len(edges)
    edges["from_name"] = edges["from_name"] + " (" + edges["from_kind"].map(SITE_KINDS) + ")"
    edges["crosses_border"] = edges["from_country"] != edges["to_country"]
    return edges


def show() -> None:
    f = ui.filters()
    ui.filter_note("either end headquartered (a site: located) in a chosen country; either end in a chosen layer")
    names = ui.country_names()
    layer_table = ui.layers()
    layer_name = dict(zip(layer_table["layer_code"], layer_table["layer_name"], strict=True))
    layer_rank = {c: i for i, c in enumerate(layer_table["layer_code"])}

    c1, c2 = st.columns([2, 3])
    with c1, st.container(key="dep-sites"):
        with_sites = st.toggle("Show sites (cloud regions, facilities, exchanges, cable landings, clusters)",
                               value=False, key="dep-sites-pick")
    with c2, st.container(key="dep-border"):
        border_only = st.toggle("Only dependencies across a border", value=False, key="dep-border-pick")

    edges = organisation_edges()
    if with_sites and ui.has("fct_dependency_edges"):
        edges = pd.concat([edges, site_edges()], ignore_index=True)
    for column in ("from_layers", "to_layers"):
        edges[column] = edges[column].map(ui.as_list)
    keep = pd.Series(True, index=edges.index)
    if f.countries:
        keep &= edges["from_country"].isin(f.countries) | edges["to_country"].isin(f.countries)
    if f.layers:
        keep &= f.layer(edges["from_layers"]) | f.layer(edges["to_layers"])
    if border_only:
        keep &= edges["crosses_border"].fillna(True).astype(bool)
    edges = edges[keep].reset_index(drop=True)

    # nodes: both ends of every edge kept, placed in their most upstream layer (sites in a column of their own)
    ends = pd.concat([
        edges[["from_id", "from_name", "from_country", "from_layers", "from_kind"]].set_axis(
            ["node_id", "name", "country_iso2", "layer_codes", "kind"], axis=1),
        edges[["to_id", "to_name", "to_country", "to_layers"]].assign(kind="organization").set_axis(
            ["node_id", "name", "country_iso2", "layer_codes", "kind"], axis=1),
    ]).drop_duplicates("node_id")
    ends["name"] = ends["name"].fillna(ends["node_id"])

    def column(row) -> str:
        if row["kind"] != "organization":
            return graph.SITES
        codes = sorted(row["layer_codes"], key=lambda c: layer_rank.get(c, 99))
        return layer_name.get(codes[0], codes[0]) if codes else graph.NO_LAYER

    layer_columns = list(layer_table["layer_name"])
    columns = ([graph.SITES] if with_sites else []) + layer_columns + [graph.NO_LAYER]
    ends["column"] = ends.apply(column, axis=1) if not ends.empty else pd.Series(dtype=str)
    ends["country"] = ends["country_iso2"].map(lambda c: names.get(c, c) if isinstance(c, str) else None)
    ends["layers"] = ends["layer_codes"].map(lambda codes: ", ".join(layer_name.get(c, c) for c in codes) or "—")
    ends["upstream"] = ends["node_id"].map(edges["from_id"].value_counts()).fillna(0).astype(int)
    ends["downstream"] = ends["node_id"].map(edges["to_id"].value_counts()).fillna(0).astype(int)
    ends["degree"] = ends["upstream"] + ends["downstream"]
    # used columns only, so a sparse graph is not spread over ten mostly empty columns
    columns = [c for c in columns if c in set(ends["column"])]

    orgs = ends[ends["kind"] == "organization"]
    m1, m2, m3 = st.columns(3)
    with m1:
        ui.metric("dep-orgs", "Organisations in the graph", f"{len(orgs):,}")
    with m2:
        ui.metric("dep-edges", "Dependencies", f"{int((edges['from_kind'] == 'organization').sum()):,}",
                  help="organisation -> organisation edges (curated, or derived from base models)")
    with m3:
        ui.metric("dep-border", "Across a border",
                  f"{int(edges.loc[edges['from_kind'] == 'organization', 'crosses_border'].fillna(True).sum()):,}")

    if edges.empty:
        ui.empty_state("dep-empty", "No dependency matches these filters.")
        return

    placed, heads = graph.layout(ends[["node_id", "name", "column", "country", "layers", "upstream", "downstream",
                                "degree", "kind"]], columns)
    placed["label"] = placed.apply(lambda r: r["name"] if r["kind"] == "organization" or r["degree"] > 1
                                   else "", axis=1)
    at = placed.set_index("node_id")[["x", "y"]]
    drawn = edges.join(at, on="from_id").join(at.rename(columns={"x": "x2", "y": "y2"}), on="to_id")

    st.subheader("Who depends on whom")
    st.caption("Left to right: upstream (hardware) to downstream (end users); an organisation sits in its most "
               "upstream layer. A line joins a dependent to what it depends on; hover a line for its evidence. "
               "Click an organisation to list its upstream and downstream below (double-click clears).")
    # the organisation shown below: a new click on the graph picks it, else the selectbox's choice
    choices = orgs.sort_values(["degree", "name"], ascending=[False, True])
    label = dict(zip(choices["node_id"], choices["name"], strict=True))
    ids = list(choices["node_id"])
    event = st.session_state.get("dep-graph-chart")
    clicked = [p.get("node_id") for p in ((event or {}).get("selection") or {}).get("pick", []) if isinstance(p, dict)]
    click = clicked[0] if clicked else None
    if click != st.session_state.get("dep-last-click"):
        st.session_state["dep-last-click"] = click
        if click in ids:
            st.session_state["dep-org"] = click
    if st.session_state.get("dep-org") not in ids:
        st.session_state["dep-org"] = ids[0]
    chosen = st.session_state["dep-org"]
    with st.container(key="dep-graph"):
        st.altair_chart(graph.chart(placed, drawn, heads, layer_columns, chosen), width="stretch",
                        on_select="rerun", selection_mode="pick", key="dep-graph-chart")
    ui.source("mart_dependencies__organization", *(["fct_dependency_edges"] if with_sites else []),
              note="curated dependencies and those derived from base models (Epoch, Hugging Face)"
                   + ("; sites to their operator or owner" if with_sites else ""))
    shown = drawn.drop(columns=["x", "y", "x2", "y2"])
    c_dl, _ = st.columns([1, 3])
    with c_dl:
        ui.download(shown, "dependencies", key="dep-edges")

    st.subheader("Upstream and downstream of one organisation")
    st.selectbox("Organisation", ids, format_func=label.get, key="dep-org")
    mine = ui.q("""
        select direction, dependency_kind, counterpart_name, counterpart_hq_country_iso2, crosses_border,
               counterpart_layer_codes, derivation, source_name, evidence_url, counterpart_organization_id
        from mart_dependencies__organization where organization_id = ?
        order by direction desc, dependency_kind, counterpart_name""", (chosen,))
    mine["counterpart_layer_codes"] = mine["counterpart_layer_codes"].map(
        lambda v: [layer_name.get(c, c) for c in ui.as_list(v)])
    with st.container(key="dep-org-table"):
        up = int((mine["direction"] == "upstream").sum())
        st.markdown(f"**{label.get(chosen, chosen)}** depends on {up} organisation(s) and {len(mine) - up} "
                    "depend on it.")
        st.dataframe(mine, hide_index=True, column_config={
            "direction": "Direction", "dependency_kind": "Dependency", "counterpart_name": "Counterpart",
            "counterpart_hq_country_iso2": "Its HQ", "crosses_border": "Across a border",
            "counterpart_layer_codes": st.column_config.ListColumn("Its layers"), "derivation": "Derived",
            "source_name": "Source", "evidence_url": st.column_config.LinkColumn("Evidence")})
        sites = drawn[(drawn["to_id"] == chosen) & (drawn["from_kind"] != "organization")]
        if not sites.empty:
            st.caption(f"It operates or owns {len(sites)} site(s) shown in the graph: "
                       + ", ".join(sites["from_name"].head(12)) + ("…" if len(sites) > 12 else ""))
        ui.download(mine, "dependencies_of_organisation", key="dep-org-rows")
    ui.source("mart_dependencies__organization")

    if ui.has("mart_dependencies__country"):
        st.subheader("Which providers each country depends on")
        countries = ui.q("""
            select country_iso2, country_name, provider_name, provider_hq_country_iso2, is_foreign_provider,
                   dependency_kind, dependent_organization_count, dependent_organizations, site_count, source_names
            from mart_dependencies__country order by country_name, site_count desc, dependent_organization_count desc,
                 provider_name""")
        countries = countries[f.country(countries["country_iso2"])]
        for column in ("dependent_organizations", "source_names"):
            countries[column] = countries[column].map(ui.as_list)
        with st.container(key="dep-countries"):
            st.dataframe(countries.drop(columns=["country_iso2"]), hide_index=True, column_config={
                "country_name": "Country", "provider_name": "Provider", "provider_hq_country_iso2": "Provider HQ",
                "is_foreign_provider": "Foreign", "dependency_kind": "Dependency",
                "dependent_organization_count": "Dependent organisations",
                "dependent_organizations": st.column_config.ListColumn("Who"), "site_count": "Sites it operates",
                "source_names": st.column_config.ListColumn("Sources")})
        ui.source("mart_dependencies__country",
                  note="hosts_ rows: the provider's operating sites in the country; other rows: organisations "
                       "headquartered there that depend on it")
        c_dl, _ = st.columns([1, 3])
        with c_dl:
            ui.download(countries, "dependencies_by_country", key="dep-countries")


with ui.page("dependencies", "Dependency graph",
             "Which organisations depend on which along the chain: clouds, base-model providers, owners, the "
             "operators of sites; and which foreign providers each country depends on."):
    if ui.has("mart_dependencies__organization"):
        show()
    else:
        ui.empty_state("dep-missing", "This publication has no dependency marts yet "
                                      "(`mart_dependencies__organization`); build a newer Cadena to see the graph.")
