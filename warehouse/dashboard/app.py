"""Cadena dashboard: `streamlit run warehouse/dashboard/app.py` (see warehouse/dashboard/README.md).

Reads only the published warehouse file, read-only. Nothing is fetched from the internet.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from cadena_dashboard import data, ui

HERE = Path(__file__).resolve().parent
VIEWS = HERE / "views"

# A local icon: a Material or emoji page_icon makes the browser fetch the favicon from a CDN.
st.set_page_config(page_title="Cadena · LatAm AI value chain", page_icon=str(HERE / "assets" / "favicon.png"),
                   layout="wide")

pub = data.current_publication()

with st.sidebar:
    st.markdown("### Cadena")
    st.caption("Latin America's AI value chain, from the published warehouse.")

if pub is None:
    path = data.default_published_db()
    st.title("Cadena")
    with st.container(key="no-publication"):
        st.error(
            f"No published warehouse at `{path}`. Build one first: `make run` (offline, from the sample "
            "snapshots) or `uv run cadena refresh`; or point `CADENA_WAREHOUSE_DIR` at a warehouse."
        )
    st.stop()

ui.set_publication(pub)

with st.sidebar, st.container(key="publication"):
    st.markdown("**Publication**")
    with st.container(key="publication-id"):
        st.code(pub.label, language=None)
    when = f"{pub.published_at:%Y-%m-%d %H:%M UTC}" if pub.published_at else "time unknown"
    commit = f" · commit `{pub.git_commit[:8]}`" if pub.git_commit else ""
    st.caption(f"Published {when}{commit}")
    st.caption(f"File: `{pub.path}` (read-only)")

pages = {
    "Value chain": [
        st.Page(VIEWS / "overview.py", title="Overview", icon=":material/grid_view:", url_path="overview",
                default=True),
        st.Page(VIEWS / "organizations.py", title="Organisations", icon=":material/apartment:",
                url_path="organizations"),
        st.Page(VIEWS / "funding.py", title="Funding", icon=":material/payments:", url_path="funding"),
    ],
    "Compute": [
        st.Page(VIEWS / "infrastructure.py", title="Infrastructure", icon=":material/public:",
                url_path="infrastructure"),
        st.Page(VIEWS / "gpus.py", title="GPUs and prices", icon=":material/memory:", url_path="gpus"),
    ],
    "Data": [
        st.Page(VIEWS / "changes.py", title="Change feed", icon=":material/history:", url_path="changes"),
    ],
}
page = st.navigation(pages, position="sidebar", expanded=True)

try:
    if ui.sample():
        with st.container(key="sample-banner"):
            st.warning(
                "**Sample data.** This publication was built from the offline sample snapshots shipped with "
                "the code, not from the live sources: every figure is illustrative. Don't quote it.",
                icon=":material/science:",
            )
    page.run()
    st.session_state.pop("cadena_reruns", None)
except data.PublicationChanged:
    # A refresh swapped the published file while this page was reading it: render it again on the new one.
    reruns = st.session_state.get("cadena_reruns", 0)
    if reruns >= 3:
        raise
    st.session_state["cadena_reruns"] = reruns + 1
    st.rerun()
