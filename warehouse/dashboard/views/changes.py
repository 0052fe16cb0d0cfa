"""Change feed: what the last builds saw appear, change or disappear; and when each source was last loaded."""

from __future__ import annotations

import json

import altair as alt
import pandas as pd
import streamlit as st
from cadena_dashboard import ui


def _fields(text) -> dict:
    if not isinstance(text, str) or not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {"value": text}
    return value if isinstance(value, dict) else {"value": value}


def _short(value) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= 60 else text[:57] + "..."


def summary(change_type: str, before: str | None, after: str | None) -> str:
    """``field: old → new`` for a change; the tracked fields for a new or removed entity."""
    old, new = _fields(before), _fields(after)
    if change_type == "changed":
        keys = [k for k in dict.fromkeys([*old, *new]) if old.get(k) != new.get(k)]
        return "; ".join(f"{k}: {_short(old.get(k))} → {_short(new.get(k))}" for k in keys) or "—"
    shown = new if change_type == "new" else old
    return "; ".join(f"{k}: {_short(v)}" for k, v in shown.items() if v not in (None, "", []))


INFRASTRUCTURE_ENTITIES = {"facility", "cloud_region", "gpu_offer", "submarine_cable"}


def places(changes):
    """Per event: the countries (``countries``) and layers (``layers``) it concerns. Infrastructure entities
    are in the hardware and infrastructure layer; organisations, memberships and rounds take their
    organisation's headquarters and layers."""
    orgs = ui.q("""select o.organization_id, o.hq_country_iso2, coalesce(l.codes, []) as codes
                   from dim_organizations o left join (
                       select organization_id, list(distinct layer_code) as codes
                       from bridge_organization_layers group by organization_id) l using (organization_id)""")
    org_country = dict(zip(orgs["organization_id"], orgs["hq_country_iso2"], strict=True))
    org_layers = dict(zip(orgs["organization_id"], orgs["codes"].map(ui.as_list), strict=True))
    countries, layers = [], []
    for kind, entity_id, before, after in zip(changes["entity_type"], changes["entity_id"], changes["before_value"],
                                              changes["after_value"], strict=True):
        fields = {**_fields(before), **_fields(after)}
        org = fields.get("organization_id") or (entity_id.split(":")[0] if kind == "layer_membership" else
                                                entity_id if kind == "organization" else None)
        here = [fields.get("country_iso2"), fields.get("hq_country_iso2"), org_country.get(org),
                *(fields.get("latam_countries") or [])]
        countries.append([c for c in here if isinstance(c, str)])
        if kind in INFRASTRUCTURE_ENTITIES:
            layers.append([ui.INFRASTRUCTURE_LAYER])
        else:
            layers.append([fields["layer_code"]] if fields.get("layer_code") else org_layers.get(org, []))
    return {"countries": pd.Series(countries, index=changes.index, dtype=object),
            "layers": pd.Series(layers, index=changes.index, dtype=object)}


