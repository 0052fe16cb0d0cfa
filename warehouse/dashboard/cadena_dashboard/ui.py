"""What every page shares: the publication of this run, the page frame, the sidebar filters, formats,
source notes, clickable charts and their drill-down, CSV downloads."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from cadena_dashboard import data

_PUB = "cadena_publication"
# Vega formats 1.4e9 with the SI prefix G (giga); money reads $1.4B. Used as an axis or legend labelExpr.
BILLIONS = "replace(datum.label, 'G', 'B')"
INFRASTRUCTURE_LAYER = "hardware_infrastructure"


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


# ------------------------------------------------------------------------------------------------ filters


@dataclass(frozen=True)
class Filters:
    """The sidebar's country and layer choice, applied by every page; empty means everything."""

    countries: tuple[str, ...] = ()
    layers: tuple[str, ...] = ()

    def country(self, iso2: pd.Series) -> pd.Series:
        """Rows whose country is chosen (all rows when no country is)."""
        return iso2.isin(self.countries) if self.countries else pd.Series(True, index=iso2.index)

    def any_country(self, lists: pd.Series) -> pd.Series:
        """Rows with at least one chosen country in a list column (a cable's landing countries)."""
        if not self.countries:
            return pd.Series(True, index=lists.index)
        return lists.map(lambda values: any(c in self.countries for c in as_list(values)))

    def layer(self, codes: pd.Series) -> pd.Series:
        """Rows in a chosen layer: ``codes`` holds one layer code, or a list of them, per row."""
        if not self.layers:
            return pd.Series(True, index=codes.index)
        return codes.map(lambda v: any(c in self.layers for c in (as_list(v) if not isinstance(v, str) else [v])))

    def includes_infrastructure(self) -> bool:
        return not self.layers or INFRASTRUCTURE_LAYER in self.layers

    def describe(self) -> str:
        names, layer_names = country_names(), dict(zip(layers()["layer_code"], layers()["layer_name"], strict=True))
        parts = []
        if self.countries:
            parts.append(", ".join(names.get(c, c) for c in self.countries))
        if self.layers:
            parts.append(", ".join(layer_names.get(c, c) for c in self.layers))
        return " · ".join(parts)


def sidebar_filters() -> None:
    """The two filters every page applies; their state lives in the session, so it follows the reader
    from page to page."""
    names = country_names()
    latam = latam_countries()
    layer_table = layers()
    layer_name = dict(zip(layer_table["layer_code"], layer_table["layer_name"], strict=True))
    with st.container(key="filters"):
        st.markdown("**Filter every page**")
        st.multiselect("Countries", latam, format_func=lambda c: names.get(c, c), key="flt-countries",
                       placeholder="All of Latin America")
        st.multiselect("Layers", list(layer_name), format_func=lambda c: layer_name.get(c, c), key="flt-layers",
                       placeholder="Every layer")


def filters() -> Filters:
    return Filters(tuple(st.session_state.get("flt-countries") or ()), tuple(st.session_state.get("flt-layers") or ()))


def filter_note(page_applies: str = "") -> None:
    """One line under the title saying which sidebar filters narrow this page."""
    f = filters()
    if f.countries or f.layers:
        with st.container(key="filter-note"):
            st.caption(f":blue-badge[Filtered] {f.describe()}{' · ' + page_applies if page_applies else ''}")


def infrastructure_layer_excluded(key: str) -> bool:
    """Pages about physical infrastructure (all of it in the hardware and infrastructure layer) show an empty
    state when the layer filter leaves that layer out."""
    if filters().includes_infrastructure():
        return False
    name = dict(zip(layers()["layer_code"], layers()["layer_name"], strict=True)).get(INFRASTRUCTURE_LAYER)
    empty_state(key, f"Everything on this page is in the {name or INFRASTRUCTURE_LAYER} layer, which the layer "
                     "filter in the sidebar leaves out. Add it there (or clear the filter) to see this page.")
    return True


def latam_countries() -> list[str]:
    """ISO2 codes of the Latin American countries, by English name."""
    if not has("dim_country"):
        return []
    frame = q("select country_iso2 from dim_country order by name_en")
    return frame["country_iso2"].tolist()


# ----------------------------------------------------------------------------------- charts and drill-down


def clickable(chart, fields: list[str], name: str = "pick"):
    """Add a click selection over ``fields`` to a chart (to its first layer when it is layered)."""
    param = alt.selection_point(name=name, fields=fields, on="click", clear="dblclick")
    if isinstance(chart, alt.LayerChart):
        chart = chart.copy(deep=True)
        chart.layer[0] = chart.layer[0].add_params(param)
        return chart
    return chart.add_params(param)


def chart(chart, key: str, fields: list[str] | None = None, width: str = "stretch") -> list[dict]:
    """Draw an Altair chart in ``.st-key-<key>``; with ``fields``, clicking a mark selects it and the clicked
    marks' values of ``fields`` are returned (double-click clears)."""
    with st.container(key=key):
        if not fields:
            st.altair_chart(chart, width=width)
            return []
        event = st.altair_chart(clickable(chart, fields), width=width, on_select="rerun",
                                selection_mode="pick", key=f"{key}-chart")
    picked = (event.selection or {}).get("pick", []) if event else []
    return [{f: p.get(f) for f in fields} for p in picked if isinstance(p, dict)]


def narrow(frame: pd.DataFrame, picked: list[dict]) -> pd.DataFrame:
    """The rows of ``frame`` behind the clicked marks (all rows when nothing is clicked)."""
    if not picked:
        return frame
    keep = pd.Series(False, index=frame.index)
    for p in picked:
        match = pd.Series(True, index=frame.index)
        for field, value in p.items():
            column = frame[field]
            if column.map(lambda v: isinstance(v, list | tuple | np.ndarray)).any():
                match &= column.map(lambda values, value=value: value in values)
            else:
                match &= column.astype(str) == str(value)
        keep |= match
    return frame[keep]


def drill(key: str, title: str, frame: pd.DataFrame, picked: list[dict], *, column_config: dict | None = None,
          what: str = "rows", hint: str = "Click a mark in the chart above to list only the rows behind it.") -> None:
    """The rows behind a chart, and their evidence: all of them, or those of the clicked marks."""
    rows = narrow(frame, picked)
    label = f"{title}: {len(rows):,} {what}" + (" (selection)" if picked else "")
    with st.expander(label, expanded=bool(picked)), st.container(key=f"drill-{key}"):
        st.caption(("Double-click the chart to clear the selection. " if picked else hint + " ")
                   + "Links open the evidence.")
        st.dataframe(rows, hide_index=True, column_config=column_config)
        download(rows, f"{key}", key=f"drill-{key}")


# ---------------------------------------------------------------------------------------------- downloads


def as_csv(frame: pd.DataFrame) -> bytes:
    """CSV a spreadsheet opens: list columns joined with "; " instead of Python's list syntax."""
    out = frame.copy()
    for column in out.columns:
        if out[column].map(lambda v: isinstance(v, list | tuple | np.ndarray)).any():
            out[column] = out[column].map(lambda v: "; ".join(str(x) for x in as_list(v)))
    return out.to_csv(index=False).encode("utf-8")


def download(frame: pd.DataFrame, name: str, key: str, label: str = "Download CSV") -> None:
    """A button saving exactly the rows shown (after the filters) as ``cadena_<name>_<publication>.csv``."""
    with st.container(key=f"download-{key}"):
        st.download_button(label, as_csv(frame), file_name=f"cadena_{name}_{pub().label}.csv", mime="text/csv",
                           key=f"dl-{key}", on_click="ignore", icon=":material/download:")
