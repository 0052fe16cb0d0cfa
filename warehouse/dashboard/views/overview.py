"""Overview: organisations and funding on one country x layer grid."""

from __future__ import annotations

import altair as alt
import streamlit as st
from cadena_dashboard import charts, ui

with ui.page("overview", "Latin America's AI value chain",
             "Who is where along the chain (hardware to end users), country by country, and the money behind it."):
    layers = ui.layers()
    layer_order = list(layers["layer_name"])
    grid = ui.q("""
        select m.country_iso2, m.country_name, m.layer_code, m.layer_name, m.organization_count,
               m.active_organization_count, m.new_last_12_months_count, m.largest_organizations
        from mart_value_chain__country_layer m""")
    grid["largest"] = grid["largest_organizations"].map(lambda v: ", ".join(ui.as_list(v)[:3]))

    org_count = int(ui.scalar("""
        select count(*) from dim_organizations where is_latam and is_in_ai_value_chain"""))
    present = grid[grid["organization_count"] > 0]
    funding_source = None
    if ui.has("mart_value_chain__country_layer", "funding_usd_all_time"):
        funding_source = "mart_value_chain__country_layer"
        funding = ui.q("""
            select country_iso2, country_name, layer_code, layer_name,
                   funding_usd_all_time as usd, funding_rounds_all_time as rounds,
                   funding_usd_last_12_months as usd_12m, funding_rounds_last_12_months as rounds_12m
            from mart_value_chain__country_layer""")
    elif ui.has("mart_funding__country_layer_quarter"):
        funding_source = "mart_funding__country_layer_quarter"
        funding = ui.q("""
            select country_iso2, any_value(country_name) as country_name,
                   layer_code, any_value(layer_name) as layer_name,
                   sum(usd_raised) as usd, sum(round_count) as rounds,
                   sum(usd_raised) filter (where quarter_start >= current_date - interval 12 month) as usd_12m,
                   sum(round_count) filter (where quarter_start >= current_date - interval 12 month) as rounds_12m
            from mart_funding__country_layer_quarter group by country_iso2, layer_code""")
    funding_total = None
    if ui.has("fct_funding_rounds"):
        latam = "and is_latam" if ui.has("fct_funding_rounds", "is_latam") else ""
        funding_total = ui.scalar(f"""
            select sum(amount_usd) from fct_funding_rounds where amount_status = 'converted' {latam}""")

    c1, c2, c3, c4 = st.columns(4)
    with c1:
        ui.metric("orgs", "LatAm organisations in the chain", f"{org_count:,}",
                  help="dim_organizations: headquartered in Latin America and in the AI value chain")
    with c2:
        ui.metric("countries", "Countries with organisations", f"{present['country_iso2'].nunique():,}")
    with c3:
        ui.metric("layers", "Layers covered", f"{present['layer_code'].nunique()} of {len(layers)}")
    with c4:
        ui.metric("funding", "Disclosed funding (USD)", ui.usd(funding_total),
                  help="fct_funding_rounds: rounds of Latin American organisations converted to USD; "
                       "undisclosed amounts excluded")

    st.subheader("Organisations by country and layer")
    if present.empty:
        ui.empty_state("orgs-empty", "No organisation has a layer yet in this publication.")
    else:
        countries = (present.groupby("country_name")["organization_count"].sum()
                     .sort_values(ascending=False).index.tolist())
        cells = grid[grid["country_name"].isin(countries)]
        with st.container(key="heatmap-orgs"):
            st.altair_chart(charts.heatmap(
                cells, x="layer_name", y="country_name", value="organization_count", value_title="Organisations",
                x_order=layer_order, y_order=countries,
                tooltip=[alt.Tooltip("country_name:N", title="Country"), alt.Tooltip("layer_name:N", title="Layer"),
                         alt.Tooltip("organization_count:Q", title="Organisations"),
                         alt.Tooltip("active_organization_count:Q", title="Active"),
                         alt.Tooltip("new_last_12_months_count:Q", title="New in 12 months"),
                         alt.Tooltip("largest:N", title="Largest")],
            ), width="stretch")
        ui.source("mart_value_chain__country_layer",
                  note="organisations headquartered in the country with a membership in the layer; "
                       "an organisation in two layers counts in both. Countries with none are left out.")

    st.subheader("Funding by country and layer (USD, all time)")
    if funding_source is None:
        ui.empty_state("funding-empty",
                       "No funding data published yet: this publication has no funding marts "
                       "(`mart_value_chain__country_layer.funding_usd_all_time` or "
                       "`mart_funding__country_layer_quarter`).")
    else:
        funded = funding[funding["usd"].fillna(0) > 0].copy()
        if funded.empty:
            ui.empty_state("funding-empty", "The funding marts are published but hold no disclosed amount yet.")
        else:
            funded["usd_label"] = funded["usd"].map(lambda v: ui.usd(v, 0))
            countries = funded.groupby("country_name")["usd"].sum().sort_values(ascending=False).index.tolist()
            with st.container(key="heatmap-funding"):
                st.altair_chart(charts.heatmap(
                    funded, x="layer_name", y="country_name", value="usd", value_title="USD raised",
                    x_order=layer_order, y_order=countries, fmt="$,.3s", scheme="greens", label="usd_label",
                    tooltip=[alt.Tooltip("country_name:N", title="Country"),
                             alt.Tooltip("layer_name:N", title="Layer"),
                             alt.Tooltip("usd:Q", title="USD raised, all time", format="$,.0f"),
                             alt.Tooltip("rounds:Q", title="Rounds"),
                             alt.Tooltip("usd_12m:Q", title="USD, last 12 months", format="$,.0f"),
                             alt.Tooltip("rounds_12m:Q", title="Rounds, last 12 months")],
                ), width="stretch")
            sample_rows = None
            if ui.has("fct_funding_rounds", "is_sample_data"):
                sample_rows = bool(ui.scalar("select coalesce(bool_or(is_sample_data), false) from fct_funding_rounds"))
            ui.source(funding_source, note="disclosed rounds converted to USD; a round of an organisation in "
                      "two layers counts in both. See Funding for the rounds themselves.", sample_rows=sample_rows)
