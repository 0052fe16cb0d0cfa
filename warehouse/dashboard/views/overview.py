"""Overview: organisations and funding on one country x layer grid."""

from __future__ import annotations

import altair as alt
import streamlit as st
from cadena_dashboard import charts, ui

import ingestors.core.market_map as market_map

with ui.page("overview", "Latin America's AI value chain",
             "Who is where along the chain (hardware to end users), country by country, and the money behind it."):
    f = ui.filters()
    ui.filter_note()
    layers = ui.layers()
    layers = layers[f.layer(layers["layer_code"])]
    layer_order = list(layers["layer_name"])
    grid = ui.q("""
        select m.country_iso2, m.country_name, m.layer_code, m.layer_name, m.organization_count,
               m.active_organization_count, m.new_last_12_months_count, m.largest_organizations
        from mart_value_chain__country_layer m""")
    grid = grid[f.country(grid["country_iso2"]) & f.layer(grid["layer_code"])]
    grid["largest"] = grid["largest_organizations"].map(lambda v: ", ".join(ui.as_list(v)[:3]))

    # the rows behind the organisation grid: every membership, with its evidence
    members = ui.q("""
        select d.hq_country_iso2 as country_iso2, c.name_en as country_name, b.layer_code, l.layer_name,
               d.organization_name, l.sub_layer_name, b.assigned_by, b.confidence, b.evidence_publication,
               b.evidence_date, b.evidence_url, d.is_in_ai_value_chain, d.organization_id
        from bridge_organization_layers b
        join dim_organizations d using (organization_id)
        left join dim_country c on c.country_iso2 = d.hq_country_iso2
        left join dim_layer l on l.layer_code = b.layer_code and l.sub_layer_code is not distinct from b.sub_layer_code
        where d.is_latam
        order by country_name, l.stream_order, d.organization_name""")
    members = members[f.country(members["country_iso2"]) & f.layer(members["layer_code"])]
    in_chain = members[members["is_in_ai_value_chain"].fillna(False)]
    if f.countries or f.layers:
        org_count = in_chain["organization_id"].nunique()
    else:
        org_count = int(ui.scalar("select count(*) from dim_organizations where is_latam and is_in_ai_value_chain"))
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
    rounds = None
    if funding_source is not None:
        funding = funding[f.country(funding["country_iso2"]) & f.layer(funding["layer_code"])]
    if ui.has("fct_funding_rounds"):
        latam = "and is_latam" if ui.has("fct_funding_rounds", "is_latam") else ""
        rounds = ui.q(f"""
            select r.country_iso2, c.name_en as country_name, r.layer_codes, r.organization_name, r.round_date,
                   r.round_type_label, r.amount_usd, r.amount_status, r.claims_count, r.is_conflicting,
                   r.sources, r.source_urls, r.round_id
            from fct_funding_rounds r left join dim_country c using (country_iso2)
            where true {latam} order by r.round_date desc""")
        rounds = rounds[f.country(rounds["country_iso2"]) & f.layer(rounds["layer_codes"])]
        converted = rounds[rounds["amount_status"] == "converted"]
        funding_total = converted["amount_usd"].sum() if (f.countries or f.layers) else ui.scalar(f"""
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
        picked = ui.chart(charts.heatmap(
                cells, x="layer_name", y="country_name", value="organization_count", value_title="Organisations",
                x_order=layer_order, y_order=countries,
                tooltip=[alt.Tooltip("country_name:N", title="Country"), alt.Tooltip("layer_name:N", title="Layer"),
                         alt.Tooltip("organization_count:Q", title="Organisations"),
                         alt.Tooltip("active_organization_count:Q", title="Active"),
                         alt.Tooltip("new_last_12_months_count:Q", title="New in 12 months"),
                         alt.Tooltip("largest:N", title="Largest")],
        ), key="heatmap-orgs", fields=["country_iso2", "layer_code"])
        ui.source("mart_value_chain__country_layer",
                  note="hardware & physical infrastructure where the organisation has an operating site (else its "
                       "headquarters), every other layer at headquarters; an organisation in two layers counts in "
                       "both. Countries with none are left out. See the Market map for the names.")
        c_dl, _ = st.columns([1, 3])
        with c_dl:
            ui.download(grid.drop(columns=["largest_organizations"]), "organisations_by_country_layer",
                        key="orgs-grid")
        if all(ui.has(t) for t in market_map.REQUIRED):
            # the entries the grid counts (the market map's counted rows): a hardware cell lists the operators
            # present in the country, not only those headquartered there
            behind = ui.q(market_map.MARKET_MAP_SQL)
            behind = behind[behind["is_counted"].fillna(False) & f.country(behind["country_iso2"])
                            & f.layer(behind["layer_code"])]
            for column in ("sites", "source_names", "snapshot_ids"):
                behind[column] = behind[column].map(ui.as_list)
            behind = behind[["country_name", "layer_name", "organization_name", "sub_layer_name", "presence_kind",
                             "sites", "source_names", "snapshot_ids", "evidence_url", "layer_assigned_by",
                             "hq_country_iso2", "country_iso2", "layer_code", "organization_id"]]
            what = "entries"
        else:
            behind, what = members.drop(columns=["is_in_ai_value_chain"]), "memberships"
        ui.drill("orgs", "Organisations behind the grid", behind, picked,
                 what=what, hint="Click a cell to list the organisations behind it.",
                 column_config={"country_name": "Country", "layer_name": "Layer", "organization_name": "Organisation",
                                "sub_layer_name": "Sub-layer", "assigned_by": "Assigned by",
                                "presence_kind": "Presence", "sites": st.column_config.ListColumn("Sites"),
                                "source_names": st.column_config.ListColumn("Sources"),
                                "snapshot_ids": st.column_config.ListColumn("Snapshots"),
                                "layer_assigned_by": "Layer assigned by", "hq_country_iso2": "HQ",
                                "evidence_publication": "Evidence", "evidence_date": "Evidence date",
                                "evidence_url": st.column_config.LinkColumn("Evidence link")})

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
            picked = ui.chart(charts.heatmap(
                    funded, x="layer_name", y="country_name", value="usd", value_title="USD raised",
                    x_order=layer_order, y_order=countries, fmt="$,.3s", scheme="greens", label="usd_label",
                    legend_expr=ui.BILLIONS,
                    tooltip=[alt.Tooltip("country_name:N", title="Country"),
                             alt.Tooltip("layer_name:N", title="Layer"),
                             alt.Tooltip("usd:Q", title="USD raised, all time", format="$,.0f"),
                             alt.Tooltip("rounds:Q", title="Rounds"),
                             alt.Tooltip("usd_12m:Q", title="USD, last 12 months", format="$,.0f"),
                             alt.Tooltip("rounds_12m:Q", title="Rounds, last 12 months")],
                ), key="heatmap-funding", fields=["country_iso2", "layer_code"])
            sample_rows = None
            if ui.has("fct_funding_rounds", "is_sample_data"):
                sample_rows = bool(ui.scalar("select coalesce(bool_or(is_sample_data), false) from fct_funding_rounds"))
            ui.source(funding_source, note="disclosed rounds converted to USD; a round of an organisation in "
                      "two layers counts in both. See Funding for the rounds themselves.", sample_rows=sample_rows)
            c_dl, _ = st.columns([1, 3])
            with c_dl:
                ui.download(funded.drop(columns=["usd_label"]), "funding_by_country_layer", key="funding-grid")
            if rounds is not None:
                behind = rounds.explode("layer_codes").rename(columns={"layer_codes": "layer_code"})
                behind["source_urls"] = behind["source_urls"].map(ui.as_list)
                behind["sources"] = behind["sources"].map(ui.as_list)
                behind["source"] = behind["source_urls"].map(lambda urls: urls[0] if urls else None)
                ui.drill("funding", "Rounds behind the grid", behind[behind["amount_status"] == "converted"], picked,
                         what="round x layer rows", hint="Click a cell to list the rounds behind it.",
                         column_config={"country_name": "Country", "layer_code": "Layer",
                                        "organization_name": "Organisation", "round_date": "Date",
                                        "round_type_label": "Type",
                                        "amount_usd": st.column_config.NumberColumn("USD", format="$%,.0f"),
                                        "claims_count": "Claims", "is_conflicting": "Sources disagree",
                                        "sources": st.column_config.ListColumn("From"),
                                        "source_urls": st.column_config.ListColumn("Source URLs"),
                                        "source": st.column_config.LinkColumn("Source")})
