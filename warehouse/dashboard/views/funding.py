"""Funding: rounds by quarter, layer and country; the top investors; the deals themselves."""

from __future__ import annotations

import altair as alt
import streamlit as st
from cadena_dashboard import charts, ui

ROUND_COLUMNS = {
    "round_date": st.column_config.DateColumn("Date"), "organization_name": "Organisation", "country": "Country",
    "layers": st.column_config.ListColumn("Layers"), "layer_name": "Layer", "round_type_label": "Type",
    "amount_usd": st.column_config.NumberColumn("USD", format="$%,.0f"),
    "source_urls": st.column_config.ListColumn("Sources"), "claims_count": "Claims",
    "is_conflicting": st.column_config.CheckboxColumn("Sources disagree"),
}
CLAIM_COLUMNS = ["claim_source", "is_headline", "organization_name_stated", "round_date", "round_type_text", "amount",
                 "amount_qualifier", "currency", "amount_usd", "fx_rate", "fx_rate_date", "fx_source", "fx_status",
                 "lead_investors", "investors", "match_rule", "confidence_score", "evidence_text", "evidence_url",
                 "record_url", "retrieved_at", "snapshot_id"]


def by_layer_rows(rounds):
    """One row per round and layer (a round of an organisation in two layers is in both), named as the chart."""
    rows = rounds.explode("layer_codes").rename(columns={"layer_codes": "layer_code"})
    names = dict(zip(ui.layers()["layer_code"], ui.layers()["layer_name"], strict=True))
    rows["layer_name"] = rows["layer_code"].map(names)
    return rows[["round_quarter", "layer_name", "round_date", "organization_name", "country", "round_type_label",
                 "amount_usd", "claims_count", "is_conflicting", "source_urls", "round_id"]]


def claims_of(view, rounds_event) -> None:
    """Every claim fct_funding_claims holds for the round picked in the table (by default the round with the
    most claims): who said what, in which currency, converted at which rate, with the link to it."""
    if view.empty:
        ui.empty_state("claims-empty", "No round in this selection.")
        return
    rows = (rounds_event.selection.rows if rounds_event is not None else []) or []
    ordered = view.sort_values(["claims_count", "round_date"], ascending=False)
    round_id = view.iloc[rows[0]]["round_id"] if rows else ordered.iloc[0]["round_id"]
    chosen = view[view["round_id"] == round_id].iloc[0]
    claims = ui.q(f"""select {', '.join(CLAIM_COLUMNS)} from fct_funding_claims where round_id = ?
                      order by is_headline desc, source_rank, claim_source""", (round_id,))
    for col in ("investors", "lead_investors"):
        claims[col] = claims[col].map(ui.as_list)
    when = "date unknown" if ui.missing(chosen["round_date"]) else f"{chosen['round_date']:%Y-%m-%d}"
    with st.container(key="round-claims", border=True):
        st.markdown(f"**{chosen['organization_name']}** · {chosen['round_type_label'] or 'round'} · {when} · "
                    f"{ui.usd(chosen['amount_usd'])}"
                    + (" · :orange[sources disagree]" if chosen["is_conflicting"] else ""))
        st.caption(f"{len(claims)} claim(s); the headline claim gives the round its amount, date and type."
                   + ("" if rows else " Showing the round with the most claims: select another in the table."))
        st.dataframe(claims, hide_index=True, column_config={
            "claim_source": "Source", "is_headline": st.column_config.CheckboxColumn("Headline"),
            "organization_name_stated": "Organisation as stated", "round_type_text": "Type as stated",
            "amount": st.column_config.NumberColumn("Amount", format="%,.0f"),
            "amount_usd": st.column_config.NumberColumn("USD", format="$%,.0f"),
            "lead_investors": st.column_config.ListColumn("Lead"),
            "investors": st.column_config.ListColumn("Investors"),
            "evidence_text": st.column_config.TextColumn("Evidence", width="large"),
            "evidence_url": st.column_config.LinkColumn("Evidence link"),
            "record_url": st.column_config.LinkColumn("Record")})
        ui.source("fct_funding_claims", sample_rows=bool(chosen.get("is_sample_data", False)))
        ui.download(claims, f"claims_{round_id}", key="round-claims")

