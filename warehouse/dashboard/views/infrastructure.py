"""Infrastructure: where the facilities, cable landings and cloud regions are, and each country's capacity."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st
from cadena_dashboard import charts, ui

with ui.page("infrastructure", "Infrastructure",
             "Data centres, submarine cables and cloud regions on the map; capacity, exchanges and regions "
             "by country."):
    names = ui.country_names()
    f = ui.filters()
    ui.filter_note()
    excluded = ui.infrastructure_layer_excluded("infra-layer-excluded")

    if not excluded:
        facilities = ui.q("""
            select facility_name as name, country_iso2, city, operator_name, latitude, longitude, net_count, record_url
            from fct_facilities""")
        landings = ui.q("""
            select landing_point_id, any_value(landing_point_name) as name, any_value(country_iso2) as country_iso2,
                   any_value(latitude) as latitude, any_value(longitude) as longitude,
                   string_agg(distinct cable_name, ', ' order by cable_name) as cables,
                   bool_and(is_planned) as only_planned, bool_or(is_latam) as is_latam
            from fct_cable_landings group by landing_point_id""")
        regions = ui.q("""
            select provider, region_code, region_name, kind, status, country_iso2, city, latitude, longitude,
                   is_latam, is_us_reference, launch_year
            from fct_cloud_regions""")
        cable_lines = ui.q("""
            select cable_name, landing_point_id, latitude, longitude, is_planned
            from fct_cable_landings where latitude is not null and longitude is not null""")
        infra = ui.q("select * from mart_infrastructure__country")
        capacity = ui.q("""select country_iso2, organization_name, site, city, mw, status, as_of, confidence,
                                  source_publication, source_date, source_url from fct_datacenter_capacity
                           order by country_iso2, mw desc nulls last""")
        facilities = facilities[f.country(facilities["country_iso2"])]
        landings = landings[f.country(landings["country_iso2"])]
        regions = regions[f.country(regions["country_iso2"])]
        infra = infra[f.country(infra["country_iso2"])]
        capacity = capacity[f.country(capacity["country_iso2"])]
        if f.countries:  # the cables that land in a chosen country, drawn whole
            cable_lines = cable_lines[cable_lines["cable_name"].isin(
                cable_lines.loc[cable_lines["landing_point_id"].isin(landings["landing_point_id"]), "cable_name"])]

        def country(iso2) -> str:
            return names.get(iso2, iso2) if isinstance(iso2, str) else "—"

        def region_kind(row) -> str:
            if row.status == "announced":
                return "Announced cloud region"
            return "Cloud Local Zone" if row.kind == "local_zone" else "Cloud region"

        points = pd.concat([
            pd.DataFrame({
                "kind": "Data centre / colocation", "name": facilities["name"],
                "country": facilities["country_iso2"].map(country),
                "detail": facilities["operator_name"].fillna("") + " · " + facilities["city"].fillna(""),
                "latitude": facilities["latitude"], "longitude": facilities["longitude"],
                "evidence": facilities["record_url"]}),
            pd.DataFrame({
                "kind": "Cable landing point", "name": landings["name"],
                "country": landings["country_iso2"].map(country),
                "detail": landings["cables"], "latitude": landings["latitude"], "longitude": landings["longitude"]}),
            pd.DataFrame({
                "kind": [region_kind(r) for r in regions.itertuples()],
                "name": regions["provider"].str.upper() + " " + regions["region_code"],
                "country": regions["country_iso2"].map(country),
                "detail": regions["city"].fillna("") + regions["is_us_reference"].map(
                    lambda us: " · US reference region" if us else ""),
                "latitude": regions["latitude"], "longitude": regions["longitude"]}),
        ], ignore_index=True)
        mapped = points.dropna(subset=["latitude", "longitude"])
        unmapped = points[points["latitude"].isna() | points["longitude"].isna()]

        # Cable routes are not in the data: draw each cable as straight segments between its landings, north to south.
        cable_lines = cable_lines.sort_values(["cable_name", "latitude"], ascending=[True, False])
        cable_lines["seq"] = cable_lines.groupby("cable_name").cumcount()
        cable_lines["status"] = cable_lines["is_planned"].map(lambda p: "planned" if p else "in service")

        mw = infra[["datacenter_mw_operating", "datacenter_mw_under_construction", "datacenter_mw_planned"]].fillna(0)
        c1, c2, c3, c4, c5 = st.columns(5)
        with c1:
            ui.metric("facilities", "Facilities", f"{len(facilities):,}", help="fct_facilities (PeeringDB)")
        with c2:
            ui.metric("landings", "Cable landing points", f"{int(landings['is_latam'].fillna(False).sum()):,}",
                      help="fct_cable_landings: distinct landing points in Latin America")
        with c3:
            latam_regions = regions[regions["is_latam"].fillna(False)]
            ui.metric("regions", "Cloud regions and zones", f"{len(latam_regions):,}",
                      help="fct_cloud_regions in Latin America, Local Zones and announced regions included")
        with c4:
            ui.metric("ixps", "Internet exchanges", f"{int(infra['ixp_count'].fillna(0).sum()):,}",
                      help="mart_infrastructure__country.ixp_count")
        with c5:
            ui.metric("mw", "Data-centre MW operating", ui.num(mw["datacenter_mw_operating"].sum()),
                      help="mart_infrastructure__country.datacenter_mw_operating (curated announcements)")

        active = infra[(infra[["facility_count", "ixp_count", "cloud_region_count", "cable_landing_point_count",
                               "gpu_cluster_count", "planned_gpu_cluster_count"]].fillna(0).sum(axis=1) > 0)
                       | (mw.sum(axis=1) > 0)].copy()
        mw_long = active.melt(id_vars=["country_name"], value_vars=list(mw.columns), var_name="stage", value_name="mw")
        mw_long = mw_long[mw_long["mw"].fillna(0) > 0]
        mw_long["stage"] = mw_long["stage"].map({
            "datacenter_mw_operating": "operating", "datacenter_mw_under_construction": "building",
            "datacenter_mw_planned": "planned"})
        map_col, side = st.columns([3, 2], gap="large")
        with map_col:
            st.subheader("Map")
            kinds = [k for k in charts.POINT_KINDS if k in set(points["kind"])]
            shown = st.multiselect("Show", kinds, default=kinds, key="map-kinds")
            show_cables = st.toggle("Submarine cables (schematic)", value=True, key="map-cables")
            drawn = mapped[mapped["kind"].isin(shown or [])]
            picked_points = ui.chart(charts.infrastructure_map(
                drawn, cable_lines if show_cables else cable_lines.iloc[0:0], height=720), key="infra-map",
                fields=["name", "kind"])
            with st.container(key="map-summary"):
                counts = ", ".join(f"{n} {k.lower()}" for k, n in drawn["kind"].value_counts().items())
                st.caption(f"{len(drawn)} points drawn ({counts or 'none'}). "
                           f"{len(unmapped)} without coordinates are listed below the map, not drawn. "
                           "Country outlines: Natural Earth 1:110m (public domain), shipped with the app: no map "
                           "tiles are fetched.")
            ui.source("fct_facilities", "fct_cable_landings", "fct_cloud_regions",
                      note="cables are straight lines between their landing points, not their surveyed routes")
            ui.drill("map", "Points on the map", drawn, picked_points, what="points",
                     hint="Click a point on the map to see it alone.",
                     column_config={"evidence": st.column_config.LinkColumn("Source", display_text="PeeringDB")})
            if not unmapped.empty:
                with st.expander(f"Not on the map: {len(unmapped)} without coordinates"):
                    st.dataframe(unmapped[["kind", "name", "country", "detail"]], hide_index=True)

        with side:
            st.subheader("Capacity by country")
            if mw_long.empty:
                ui.empty_state("mw-empty", "No data-centre capacity (MW) announced in this publication.")
            else:
                order = mw_long.groupby("country_name")["mw"].sum().sort_values(ascending=False).index.tolist()
                picked_mw = ui.chart(charts.fit_x(alt.Chart(mw_long).mark_bar().encode(
                        y=alt.Y("country_name:N", sort=order, title=None),
                        x=alt.X("mw:Q", title="Data-centre MW", stack="zero"),
                        color=alt.Color("stage:N", title=None, sort=["operating", "building", "planned"],
                                        legend=alt.Legend(orient="bottom"),
                                        scale=alt.Scale(domain=["operating", "building", "planned"],
                                                        range=["#1f77b4", "#ff7f0e", "#c7c7c7"])),
                        order=alt.Order("stage_order:Q"),
                        tooltip=[alt.Tooltip("country_name:N", title="Country"), alt.Tooltip("stage:N", title="Stage"),
                                 alt.Tooltip("mw:Q", title="MW", format=",.0f")],
                    ).transform_calculate(
                        stage_order="indexof(['operating', 'building', 'planned'], datum.stage)"
                    ).properties(height=36 * len(order) + 30)), key="mw-chart", fields=["country_name"])
                ui.source("mart_infrastructure__country", note="datacenter_mw_*: curated capacity announcements")
                ui.drill("mw", "Capacity announcements behind the chart",
                         capacity.assign(country_name=capacity["country_iso2"].map(country)), picked_mw,
                         what="announcements", column_config={
                             "mw": st.column_config.NumberColumn("MW", format="%.0f"),
                             "source_url": st.column_config.LinkColumn("Source")})
            regions_by = (latam_regions.assign(provider=latam_regions["provider"].str.upper())
                          .groupby(["country_iso2", "provider"]).size().reset_index(name="regions"))
            regions_by["country"] = regions_by["country_iso2"].map(country)
            if not regions_by.empty:
                picked_regions = ui.chart(charts.fit_x(alt.Chart(regions_by).mark_bar().encode(
                    y=alt.Y("country:N", sort="-x", title=None),
                    x=alt.X("sum(regions):Q", title="Cloud regions and zones"),
                    color=alt.Color("provider:N", title=None, legend=alt.Legend(orient="bottom")),
                    tooltip=["country:N", "provider:N", "regions:Q"],
                ).properties(height=36 * regions_by["country"].nunique() + 30)), key="regions-chart",
                    fields=["country", "provider"])
                ui.source("fct_cloud_regions", note="Latin American regions, Local Zones and announced regions")
                ui.drill("regions", "Cloud regions behind the chart",
                         latam_regions.assign(country=latam_regions["country_iso2"].map(country),
                                              provider=latam_regions["provider"].str.upper()), picked_regions,
                         what="regions and zones")

        table = active[["country_name", "facility_count", "facility_operator_count", "datacenter_mw_operating",
                        "datacenter_mw_under_construction", "datacenter_mw_planned", "ixp_count", "ixp_network_count",
                        "cloud_region_count", "aws_local_zone_count", "cloud_provider_count", "submarine_cable_count",
                        "cable_landing_point_count", "gpu_cluster_count", "h100_equivalents", "top500_system_count",
                        "internet_users_pct", "electricity_kwh_per_capita", "is_sample_data"]]
        st.dataframe(table.sort_values("facility_count", ascending=False), hide_index=True, column_config={
            "country_name": "Country", "facility_count": "Facilities", "facility_operator_count": "Operators",
            "datacenter_mw_operating": st.column_config.NumberColumn("MW operating", format="%.0f"),
            "datacenter_mw_under_construction": st.column_config.NumberColumn("MW building", format="%.0f"),
            "datacenter_mw_planned": st.column_config.NumberColumn("MW planned", format="%.0f"),
            "ixp_count": "IXPs", "ixp_network_count": "IXP networks", "cloud_region_count": "Cloud regions",
            "aws_local_zone_count": "AWS Local Zones", "cloud_provider_count": "Cloud providers",
            "submarine_cable_count": "Cables", "cable_landing_point_count": "Landing points",
            "gpu_cluster_count": "GPU clusters",
            "h100_equivalents": st.column_config.NumberColumn("H100e", format="%.0f"),
            "top500_system_count": "TOP500 systems",
            "internet_users_pct": st.column_config.NumberColumn("Internet users %", format="%.1f"),
            "electricity_kwh_per_capita": st.column_config.NumberColumn("kWh per person", format="%.0f"),
            "is_sample_data": "Sample data",
        })
        ui.source("mart_infrastructure__country", note="countries with at least one facility, exchange, region, "
                  "landing point, GPU cluster or announced MW", sample_rows=bool(infra["is_sample_data"].any()))
        ui.download(table, "infrastructure_by_country", key="infra-table")

        tab_fac, tab_ix, tab_cab, tab_reg = st.tabs(["Facilities", "Internet exchanges", "Submarine cables",
                                                     "Cloud regions"])
        link = st.column_config.LinkColumn
        with tab_fac:
            shown_facilities = facilities.assign(country=facilities["country_iso2"].map(country)).drop(
                columns="country_iso2")
            st.dataframe(shown_facilities, hide_index=True,
                         column_config={"record_url": link("Source", display_text="PeeringDB")})
            ui.source("fct_facilities")
            ui.download(shown_facilities, "facilities", key="facilities")
        with tab_ix:
            ixps = ui.q("""select ix_name, name_long, country_iso2, city, operator_name, net_count,
                                  linked_facility_count, website, record_url
                           from fct_internet_exchanges order by net_count desc nulls last""")
            ixps = ixps[f.country(ixps["country_iso2"])]
            st.dataframe(ixps, hide_index=True, column_config={
                "website": link("Website"), "record_url": link("Source", display_text="PeeringDB")})
            ui.source("fct_internet_exchanges", note="PeeringDB gives exchanges no coordinates, so they are not mapped")
            ui.download(ixps, "internet_exchanges", key="ixps")
        with tab_cab:
            cables = ui.q("""select cable_name, rfs_year, is_planned, length_km, landing_point_count,
                                    latam_landing_count, latam_countries, owners, website, record_url
                             from fct_submarine_cables
                             order by cable_name""")
            for col in ("latam_countries", "owners"):
                cables[col] = cables[col].map(ui.as_list)
            cables = cables[f.any_country(cables["latam_countries"])]
            st.dataframe(cables, hide_index=True, column_config={
                "website": link("Website"), "record_url": link("Source", display_text="TeleGeography")})
            ui.source("fct_submarine_cables")
            ui.download(cables, "submarine_cables", key="cables")
        with tab_reg:
            shown_regions = regions.assign(country=regions["country_iso2"].map(country)).drop(columns="country_iso2")
            st.dataframe(shown_regions, hide_index=True)
            ui.source("fct_cloud_regions", note="one US reference region per provider is included for comparison")
            ui.download(shown_regions, "cloud_regions", key="regions")
