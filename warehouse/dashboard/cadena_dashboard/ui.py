"""What every page shares: the publication of this run, the page frame, formats, source notes."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd
import streamlit as st

from cadena_dashboard import data

_PUB = "cadena_publication"


def set_publication(pub: data.Publication) -> None:
    st.session_state[_PUB] = pub


def pub() -> data.Publication:
    """The publication this script run reads (set once per run by app.py)."""
    return st.session_state[_PUB]


def q(sql: str, params: tuple = ()) -> pd.DataFrame:
    return data.query(pub(), sql, params)


def scalar(sql: str, params: tuple = ()):
    return data.scalar(pub(), sql, params)


def has(name: str, *columns: str) -> bool:
    return data.has_table(pub(), name, *columns)


def sample() -> bool:
    return data.is_sample(pub())


@contextmanager
def page(slug: str, title: str, intro: str) -> Iterator[None]:
    """The page's marker container (``.st-key-page-<slug>``), then a closing line (``.st-key-done-<slug>``)
    that only appears once everything above it rendered: the end-to-end test waits for it."""
    with st.container(key=f"page-{slug}"):
        st.title(title)
        st.caption(intro)
        yield
    with st.container(key=f"done-{slug}"):
        p = pub()
        st.caption(f"Read-only from `{p.path.name}`, publication `{p.label}`.")


def source(*tables: str, note: str = "", sample_rows: bool | None = None) -> None:
    """The provenance line under a chart or table: which marts, and whether the rows are sample data."""
    names = ", ".join(f"`{t}`" for t in tables)
    flag = sample() if sample_rows is None else sample_rows
    badge = " :orange-badge[sample data: do not quote]" if flag else ""
    st.caption(f"Source: {names}{' · ' + note if note else ''}{badge}")


def metric(key: str, label: str, value: str, help: str | None = None) -> None:
    with st.container(key=f"metric-{key}"):
        st.metric(label, value, help=help)


def missing(x) -> bool:
    if x is None or x is pd.NA or x is pd.NaT:
        return True
    try:
        return math.isnan(x)
    except TypeError:
        return False


def usd(x, digits: int = 1) -> str:
    """$1.2B, $350.0M, $12.5k, $8.80."""
    if missing(x):
        return "—"
    x = float(x)
    for div, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(x) >= div:
            return f"${x / div:,.{digits}f}{suffix}"
    return f"${x:,.2f}"


def num(x, digits: int = 0) -> str:
    if missing(x):
        return "—"
    return f"{float(x):,.{digits}f}"


def as_list(x) -> list:
    """DuckDB lists arrive as numpy arrays (or None): plain lists for Streamlit's list columns."""
    if x is None or (not hasattr(x, "__len__") and missing(x)):
        return []
    return [v for v in list(x) if not missing(v)]


def country_names() -> dict[str, str]:
    if not has("dim_country"):
        return {}
    frame = q("select country_iso2, name_en from dim_country")
    return dict(zip(frame["country_iso2"], frame["name_en"], strict=True))


def layers() -> pd.DataFrame:
    """Top-level layers in value-chain order: layer_code, layer_name, stream, stream_order."""
    return q("""
        select layer_code, any_value(layer_name) as layer_name, any_value(stream) as stream,
               min(stream_order) as stream_order
        from dim_layer group by layer_code order by stream_order, layer_code""")


def empty_state(key: str, message: str) -> None:
    with st.container(key=key):
        st.info(message)