FUNDING_MARTS = ("fct_funding_rounds", "mart_funding__country_layer_quarter", "dim_investors",
                 "bridge_round_investors")

with ui.page("funding", "Funding",
             "Disclosed funding rounds of the region's AI organisations, converted to USD at the round date."):
    missing_marts = [t for t in FUNDING_MARTS if not ui.has(t)]
    if "fct_funding_rounds" in missing_marts:
        ui.empty_state("funding-empty",
                       "No funding data published yet: this publication has no `fct_funding_rounds` "
                       f"(nor {', '.join(f'`{t}`' for t in missing_marts[1:]) or 'the other funding marts'}). "
                       "It appears after a refresh with the funding models.")
    else:
        names = ui.country_names()
        layers = ui.layers()
        layer_name = dict(zip(layers["layer_code"], layers["layer_name"], strict=True))
        rounds = ui.q("select * from fct_funding_rounds order by round_date desc, round_id")
        for col in ("layer_codes", "sources", "source_urls", "lead_investors", "investors"):
            rounds[col] = rounds[col].map(ui.as_list)
        rounds["country"] = rounds["country_iso2"].map(lambda c: names.get(c, c) if isinstance(c, str) else None)
        rounds["layers"] = rounds["layer_codes"].map(lambda codes: [layer_name.get(c, c) for c in codes])

        quarters = sorted(q for q in rounds["round_quarter"].dropna().unique())
        f = ui.filters()
        ui.filter_note()
        chosen_countries, chosen_layers = list(f.countries), list(f.layers)
        f3, f4 = st.columns([3, 2])
        with f3:
            if len(quarters) > 1:
                q_from, q_to = st.select_slider("Quarters", options=quarters, value=(quarters[0], quarters[-1]),
                                                key="fund-quarters")
            else:
                q_from = q_to = quarters[0] if quarters else None

        view = rounds
        if "is_latam" in rounds:
            with f4:
                latam_only = st.toggle("Latin American organisations only", value=True, key="fund-latam",
                                       help="fct_funding_rounds.is_latam: the organisation's country is in "
                                            "Latin America")
            if latam_only:
                view = view[view["is_latam"].fillna(False)]
        if chosen_countries:
            view = view[view["country_iso2"].isin(chosen_countries)]
        if chosen_layers:
            view = view[view["layer_codes"].map(lambda codes: any(c in codes for c in chosen_layers))]
        if q_from is not None:
            view = view[(view["round_quarter"] >= q_from) & (view["round_quarter"] <= q_to)]

        converted = view[view["amount_status"] == "converted"]
        c1, c2, c3, c4 = st.columns(4)
        with c1:
            ui.metric("rounds", "Rounds", f"{len(view):,}", help="fct_funding_rounds in the selection")
        with c2:
            ui.metric("usd", "Disclosed USD raised", ui.usd(converted["amount_usd"].sum()),
                      help="sum of amount_usd where amount_status = 'converted'")
        with c3:
            undisclosed = int((view["amount_status"] != "converted").sum())
            ui.metric("undisclosed", "Rounds without a USD amount", f"{undisclosed:,}",
                      help="amount undisclosed, or no FX rate for its currency and date")
        with c4:
            ui.metric("median", "Median round", ui.usd(converted["amount_usd"].median()))
        sample_rows = bool(view["is_sample_data"].fillna(False).any()) if "is_sample_data" in view else None
        if view["is_conflicting"].fillna(False).any():
            st.caption(f":orange[{int(view['is_conflicting'].fillna(False).sum())} rounds have sources that "
                       "disagree on the amount or date (is_conflicting); the table below flags them.]")

        st.subheader("By quarter and layer")
        by_q = (ui.q("select * from mart_funding__country_layer_quarter")
                if ui.has("mart_funding__country_layer_quarter") else
                ui.q("select null::varchar as country_iso2, null::varchar as layer_code, null::varchar as layer_name, "
                     "null::varchar as round_quarter, 0 as round_count, 0.0 as usd_raised where false"))
        if chosen_countries:
            by_q = by_q[by_q["country_iso2"].isin(chosen_countries)]
        if chosen_layers:
            by_q = by_q[by_q["layer_code"].isin(chosen_layers)]
        if q_from is not None:
            by_q = by_q[(by_q["round_quarter"] >= q_from) & (by_q["round_quarter"] <= q_to)]
        by_q = by_q[by_q["usd_raised"].fillna(0) > 0]
        if by_q.empty:
            ui.empty_state("fund-quarter-empty", "No disclosed USD amount in this selection.")
        else:
            layer_order = [n for n in layers["layer_name"] if n in set(by_q["layer_name"])]
            picked = ui.chart(charts.fit_x(alt.Chart(by_q).mark_bar().encode(
                    x=alt.X("round_quarter:O", title=None, axis=alt.Axis(labelAngle=-45)),
                    y=alt.Y("sum(usd_raised):Q", title="USD raised", axis=alt.Axis(format="$~s",
                                                                                    labelExpr=ui.BILLIONS)),
                    color=alt.Color("layer_name:N", title=None, sort=layer_order,
                                    legend=alt.Legend(orient="bottom", columns=3, labelLimit=260)),
                    tooltip=[alt.Tooltip("round_quarter:O", title="Quarter"),
                             alt.Tooltip("layer_name:N", title="Layer"),
                             alt.Tooltip("sum(usd_raised):Q", title="USD raised", format="$,.0f"),
                             alt.Tooltip("sum(round_count):Q", title="Rounds")],
                ).properties(height=320)), key="fund-by-quarter", fields=["round_quarter", "layer_name"])
            ui.source("mart_funding__country_layer_quarter",
                      note="a round of an organisation in two layers counts in both, so stacks can exceed the "
                           "total above", sample_rows=sample_rows)
            ui.download(by_q, "funding_by_quarter_layer", key="fund-by-quarter")
            ui.drill("fund-quarter", "Rounds behind the chart", by_layer_rows(converted), picked,
                     what="round x layer rows", column_config=ROUND_COLUMNS)

        st.subheader("By country")
        if converted.empty:
            ui.empty_state("fund-country-empty", "No round with a USD amount in this selection.")
        else:
            # layers double-count a round: take country totals from the rounds themselves
            per_country = (converted.assign(year=converted["round_quarter"].str[:4])
                           .groupby(["country", "year"], as_index=False)
                           .agg(usd=("amount_usd", "sum"), rounds=("round_id", "count")))
            left, right = st.columns([3, 2])
            with left:
                picked_year = ui.chart(charts.fit_x(alt.Chart(per_country).mark_bar().encode(
                    x=alt.X("year:O", title=None),
                    y=alt.Y("usd:Q", title="USD raised", axis=alt.Axis(format="$~s", labelExpr=ui.BILLIONS)),
                    color=alt.Color("country:N", title=None, legend=alt.Legend(orient="bottom", columns=4)),
                    tooltip=["year:O", "country:N", alt.Tooltip("usd:Q", format="$,.0f"), "rounds:Q"],
                ).properties(height=300)), key="fund-by-year", fields=["year", "country"])
                ui.source("fct_funding_rounds", note="rounds converted to USD, by year", sample_rows=sample_rows)
            with right:
                totals = per_country.groupby("country", as_index=False)[["usd", "rounds"]].sum()
                picked_country = ui.chart(charts.fit_x(alt.Chart(totals).mark_bar(color="#2ca02c").encode(
                    y=alt.Y("country:N", sort="-x", title=None),
                    x=alt.X("usd:Q", title="USD raised in the selection",
                            axis=alt.Axis(format="$~s", labelExpr=ui.BILLIONS)),
                    tooltip=["country:N", alt.Tooltip("usd:Q", format="$,.0f"), "rounds:Q"],
                ).properties(height=30 * len(totals) + 20)), key="fund-by-country", fields=["country"])
                ui.source("fct_funding_rounds", sample_rows=sample_rows)
            ui.download(per_country, "funding_by_country_year", key="fund-by-country")
            ui.drill("fund-country", "Rounds behind the country charts",
                     converted.assign(year=converted["round_quarter"].str[:4]), picked_year + picked_country,
                     what="rounds", column_config=ROUND_COLUMNS)

        st.subheader("Top investors")
        if ui.has("bridge_round_investors") and ui.has("dim_investors"):
            links = ui.q("""select b.round_id, b.investor_id, b.is_lead, i.investor_name
                            from bridge_round_investors b left join dim_investors i using (investor_id)""")
        else:
            links = ui.q("select null::varchar as round_id, null::varchar as investor_id, null::boolean as is_lead, "
                         "null::varchar as investor_name where false")
        links = links[links["round_id"].isin(view["round_id"])].merge(
            view[["round_id", "amount_usd", "amount_status"]], on="round_id")
        if links.empty:
            ui.empty_state("investors-empty", "No investor is named in the rounds of this selection.")
        else:
            top = (links.assign(usd=links["amount_usd"].where(links["amount_status"] == "converted"))
                   .groupby(["investor_id", "investor_name"], as_index=False, dropna=False)
                   .agg(rounds=("round_id", "nunique"), led=("is_lead", "sum"), usd=("usd", "sum")))
            top["investor_name"] = top["investor_name"].fillna(top["investor_id"])
            top = top.sort_values(["rounds", "usd"], ascending=False).head(15)
            picked = ui.chart(charts.fit_x(alt.Chart(top).mark_bar(color="#17becf").encode(
                    y=alt.Y("investor_name:N", sort=top["investor_name"].tolist(), title=None,
                            axis=alt.Axis(labelLimit=220)),
                    x=alt.X("rounds:Q", title="Rounds in the selection", axis=alt.Axis(tickMinStep=1)),
                    tooltip=[alt.Tooltip("investor_name:N", title="Investor"), "rounds:Q",
                             alt.Tooltip("led:Q", title="Led"),
                             alt.Tooltip("usd:Q", title="USD of the rounds they joined", format="$,.0f")],
                ).properties(height=24 * len(top) + 20)), key="top-investors", fields=["investor_name"])
            ui.source("bridge_round_investors", "dim_investors", "fct_funding_rounds",
                      note="USD is the whole round an investor took part in, not their own share",
                      sample_rows=sample_rows)
            ui.download(top, "top_investors", key="top-investors")
            joined = links.assign(investor_name=links["investor_name"].fillna(links["investor_id"]))[
                ["investor_name", "is_lead", "round_id"]].merge(view, on="round_id")
            ui.drill("investors", "Rounds of these investors", joined, picked, what="investor x round rows",
                     column_config={**ROUND_COLUMNS, "investor_name": "Investor", "is_lead": "Led"})

        st.subheader("Rounds")
        table = view[["round_date", "organization_name", "country", "layers", "round_type_label", "amount_usd",
                      "amount_original", "currency", "amount_status", "lead_investors", "investors",
                      "is_conflicting", "claims_count", "source_urls", "sources"]
                     + [c for c in ("headline_source", "is_licensed") if c in view]].copy()
        table["source"] = table["source_urls"].map(lambda urls: urls[0] if urls else None)
        st.caption("Select a round (the box at the left of a row) to see the claims behind it below.")
        rounds_event = st.dataframe(table.drop(columns="source_urls"), hide_index=True, on_select="rerun",
                                    selection_mode="single-row", key="fund-rounds-table", column_config={
            "round_date": st.column_config.DateColumn("Date"), "organization_name": "Organisation",
            "country": "Country", "layers": st.column_config.ListColumn("Layers"), "round_type_label": "Type",
            "amount_usd": st.column_config.NumberColumn("USD", format="$%,.0f"),
            "amount_original": st.column_config.NumberColumn("Amount", format="%,.0f"), "currency": "Currency",
            "amount_status": "USD status", "lead_investors": st.column_config.ListColumn("Lead"),
            "investors": st.column_config.ListColumn("Investors"),
            "is_conflicting": st.column_config.CheckboxColumn("Sources disagree"),
            "claims_count": "Claims", "source": st.column_config.LinkColumn("Source"),
            "sources": st.column_config.ListColumn("From"), "headline_source": "Headline from",
            "is_licensed": st.column_config.CheckboxColumn("Licensed", help="from a licensed export: the "
                                                           "user's own licence applies, don't republish"),
        })
        ui.source("fct_funding_rounds", note="amount_usd at the ECB/central-bank rate of the round date (fx_rate, "
                  "fx_rate_date, fx_source)", sample_rows=sample_rows)
        ui.download(table, "funding_rounds", key="fund-rounds")

        st.subheader("The claims behind a round")
        claims_of(view, rounds_event)

        if ui.has("mart_funding__reconciliation"):
            st.subheader("Coverage against Our World in Data")
            rec = ui.q("select * from mart_funding__reconciliation order by country_iso2, year")
            if chosen_countries:
                rec = rec[rec["country_iso2"].isin(chosen_countries)]
            series = sorted(rec["owid_series"].dropna().unique())
            if len(series) > 1:
                chosen_series = st.selectbox("OWID series", series, key="fund-owid-series")
                rec = rec[rec["owid_series"] == chosen_series]
            rec_long = rec.melt(id_vars=["country_name", "year", "owid_series", "coverage_ratio"],
                                value_vars=["deal_usd", "owid_usd"], var_name="series", value_name="usd")
            rec_long["series"] = rec_long["series"].map({"deal_usd": "Cadena deals", "owid_usd": "OWID estimate"})
            rec_long = rec_long.dropna(subset=["usd"])
            if rec_long.empty:
                ui.empty_state("reconciliation-empty", "No year to compare in this selection.")
            else:
                st.altair_chart(alt.Chart(rec_long).mark_bar().encode(
                    x=alt.X("year:O", title=None), xOffset="series:N",
                    y=alt.Y("usd:Q", title="USD", axis=alt.Axis(format="$~s", labelExpr=ui.BILLIONS)),
                    color=alt.Color("series:N", title=None, legend=alt.Legend(orient="bottom")),
                    facet=alt.Facet("country_name:N", title=None, columns=4),
                    tooltip=["country_name:N", "year:O", "series:N", alt.Tooltip("usd:Q", format="$,.0f"),
                             alt.Tooltip("coverage_ratio:Q", format=".0%"), "owid_series:N"],
                ).properties(height=160, width=220), width="content")
                ui.source("mart_funding__reconciliation",
                          note="coverage_ratio = the deals Cadena found (nominal USD) / OWID's private-investment "
                               "estimate (constant 2021 USD)")
                ui.download(rec, "funding_reconciliation", key="reconciliation")
                # the deals behind each country-year bar: the converted rounds of the selection, by year
                deals = converted.assign(year=converted["round_quarter"].str[:4])
                ui.drill("reconciliation", "Deals behind the Cadena bars", deals, [], what="rounds",
                         hint="The rounds summed into each country's yearly bar (the OWID bars are its estimate, "
                              "snapshot owid_snapshot_id in the download).", column_config=ROUND_COLUMNS)
