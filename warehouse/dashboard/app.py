"""Cadena dashboard: `streamlit run warehouse/dashboard/app.py` (see warehouse/dashboard/README.md).

Reads only the published warehouse file, read-only. Nothing is fetched from the internet.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
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


def unavailable(message: str) -> None:
    """The one message a page shows instead of its content when there is nothing readable to show."""
    st.title("Cadena")
    with st.container(key="publication-error"):
        st.error(message, icon=":material/error:")


problem = None
if pub is None:
    path = data.default_published_db()
    if data.in_progress(path):
        problem = (f"The first publication is being written to `{path.parent}` right now. Reload this page "
                   "in a minute.")
    else:
        problem = (f"No published warehouse at `{path}`. Build one first: `make run` (offline, from the sample "
                   "snapshots) or `uv run cadena refresh`; or point `CADENA_WAREHOUSE_DIR` at a warehouse.")
else:
    try:
        why = data.problem(pub)
    except data.PublicationChanged:
        why = None
        st.rerun()
    if why:
        problem = (f"The published warehouse `{pub.path}` (publication `{pub.label}`) cannot be shown: {why}. "
                   "If a refresh is publishing right now, reload in a minute. Otherwise publish again "
                   "(`uv run cadena publish`) or go back to the previous publication "
                   "(`uv run cadena publish --rollback`).")

if problem is None:
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
        st.Page(VIEWS / "country.py", title="Country profile", icon=":material/flag:", url_path="country"),
        st.Page(VIEWS / "organizations.py", title="Organisations", icon=":material/apartment:",
                url_path="organizations"),
        st.Page(VIEWS / "market_map.py", title="Market map", icon=":material/view_module:", url_path="market-map"),
        st.Page(VIEWS / "dependencies.py", title="Dependency graph", icon=":material/hub:", url_path="dependencies"),
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

if problem is not None:
    unavailable(problem)
    st.stop()

try:
    with st.sidebar:
        ui.sidebar_filters()
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
        unavailable("The published warehouse keeps changing while this page reads it (a refresh is publishing "
                    "again and again). Reload in a minute.")
        st.stop()
    st.session_state["cadena_reruns"] = reruns + 1
    st.rerun()
except duckdb.Error as exc:
    # A publication that opened but then failed a query (a mart from another version, a damaged block).
    unavailable(f"This page could not read the published warehouse `{pub.path}` (publication `{pub.label}`): "
                f"{data.one_line(exc)}. Publish again (`uv run cadena publish`) or roll back "
                "(`uv run cadena publish --rollback`).")
