"""Country profile: one LatAm country with every layer of the chain side by side (mart_country_profile)."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from cadena_dashboard import ui

LAYERS = ("hardware_infrastructure", "data", "research", "foundation_models", "mlops_tooling", "applications",
          "integration", "end_users")


def pct(x, digits: int = 1, signed: bool = False) -> str:
    return "—" if ui.missing(x) else f"{float(x):{'+' if signed else ''},.{digits}f}%"


def year(x) -> str:
    return "" if ui.missing(x) else str(int(x))


def text(x) -> str:
    return x if isinstance(x, str) else ""


def facts(key: str, items: list[tuple[str, str, str]]) -> None:
    """A row of metrics: (key, label, value) each, in as many columns as there are items."""
    for column, (k, label, value) in zip(st.columns(len(items)), items, strict=True):
        with column:
            ui.metric(f"{key}-{k}", label, value)


with ui.page("country", "Country profile",
             "One country, every layer side by side: organisations, capacity and who holds it, energy, "
             "connectivity, talent, funding, AI model services in its cloud regions and the ILIA score."):
    names = ui.country_names()
    profile = ui.q("select * from mart_country_profile order by value_chain_organization_count desc, country_name")
    if profile.empty:
        ui.empty_state("country-empty", "No country profile in this publication.")
    else:

        # the sidebar's first chosen country, else the country with the most value-chain organisations
        chosen_in_sidebar = [c for c in ui.filters().countries if c in set(profile["country_iso2"])]
        options = profile["country_iso2"].tolist()
        default = options.index(chosen_in_sidebar[0]) if chosen_in_sidebar else 0
        iso2 = st.selectbox("Country", sorted(options, key=lambda c: names.get(c, c)),
                            index=sorted(options, key=lambda c: names.get(c, c)).index(options[default]),
                            format_func=lambda c: names.get(c, c), key="profile-country")
        row = profile[profile["country_iso2"] == iso2].iloc[0]
        with st.container(key="profile-summary"):
            st.caption(f"{row['country_name']} · {text(row['subregion'])} · population {ui.num(row['population'])} · "
                       f"GDP {ui.usd(row['gdp_usd'])}")

        facts("profile", [
            ("orgs", "Value-chain organisations", ui.num(row["value_chain_organization_count"])),
            ("mw", "Data-centre MW operating", ui.num(row["datacenter_mw_operating"])),
            ("models", "Models in region", ui.num(row["in_region_model_count"])),
            ("ilia", "ILIA score", ui.num(row["ilia_score"], 1)),
        ])

        st.subheader("Organisations per layer")
        layer_names = dict(zip(ui.layers()["layer_code"], ui.layers()["layer_name"], strict=True))
        per_layer = pd.DataFrame({"layer": [layer_names.get(c, c) for c in LAYERS],
                                  "organisations": [int(row[f"{c}_organization_count"]) for c in LAYERS]})
        with st.container(key="profile-layers"):
            st.dataframe(per_layer, hide_index=True)
        largest = ui.as_list(row["largest_hardware_organizations"])
        st.caption("Largest in hardware & infrastructure: " + (", ".join(largest) if largest else "—"))
        ui.source("mart_country_profile", "mart_value_chain__country_layer")

        st.subheader("Capacity and compute")
        facts("cap", [
            ("building", "MW under construction", ui.num(row["datacenter_mw_under_construction"])),
            ("planned", "MW planned", ui.num(row["datacenter_mw_planned"])),
            ("facilities", "Facilities", ui.num(row["facility_count"])),
            ("regions", "Cloud regions", ui.num(row["cloud_region_count"])),
            ("h100e", "H100 equivalents", ui.num(row["h100_equivalents"])),
            ("h100", "Cheapest H100 GPU-hour", ui.usd(row["cheapest_h100_usd_per_gpu_hour"])),
        ])
        ui.source("mart_infrastructure__country")

        st.subheader("Energy and connectivity")
        facts("grid", [
            ("demand", f"Electricity demand {year(row['energy_year'])} (TWh)",
             ui.num(row["electricity_demand_twh"], 1)),
            ("carbon", "Grid gCO2e/kWh", ui.num(row["grid_carbon_intensity_g_co2e_per_kwh"])),
            ("lowcarbon", "Low-carbon share", pct(row["grid_low_carbon_share_pct"])),
            ("dcshare", "Data centres' share of demand", pct(row["datacenter_operating_share_of_demand_pct"], 2)),
        ])
        facts("net", [
            ("users", "Internet users", pct(row["internet_users_pct"])),
            ("fixed", "Fixed broadband per 100", ui.num(row["fixed_broadband_per_100_people"], 1)),
            ("mobile", "Mobile subscriptions per 100", ui.num(row["mobile_subscriptions_per_100_people"], 1)),
            ("ixps", "Internet exchanges", ui.num(row["ixp_count"])),
            ("cables", "Submarine cables", ui.num(row["submarine_cable_count"])),
        ])
        ui.source("mart_infrastructure__country", "mart_energy__country")

        st.subheader("Talent and funding")
        facts("people", [
            ("devs", f"GitHub developers {text(row['github_period'])}", ui.num(row["github_developers"])),
            ("devs1000", "Developers per 1,000 people", ui.num(row["developers_per_1000_people"], 1)),
            ("works", f"AI works {year(row['ai_works_year'])}",
             ui.num(row["ai_works"])),
            ("researchers", "AI researchers (OpenAlex, now)", ui.num(row["ai_researchers"])),
            ("funding12", "Funding, last 12 months", ui.usd(row["funding_usd_last_12_months"])),
            ("rounds12", "Rounds, last 12 months", ui.num(row["funding_rounds_last_12_months"])),
            ("fundingall", "Funding, all time", ui.usd(row["funding_usd_all_time"])),
        ])
        ui.source("mart_talent__country_quarter", "mart_talent__country", "fct_research_output", "fct_funding_rounds")

        st.subheader("AI model services in the country's cloud regions")
        models = ui.q("""select provider, service, region, model, model_publisher, direction, deployment,
                                is_processed_in_region, usd_per_million_tokens, us_usd_per_million_tokens,
                                us_premium_pct, effective_date
                         from mart_ai_services__country_model where country_iso2 = ?
                         order by provider, model, direction, region""", (iso2,))
        facts("ai", [
            ("bedrock", "Amazon Bedrock models in region", ui.num(row["bedrock_in_region_model_count"])),
            ("azure", "Azure OpenAI regional SKUs", ui.num(row["azure_openai_in_region_sku_count"])),
            ("premium", "Median premium vs US", pct(row["in_region_median_us_premium_pct"], 0, signed=True)),
        ])
        if models.empty:
            ui.empty_state("profile-no-models", "No cloud in this publication lists a model price in this country.")
        else:
            in_region = st.toggle("Processed in the region only", value=True, key="profile-in-region")
            shown = models[models["is_processed_in_region"].fillna(False)] if in_region else models
            with st.container(key="profile-models"):
                st.dataframe(shown, hide_index=True, column_config={
                    "usd_per_million_tokens": st.column_config.NumberColumn("USD / 1M tokens", format="%.4f"),
                    "us_usd_per_million_tokens": st.column_config.NumberColumn("US USD / 1M tokens", format="%.4f"),
                    "us_premium_pct": st.column_config.NumberColumn("Premium vs US", format="%+.1f%%"),
                })
            ui.download(shown, f"models_in_region_{iso2}", key="profile-models")
        ui.source("mart_ai_services__country_model", note="Amazon Bedrock on-demand, Azure OpenAI and Vertex AI token "
                                                          "prices (Vertex AI only with a Google Cloud API key)")

        st.subheader("ILIA and trade")
        facts("ilia", [
            ("edition", "ILIA edition", "—" if ui.missing(row["ilia_edition"]) else str(row["ilia_edition"])),
            ("rank", "ILIA rank", "—" if ui.missing(row["ilia_rank"])
             else f"{int(row['ilia_rank'])} of {ui.num(row['ilia_countries_scored'])}"),
            ("category", "ILIA category", row["ilia_category"] if isinstance(row["ilia_category"], str) else "—"),
            ("ic", f"Chip imports {year(row['trade_year'])}",
             ui.usd(row["ic_imports_usd"])),
            ("computers", "Computer imports", ui.usd(row["computer_imports_usd"])),
        ])
        ui.source("mart_ilia__country_edition", "mart_semiconductor_trade__country_year")
        ui.download(profile[profile["country_iso2"] == iso2], f"country_profile_{iso2}", key="profile-row")