with ui.page("changes", "Change feed",
             "New, changed and removed facilities, cloud regions, GPU offers, cables, organisations, layer "
             "memberships and funding rounds, build by build."):
    changes = ui.q("""select change_id, entity_type, entity_id, entity_label, change_type, changed_at,
                             before_value, after_value, source_name, snapshot_id
                      from mart_changes order by changed_at desc, entity_type, entity_label""")
    f = ui.filters()
    if f.countries or f.layers:
        ui.filter_note("the country and layers of each entity, read from its tracked fields and its organisation")
        where = places(changes)
        changes = changes[f.any_country(where["countries"]) & f.layer(where["layers"])]
    c1, c2, c3, c4 = st.columns(4)
    with c1:
        ui.metric("changes", "Change events", f"{len(changes):,}", help="mart_changes, all builds")
    with c2:
        latest = changes["changed_at"].max() if not changes.empty else None
        ui.metric("latest", "Latest build with changes",
                  f"{latest:%d %b %H:%M}" if latest is not None and not ui.missing(latest) else "—",
                  help=f"{latest:%Y-%m-%d %H:%M:%S} UTC" if latest is not None and not ui.missing(latest) else None)
    with c3:
        in_latest = int((changes["changed_at"] == latest).sum()) if latest is not None else 0
        ui.metric("in-latest", "Events in that build", f"{in_latest:,}")
    with c4:
        ui.metric("changed", "Changed (not new)", f"{int((changes['change_type'] != 'new').sum()):,}",
                  help="changed or removed; the first build records everything as new")

    if changes.empty:
        ui.empty_state("changes-empty", "No change recorded yet: the feed fills from the second build on.")
    else:
        f1, f2, f3 = st.columns([2, 2, 3])
        with f1:
            types = sorted(changes["entity_type"].dropna().unique())
            chosen_types = st.multiselect("What", types, key="chg-types", placeholder="Everything")
        with f2:
            kinds = [k for k in ("new", "changed", "removed") if k in set(changes["change_type"])]
            chosen_kinds = st.multiselect("Change", kinds, key="chg-kinds", placeholder="Any change")
        with f3:
            search = st.text_input("Search", key="chg-search", placeholder="Name or id", type="search")
        view = changes
        if chosen_types:
            view = view[view["entity_type"].isin(chosen_types)]
        if chosen_kinds:
            view = view[view["change_type"].isin(chosen_kinds)]
        if search:
            needle = search.strip().lower()
            view = view[(view["entity_label"].fillna("") + " " + view["entity_id"].fillna(""))
                        .str.lower().str.contains(needle, regex=False)]

        view = view.assign(day=view["changed_at"].dt.strftime("%Y-%m-%d"))
        per_day = view.groupby(["day", "entity_type", "change_type"], as_index=False).size()
        picked = ui.chart(alt.Chart(per_day).mark_bar().encode(
            x=alt.X("day:O", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("sum(size):Q", title="Events"),
            color=alt.Color("entity_type:N", title=None, legend=alt.Legend(orient="bottom", columns=4)),
            tooltip=[alt.Tooltip("day:O", title="Day"), "entity_type:N", "change_type:N",
                     alt.Tooltip("sum(size):Q", title="Events")],
        ).properties(height=200, width=alt.Step(48), autosize=alt.AutoSizeParams(type="pad")), key="changes-chart",
            fields=["day", "entity_type"], width="content")
        ui.source("mart_changes", note="one bar per day; click a bar to list only its events in the table below")
        view = ui.narrow(view, picked)

        table = view.assign(what=[summary(t, b, a) for t, b, a in
                                  zip(view["change_type"], view["before_value"], view["after_value"], strict=True)])
        with st.container(key="change-count"):
            st.markdown(f"**{len(view)}** of {len(changes)} events")
        st.dataframe(table[["changed_at", "change_type", "entity_type", "entity_label", "what", "source_name",
                            "snapshot_id"]], hide_index=True, column_config={
            "changed_at": st.column_config.DatetimeColumn("When (UTC)", format="YYYY-MM-DD HH:mm"),
            "change_type": "Change", "entity_type": "What", "entity_label": st.column_config.TextColumn(
                "Entity", width="medium"),
            "what": st.column_config.TextColumn("Fields", width="large"), "source_name": "Source",
            "snapshot_id": "Snapshot"})
        ui.source("mart_changes")
        ui.download(table.drop(columns=["day"]), "changes", key="changes")

    st.subheader("Source loads")
    loads = ui.q("""select source_name, table_name, retrieved_at, loaded_at, row_count, quarantined_count, is_sample,
                           snapshot_id from mart_source_loads order by source_name, table_name""")
    st.dataframe(loads, hide_index=True, column_config={
        "source_name": "Source", "table_name": "Table",
        "retrieved_at": st.column_config.DatetimeColumn("Retrieved (UTC)", format="YYYY-MM-DD HH:mm"),
        "loaded_at": st.column_config.DatetimeColumn("Loaded (UTC)", format="YYYY-MM-DD HH:mm"),
        "row_count": "Rows", "quarantined_count": "Quarantined", "is_sample": "Sample", "snapshot_id": "Snapshot"})
    ui.source("mart_source_loads", note="the latest load of every source table in this publication",
              sample_rows=bool(loads["is_sample"].fillna(False).any()))
    ui.download(loads, "source_loads", key="loads")
