"""Organisation directory: search, filter by layer and country, and follow the links to the sources."""

from __future__ import annotations

import streamlit as st
from cadena_dashboard import ui

with ui.page("organizations", "Organisations",
             "Every organisation the warehouse resolved, its layers in the value chain and where each fact "
             "comes from."):
    names = ui.country_names()
    layers = ui.layers()
    layer_name = dict(zip(layers["layer_code"], layers["layer_name"], strict=True))
    orgs = ui.q("""
        select o.organization_id, o.organization_name, o.aliases, o.org_type, o.hq_country_iso2, o.is_latam,
               o.hq_city, o.website, o.founded_year, o.status, o.is_in_ai_value_chain, o.classification_status,
               o.description, o.sources, o.source_urls,
               coalesce(l.layer_codes, []) as layer_codes
        from dim_organizations o
        left join (select organization_id, list(distinct layer_code order by layer_code) as layer_codes
                   from bridge_organization_layers group by organization_id) l using (organization_id)
        order by o.organization_name""")
    for col in ("aliases", "sources", "source_urls", "layer_codes"):
        orgs[col] = orgs[col].map(ui.as_list)
    orgs["layers"] = orgs["layer_codes"].map(lambda codes: [layer_name.get(c, c) for c in codes])
    orgs["country"] = orgs["hq_country_iso2"].map(lambda c: names.get(c, c) if isinstance(c, str) else None)
    orgs["source_link"] = orgs["source_urls"].map(lambda urls: urls[0] if urls else None)

    f = ui.filters()
    ui.filter_note("headquarters country; a membership in a chosen layer")
    search = st.text_input("Search", key="org-search", placeholder="Name, alias, city or description",
                           type="search")
    c4, c5 = st.columns([2, 4])
    with c4:
        latam_only = st.toggle("Latin American headquarters only", value=False, key="org-latam")
    with c5:
        in_chain_only = st.toggle("In the AI value chain only", value=False, key="org-in-chain")

    view = orgs
    if search:
        needle = search.strip().lower()
        haystack = (orgs["organization_name"].fillna("") + " " + orgs["aliases"].map(" ".join) + " "
                    + orgs["hq_city"].fillna("") + " " + orgs["description"].fillna("") + " "
                    + orgs["website"].fillna("")).str.lower()
        view = view[haystack.str.contains(needle, regex=False)]
    view = view[f.layer(view["layer_codes"]) & f.country(view["hq_country_iso2"])]
    if latam_only:
        view = view[view["is_latam"].fillna(False)]
    if in_chain_only:
        view = view[view["is_in_ai_value_chain"].fillna(False)]

    with st.container(key="org-count"):
        st.markdown(f"**{len(view)}** of {len(orgs)} organisations")
    st.dataframe(
        view[["organization_name", "country", "hq_city", "org_type", "layers", "classification_status", "founded_year",
              "status", "website", "source_link", "sources"]],
        hide_index=True,
        column_config={
            "organization_name": st.column_config.TextColumn("Organisation", width="medium"),
            "country": "HQ", "hq_city": "City", "org_type": "Type",
            "layers": st.column_config.ListColumn("Layers", width="large"),
            "classification_status": "Classification",
            "founded_year": st.column_config.NumberColumn("Founded", format="%d"),
            "status": "Status",
            "website": st.column_config.LinkColumn("Website"),
            "source_link": st.column_config.LinkColumn("Source", help="The first source URL; all of them below"),
            "sources": st.column_config.ListColumn("Sources"),
        },
    )
    ui.source("dim_organizations", "bridge_organization_layers",
              note="classification: curated (a curator's source), classified (rules), unclassified, outside_chain")
    ui.download(view.drop(columns=["layer_codes", "source_link"]), "organisations", key="orgs")

    st.subheader("Details and sources")
    if view.empty:
        ui.empty_state("org-none", "No organisation matches these filters.")
    else:
        ids = view["organization_id"].tolist()
        label = dict(zip(view["organization_id"], view["organization_name"], strict=True))
        with_sources = [i for i, urls in zip(view["organization_id"], view["source_urls"], strict=True) if urls]
        first = ids.index(with_sources[0]) if with_sources else 0
        chosen = st.selectbox("Organisation", ids, index=first, format_func=label.get, key="org-detail")
        org = view[view["organization_id"] == chosen].iloc[0]
        with st.container(key="org-detail-card", border=True):
            st.markdown(f"#### {org['organization_name']}")
            facts = [org["country"], org["hq_city"], org["org_type"],
                     f"founded {int(org['founded_year'])}" if not ui.missing(org["founded_year"]) else None]
            st.caption(" · ".join(str(f) for f in facts if isinstance(f, str) and f))
            if isinstance(org["description"], str) and org["description"]:
                st.write(org["description"])
            if org["aliases"]:
                st.caption("Also known as: " + ", ".join(org["aliases"]))
            links = []
            if isinstance(org["website"], str) and org["website"]:
                links.append(f"[Website]({org['website']})")
            links += [f"[{url}]({url})" for url in org["source_urls"]]
            st.markdown("**Sources:** " + (" · ".join(links) if links else "none recorded")
                        + f"  \nRecords from: {', '.join(org['sources']) or '—'}")
            members = ui.q("""
                select b.layer_code, l.layer_name, b.sub_layer_code, l.sub_layer_name, b.assigned_by, b.confidence,
                       b.evidence_url, b.evidence_publication, b.evidence_date
                from bridge_organization_layers b
                left join dim_layer l on l.layer_code = b.layer_code
                     and l.sub_layer_code is not distinct from b.sub_layer_code
                where b.organization_id = ?
                order by b.layer_code, b.sub_layer_code""", (chosen,))
            if members.empty:
                st.caption("No layer membership.")
            else:
                lines = []
                for m in members.itertuples():
                    where = m.layer_name or m.layer_code
                    if isinstance(m.sub_layer_name, str):
                        where += f" / {m.sub_layer_name}"
                    evidence = m.evidence_publication if isinstance(m.evidence_publication, str) else "evidence"
                    link = f"[{evidence}]({m.evidence_url})" if isinstance(m.evidence_url, str) else evidence
                    lines.append(f"- **{where}**: {m.assigned_by}, {m.confidence}; {link}")
                st.markdown("\n".join(lines))
            ui.source("dim_organizations", "bridge_organization_layers", "dim_layer")
