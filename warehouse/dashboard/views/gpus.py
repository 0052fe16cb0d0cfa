"""GPUs: where the compute is (clusters, TOP500) and what a GPU-hour costs against the US."""

from __future__ import annotations

import altair as alt
import streamlit as st
from cadena_dashboard import charts, ui

with ui.page("gpus", "GPU supply and prices",
             "Clusters and supercomputers in the region, and the cheapest cloud GPU-hour in each country "
             "against the same provider's US reference region."):
    names = ui.country_names()
    f = ui.filters()
    ui.filter_note()
    excluded = ui.infrastructure_layer_excluded("gpus-layer-excluded")

    if not excluded:
        supply = ui.q("select * from mart_gpu_supply__country")
        prices = ui.q("select * from mart_gpu_prices__country_model")
        supply = supply[f.country(supply["country_iso2"])]
        prices = prices[f.country(prices["country_iso2"])].copy()
        prices["country"] = prices["country_iso2"].map(lambda c: names.get(c, c))
        offers = ui.q("""select provider, region_code, country_iso2, is_us_reference, gpu_model, instance_type,
                                gpus_per_instance, price_type, os, usd_per_hour, usd_per_gpu_hour, record_url
                         from fct_cloud_gpu_offers order by gpu_model, usd_per_gpu_hour""")
        # a chosen country keeps its offers and the US reference offers they are compared with
        offers = offers[f.country(offers["country_iso2"]) | offers["is_us_reference"].fillna(False)]
        offers["pair"] = offers["gpu_model"] + " · " + offers["country_iso2"].map(lambda c: names.get(c, c))

        h100 = prices[prices["gpu_model"] == "H100"]
        cheapest_h100 = h100["cheapest_usd_per_gpu_hour"].min() if not h100.empty else None
        premiums = prices["us_premium_ratio"].dropna()
        c1, c2, c3, c4, c5 = st.columns(5)
        with c1:
            ui.metric("h100e", "H100e in service", ui.num(supply["h100_equivalents"].sum()),
                      help="mart_gpu_supply__country.h100_equivalents (Epoch GPU clusters, existing)")
        with c2:
            ui.metric("h100e-planned", "H100e planned", ui.num(supply["planned_h100_equivalents"].sum()))
        with c3:
            ui.metric("top500", "TOP500 systems", ui.num(supply["top500_system_count"].sum()),
                      help="mart_gpu_supply__country, latest TOP500 list loaded")
        with c4:
            ui.metric("cheapest-h100", "Cheapest H100 GPU-hour", ui.usd(cheapest_h100),
                      help="mart_gpu_prices__country_model: cheapest on-demand H100 in Latin America")
        with c5:
            ui.metric("premium", "Median premium vs US",
                      f"{(premiums.median() - 1) * 100:+.0f}%" if not premiums.empty else "—",
                      help="median of us_premium_ratio - 1 over country x GPU model pairs with a US price")

        st.subheader("Price of a GPU-hour: Latin America against the US")
        if prices.empty:
            ui.empty_state("prices-empty", "No cloud GPU prices in this publication.")
        else:
            prices["pair"] = prices["gpu_model"] + " · " + prices["country"]
            prices["provider_region"] = prices["provider"] + ":" + prices["region_code"]
            order = prices.sort_values(["gpu_model", "cheapest_usd_per_gpu_hour"])["pair"].tolist()
            long = prices.melt(id_vars=["pair", "gpu_model", "country", "provider_region", "us_reference_region",
                                        "us_premium_ratio", "instance_type"],
                               value_vars=["cheapest_usd_per_gpu_hour", "us_usd_per_gpu_hour"],
                               var_name="where", value_name="usd").dropna(subset=["usd"])
            long["where"] = long["where"].map({"cheapest_usd_per_gpu_hour": "Latin America (cheapest)",
                                               "us_usd_per_gpu_hour": "US reference region"})
            base = alt.Chart(long).encode(y=alt.Y("pair:N", sort=order, title=None, axis=alt.Axis(labelLimit=220)))
            rule = base.mark_rule(color="#9aa5b1").encode(x="min(usd):Q", x2="max(usd):Q")
            dots = base.mark_point(filled=True, size=110).encode(
                x=alt.X("usd:Q", title="USD per GPU-hour (on demand, log scale)",
                        scale=alt.Scale(type="log", nice=False,
                                        domain=[float(long["usd"].min()) * 0.8, float(long["usd"].max()) * 1.25])),
                color=alt.Color("where:N", title=None, legend=alt.Legend(orient="bottom"),
                                scale=alt.Scale(domain=["Latin America (cheapest)", "US reference region"],
                                                range=["#d62728", "#1f77b4"])),
                shape=alt.Shape("where:N", title=None, legend=alt.Legend(orient="bottom"),
                                scale=alt.Scale(domain=["Latin America (cheapest)", "US reference region"],
                                                range=["circle", "diamond"])),
                tooltip=[alt.Tooltip("pair:N", title="GPU · country"), alt.Tooltip("where:N", title="Price"),
                         alt.Tooltip("usd:Q", title="USD / GPU-hour", format="$.3f"),
                         alt.Tooltip("provider_region:N", title="LatAm offer"),
                         alt.Tooltip("us_reference_region:N", title="US reference"),
                         alt.Tooltip("us_premium_ratio:Q", title="LatAm / US", format=".2f")],
            )
            picked_price = ui.chart(charts.fit_x((rule + dots).properties(height=28 * len(order))), key="price-chart",
                                    fields=["pair"])
            with st.container(key="price-summary"):
                st.caption(f"{len(prices)} country x GPU model prices, {int(prices['us_premium_ratio'].notna().sum())} "
                           "with a price in the same provider's US reference region.")
            ui.source("mart_gpu_prices__country_model",
                      note="cheapest on-demand offer per country and GPU model; the US price is the same provider's "
                           "reference region (us_reference_region). Log scale.")
            ui.download(prices, "gpu_prices_by_country_model", key="prices")

            with_premium = prices.dropna(subset=["us_premium_ratio"]).assign(
                premium_pct=lambda f: (f["us_premium_ratio"] - 1) * 100)
            picked_premium = []
            if not with_premium.empty:
                picked_premium = ui.chart(charts.fit_x(alt.Chart(with_premium).mark_bar().encode(
                    y=alt.Y("pair:N", sort="-x", title=None, axis=alt.Axis(labelLimit=220)),
                    x=alt.X("premium_pct:Q", title="Premium over the US reference region (%)"),
                    color=alt.condition("datum.premium_pct > 0", alt.value("#d62728"), alt.value("#2ca02c")),
                    tooltip=[alt.Tooltip("pair:N", title="GPU · country"),
                             alt.Tooltip("premium_pct:Q", title="Premium %", format="+.0f"),
                             alt.Tooltip("provider_region:N", title="LatAm offer"),
                             alt.Tooltip("us_reference_region:N", title="US reference")],
                ).properties(height=26 * len(with_premium))), key="premium-chart", fields=["pair"])
                ui.source("mart_gpu_prices__country_model", note="us_premium_ratio - 1")
            ui.drill("offers", "Cloud GPU offers behind the price charts", offers, picked_price + picked_premium,
                     what="offers", hint="Click a dot or bar to list the offers of that GPU model in that country.",
                     column_config={"usd_per_hour": st.column_config.NumberColumn("USD / hour", format="$%.3f"),
                                    "usd_per_gpu_hour": st.column_config.NumberColumn("USD / GPU-hour", format="$%.3f"),
                                    "record_url": st.column_config.LinkColumn("Source")})

        st.subheader("Supply by country")
        active = supply[(supply[["gpu_cluster_count", "planned_gpu_cluster_count", "top500_system_count",
                                 "cloud_gpu_provider_count"]].fillna(0).sum(axis=1) > 0)].copy()
        left, right = st.columns(2)
        with left:
            h = active.melt(id_vars=["country_name"], value_vars=["h100_equivalents", "planned_h100_equivalents"],
                            var_name="status", value_name="h100e")
            h = h[h["h100e"].fillna(0) > 0]
            h["status"] = h["status"].map({"h100_equivalents": "in service", "planned_h100_equivalents": "planned"})
            picked_h = []
            if h.empty:
                ui.empty_state("h100e-empty", "No GPU cluster with a known size in this publication.")
            else:
                picked_h = ui.chart(charts.fit_x(alt.Chart(h).mark_bar().encode(
                    y=alt.Y("country_name:N", sort="-x", title=None),
                    x=alt.X("h100e:Q", title="H100-equivalents", stack="zero"),
                    color=alt.Color("status:N", title=None, legend=alt.Legend(orient="bottom"),
                                    scale=alt.Scale(domain=["in service", "planned"], range=["#1f77b4", "#c7c7c7"])),
                    tooltip=["country_name:N", "status:N", alt.Tooltip("h100e:Q", format=",.0f")],
                ).properties(height=36 * h["country_name"].nunique() + 20)), key="h100e-chart",
                    fields=["country_name"])
                ui.source("mart_gpu_supply__country", note="Epoch AI GPU clusters, H100-equivalents")
        with right:
            t = active[active["top500_rmax_tflops"].fillna(0) > 0]
            picked_t = []
            if t.empty:
                ui.empty_state("top500-empty", "No TOP500 system in the region in this publication.")
            else:
                picked_t = ui.chart(charts.fit_x(alt.Chart(t).mark_bar(color="#9467bd").encode(
                    y=alt.Y("country_name:N", sort="-x", title=None),
                    x=alt.X("top500_rmax_tflops:Q", title="TOP500 Rmax (TFlop/s)"),
                    tooltip=["country_name:N", "top500_system_count:Q", "top500_accelerated_system_count:Q",
                             alt.Tooltip("top500_rmax_tflops:Q", format=",.0f"), "top500_list_edition:N"],
                ).properties(height=36 * len(t) + 20)), key="top500-chart", fields=["country_name"])
                ui.source("mart_gpu_supply__country", note="TOP500, latest list edition loaded")

        table = active[["country_name", "gpu_cluster_count", "planned_gpu_cluster_count", "h100_equivalents",
                        "planned_h100_equivalents", "top500_system_count", "top500_rmax_tflops", "cloud_gpu_providers",
                        "cloud_gpu_models", "cheapest_gpu_model", "cheapest_usd_per_gpu_hour_any_model",
                        "cheapest_h100_usd_per_gpu_hour", "h100_us_premium_ratio", "mean_us_premium_ratio"]].copy()
        for col in ("cloud_gpu_providers", "cloud_gpu_models"):
            table[col] = table[col].map(ui.as_list)
        money = st.column_config.NumberColumn
        st.dataframe(table, hide_index=True, column_config={
            "country_name": "Country", "gpu_cluster_count": "Clusters", "planned_gpu_cluster_count": "Planned clusters",
            "h100_equivalents": money("H100e", format="%.0f"), "planned_h100_equivalents": money("H100e planned",
                                                                                                 format="%.0f"),
            "top500_system_count": "TOP500", "top500_rmax_tflops": money("Rmax TFlop/s", format="%.0f"),
            "cloud_gpu_providers": st.column_config.ListColumn("Cloud providers"),
            "cloud_gpu_models": st.column_config.ListColumn("GPU models"),
            "cheapest_gpu_model": "Cheapest model",
            "cheapest_usd_per_gpu_hour_any_model": money("Cheapest $/GPU-h", format="$%.2f"),
            "cheapest_h100_usd_per_gpu_hour": money("H100 $/GPU-h", format="$%.2f"),
            "h100_us_premium_ratio": money("H100 vs US", format="%.2fx"),
            "mean_us_premium_ratio": money("Mean vs US", format="%.2fx"),
        })
        ui.source("mart_gpu_supply__country")
        ui.download(table, "gpu_supply_by_country", key="supply")
        clusters = ui.q("""select cluster_name, country_iso2, status, confidence, owner, sector, chip_type,
                                  chip_quantity, h100_equivalents, power_mw, first_operational_date, record_url
                           from fct_gpu_clusters order by h100_equivalents desc nulls last""")
        clusters = clusters[f.country(clusters["country_iso2"])]
        clusters["country_name"] = clusters["country_iso2"].map(lambda c: names.get(c, c))
        top = ui.q("""select list_edition, rank, system_name, site, country_iso2, manufacturer, accelerator,
                             rmax_tflops, rpeak_tflops, power_kw from fct_supercomputers
                      order by list_edition desc, rank""")
        top = top[f.country(top["country_iso2"])]
        top["country_name"] = top["country_iso2"].map(lambda c: names.get(c, c))
        ui.drill("clusters", "GPU clusters behind the H100e chart", clusters, picked_h, what="clusters",
                 column_config={"record_url": st.column_config.LinkColumn("Source", display_text="Epoch AI")})
        ui.drill("top500", "TOP500 systems behind the Rmax chart", top, picked_t, what="system x list rows")

        tab_cl, tab_top, tab_offers = st.tabs(["GPU clusters", "Supercomputers (TOP500)", "Every cloud GPU offer"])
        with tab_cl:
            st.dataframe(clusters, hide_index=True,
                         column_config={"record_url": st.column_config.LinkColumn("Source", display_text="Epoch AI")})
            ui.source("fct_gpu_clusters", note="confidence is Epoch's own certainty")
            ui.download(clusters, "gpu_clusters", key="clusters")
        with tab_top:
            st.dataframe(top, hide_index=True)
            ui.source("fct_supercomputers")
            ui.download(top, "supercomputers", key="top500")
        with tab_offers:
            models = sorted(offers["gpu_model"].dropna().unique())
            chosen = st.multiselect("GPU models", models, default=[], key="offer-models",
                                    placeholder="All models")
            view = offers[offers["gpu_model"].isin(chosen)] if chosen else offers
            st.dataframe(view, hide_index=True, column_config={
                "usd_per_hour": money("USD / hour", format="$%.3f"),
                "usd_per_gpu_hour": money("USD / GPU-hour", format="$%.3f"),
                "record_url": st.column_config.LinkColumn("Source")})
            ui.source("fct_cloud_gpu_offers", note="on demand, spot, reserved; the US reference regions included")
            ui.download(view.drop(columns="pair"), "cloud_gpu_offers", key="offers")
