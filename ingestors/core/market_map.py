"""The market map: every organisation in its layer and in the countries where it operates, with evidence.

One row per organisation, LatAm country, layer (a hardware sub-layer on its own) and kind of presence, read
from the published marts ``bridge_organization_presence``, ``dim_organizations``, ``bridge_organization_layers``,
``dim_layer`` and ``dim_country``. The dashboard's market-map page reads :data:`MARKET_MAP_SQL`; every
publication writes :func:`export` into its ``exports/`` folder as ``market_map.csv``, ``market_map.parquet``
and ``market_map.html`` (a grid an analyst can mail: inline CSS, no script, opens offline).

``is_counted`` is the counting rule of the country x layer marts (``int_organization_country_layers``),
repeated row by row so the grid and ``mart_value_chain__country_layer`` agree:

* hardware & physical infrastructure counts an organisation where its capacity sits: a site (facility, IXP,
  cloud region, cable landing, cluster, office) with an operating status, or its headquarters when no source
  gives it any operating site in that layer, anywhere;
* every other layer counts it at its headquarters only.

Traps: a presence row's ``evidence_urls`` is null for most headquarters (the registry states none), so the
single ``evidence_url`` falls back to the layer membership's evidence, then the organisation's first source
URL, then its website. ``sub_layer_code`` is null for whole-layer memberships. Only ``http(s)`` URLs become
links in the HTML. Plain Python and DuckDB: no dagster, no dbt, no pandas.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path

import duckdb

REQUIRED = ("bridge_organization_presence", "dim_organizations", "bridge_organization_layers", "dim_layer",
            "dim_country")
FILES = ("market_map.csv", "market_map.parquet", "market_map.html")
HARDWARE = "hardware_infrastructure"
LIST_COLUMNS = ("sites", "site_statuses", "source_names", "snapshot_ids", "evidence_urls")

MARKET_MAP_SQL = f"""
with layers as (
    select layer_code, any_value(layer_name) as layer_name, min(stream_order) as stream_order
    from dim_layer group by layer_code
),
sub_layers as (
    select layer_code, sub_layer_code, any_value(sub_layer_name) as sub_layer_name
    from dim_layer where sub_layer_code is not null group by all
),
has_site as (
    select distinct organization_id, layer_code from bridge_organization_presence
    where presence_kind <> 'headquarters' and list_contains(site_statuses, 'operating')
),
membership as (
    select organization_id, layer_code, coalesce(sub_layer_code, '') as sub_key,
           any_value(evidence_url order by evidence_url nulls last) as evidence_url,
           any_value(evidence_publication order by evidence_url nulls last) as evidence_publication,
           max(evidence_date) as evidence_date, any_value(assigned_by) as assigned_by
    from bridge_organization_layers group by 1, 2, 3
)
select
    p.presence_id as entry_id,
    p.country_iso2,
    c.name_en as country_name,
    p.layer_code,
    l.layer_name,
    p.sub_layer_code,
    s.sub_layer_name,
    coalesce(s.sub_layer_name, l.layer_name) as grid_row,
    l.stream_order,
    p.organization_id,
    d.organization_name,
    d.org_type,
    d.hq_country_iso2,
    d.is_in_ai_value_chain,
    d.classification_status,
    p.presence_kind,
    case when p.layer_code = '{HARDWARE}'
         then (p.presence_kind <> 'headquarters' and list_contains(p.site_statuses, 'operating'))
              or (p.presence_kind = 'headquarters' and h.organization_id is null)
         else p.presence_kind = 'headquarters' end as is_counted,
    p.site_count,
    p.operating_site_count,
    coalesce(p.sites, []) as sites,
    coalesce(p.site_statuses, []) as site_statuses,
    coalesce(p.source_names, []) as source_names,
    coalesce(p.snapshot_ids, []) as snapshot_ids,
    coalesce(p.evidence_urls, []) as evidence_urls,
    coalesce(p.evidence_urls[1], m.evidence_url, d.source_urls[1], d.website) as evidence_url,
    m.evidence_publication as layer_evidence,
    m.evidence_date as layer_evidence_date,
    m.assigned_by as layer_assigned_by,
    p.latest_as_of
from bridge_organization_presence as p
inner join dim_organizations as d using (organization_id)
left join dim_country as c on c.country_iso2 = p.country_iso2
left join layers as l on l.layer_code = p.layer_code
left join sub_layers as s on s.layer_code = p.layer_code and s.sub_layer_code = p.sub_layer_code
left join has_site as h on h.organization_id = p.organization_id and h.layer_code = p.layer_code
left join membership as m
    on m.organization_id = p.organization_id and m.layer_code = p.layer_code
    and m.sub_key = coalesce(p.sub_layer_code, '')
where p.is_latam
order by l.stream_order, p.layer_code, p.sub_layer_code nulls first, c.name_en, d.organization_name,
         p.presence_kind
"""


def available(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the database on ``con`` (its current schema) has the marts the market map reads."""
    names = {r[0] for r in con.execute(
        "select table_name from information_schema.tables where table_schema = current_schema()").fetchall()}
    return all(t in names for t in REQUIRED)


def rows(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """The market map as dicts (lists as Python lists)."""
    cur = con.execute(MARKET_MAP_SQL)
    columns = [d[0] for d in cur.description]
    return [dict(zip(columns, r, strict=True)) for r in cur.fetchall()]


# ------------------------------------------------------------------------------------------------ the grid


def grid(entries: Sequence[Mapping]) -> tuple[list[str], list[str], dict[tuple[str, str], list[Mapping]]]:
    """Layer rows (value-chain order), country columns (most entries first) and the organisations of each cell
    (one entry per organisation: its presences in the cell merged)."""
    row_order: dict[str, tuple] = {}
    col_count: dict[str, int] = defaultdict(int)
    cells: dict[tuple[str, str], dict[str, dict]] = defaultdict(dict)
    for e in entries:
        row, col = e["grid_row"] or e["layer_code"], e["country_name"] or e["country_iso2"]
        row_order.setdefault(row, (e["stream_order"] or 99, e["sub_layer_code"] or ""))
        org = cells[(row, col)].get(e["organization_id"])
        if org is None:
            col_count[col] += 1
            org = cells[(row, col)][e["organization_id"]] = {
                "organization_name": e["organization_name"], "evidence_url": e["evidence_url"],
                "presence_kinds": [], "source_names": [], "snapshot_ids": [], "sites": []}
        org["presence_kinds"].append(e["presence_kind"])
        for key in ("source_names", "snapshot_ids", "sites"):
            org[key] += [v for v in (e[key] or []) if v not in org[key]]
        org["evidence_url"] = org["evidence_url"] or e["evidence_url"]
    rows_ = sorted(row_order, key=lambda r: row_order[r])
    cols = sorted(col_count, key=lambda c: (-col_count[c], c))
    ordered = {k: sorted(v.values(), key=lambda o: o["organization_name"].lower()) for k, v in cells.items()}
    return rows_, cols, ordered


def _link(url: str | None, text: str, title: str = "") -> str:
    t = f' title="{html.escape(title)}"' if title else ""
    if isinstance(url, str) and url.startswith(("https://", "http://")):
        return f'<a href="{html.escape(url)}"{t}>{html.escape(text)}</a>'
    return f"<span{t}>{html.escape(text)}</span>"


# The grid's own style, every rule under table.grid (the dashboard embeds it in its page).
GRID_CSS = """
table.grid{border-collapse:collapse;width:100%;font-size:13px}
table.grid th,table.grid td{border:1px solid #d6dae0;padding:6px 8px;vertical-align:top;text-align:left}
table.grid thead th{background:#f0f2f6}table.grid th.layer{background:#f7f8fa;min-width:150px}
table.grid td ul{list-style:none;margin:0;padding:0}table.grid td li{margin:0 0 3px}
table.grid td.empty{background:#fafbfc}table.grid a{color:#1f5fbf;text-decoration:none}
table.grid a:hover{text-decoration:underline}
""".strip()

# The exported page's style: the grid's, plus the page and the entries table.
CSS = GRID_CSS + """
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#262730;margin:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}p.meta{color:#5c6370;margin:0 0 16px}
.note{background:#fff4e5;border:1px solid #f0c36d;padding:8px 12px;border-radius:6px;margin:8px 0 16px}
table.entries{border-collapse:collapse;width:100%;font-size:12px}
table.entries th,table.entries td{border:1px solid #d6dae0;padding:4px 6px;vertical-align:top;text-align:left}
table.entries thead th{background:#f0f2f6;position:sticky;top:0}a{color:#1f5fbf}small{color:#6b7280}
""".rstrip()


def grid_html(entries: Sequence[Mapping]) -> str:
    """The layer x country table alone (``class="grid"``, styled by :data:`CSS`): each organisation links to
    its evidence; hovering shows its presence kinds, sources, snapshot and sites."""
    rows_, cols, cells = grid(entries)
    out = []
    out.append('<table class="grid"><thead><tr><th>Layer</th>'
               + "".join(f"<th>{html.escape(c)}</th>" for c in cols) + "</tr></thead><tbody>")
    for r in rows_:
        out.append(f'<tr><th class="layer">{html.escape(r)}</th>')
        for c in cols:
            orgs = cells.get((r, c), [])
            if not orgs:
                out.append('<td class="empty"></td>')
                continue
            items = []
            for o in orgs:
                title = "; ".join(filter(None, [
                    ", ".join(dict.fromkeys(o["presence_kinds"])),
                    "sources: " + ", ".join(o["source_names"]) if o["source_names"] else "",
                    "snapshot: " + ", ".join(o["snapshot_ids"]) if o["snapshot_ids"] else "",
                    "sites: " + ", ".join(o["sites"][:8]) if o["sites"] else ""]))
                items.append(f"<li>{_link(o['evidence_url'], o['organization_name'], title)}</li>")
            out.append(f"<td><ul>{''.join(items)}</ul></td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def to_html(entries: Sequence[Mapping], *, publication_id: str = "", published_at: str = "",
            sample: bool = False, counted_only: bool = True) -> str:
    """A self-contained page: the layer x country grid (each name links to its evidence, its title says the
    presence, sources and snapshot), then every entry. Inline CSS only; no script, font or image."""
    shown = [e for e in entries if e["is_counted"]] if counted_only else list(entries)
    out = ["<!doctype html>", '<html lang="en"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>Cadena market map {html.escape(publication_id)}</title>", f"<style>{CSS}</style></head><body>",
           "<h1>Latin America's AI value chain: market map</h1>",
           f'<p class="meta">Cadena publication {html.escape(publication_id or "unnamed")}'
           f"{' · published ' + html.escape(published_at) if published_at else ''} · "
           f"{len({e['organization_id'] for e in shown})} organisations, {len(shown)} entries. "
           "Hardware &amp; physical infrastructure counts an organisation where its capacity sits (its operating "
           "sites, else its headquarters); every other layer at its headquarters.</p>"]
    if sample:
        out.append('<p class="note"><b>Sample data.</b> Built from the offline sample snapshots shipped with the '
                   "code, not from the live sources: illustrative only, do not quote.</p>")
    out.append(grid_html(shown))
    out.append("<h2>Every entry and its evidence</h2>")
    heads = ("Organisation", "Country", "Layer", "Presence", "Counted", "Sites", "Sources", "Snapshot", "Evidence")
    out.append('<table class="entries"><thead><tr>' + "".join(f"<th>{h}</th>" for h in heads)
               + "</tr></thead><tbody>")
    for e in entries:
        cells_ = [html.escape(e["organization_name"] or ""), html.escape(e["country_name"] or e["country_iso2"]),
                  html.escape(e["grid_row"] or e["layer_code"]), html.escape(e["presence_kind"]),
                  "yes" if e["is_counted"] else "no", html.escape(", ".join(e["sites"] or [])),
                  html.escape(", ".join(e["source_names"] or [])),
                  f"<small>{html.escape(', '.join(e['snapshot_ids'] or []))}</small>",
                  _link(e["evidence_url"], "evidence") if e["evidence_url"] else "—"]
        out.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells_) + "</tr>")
    out.append("</tbody></table>")
    out.append("<p class=\"meta\">Each name links to the page or file that states its presence (or its layer). "
               "Generated by Cadena from the published warehouse; the same rows are in market_map.csv and "
               "market_map.parquet.</p></body></html>")
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------- the export


def _licence_sql(licences: Mapping[str, str]) -> str:
    """The licences of a row's ``source_names``, joined "; " (null when none is known)."""
    if not licences:
        return "null"
    mapping = "map {" + ", ".join(f"'{k.replace(chr(39), chr(39) * 2)}': '{v.replace(chr(39), chr(39) * 2)}'"
                                  for k, v in sorted(licences.items())) + "}"
    return (f"nullif(array_to_string(list_sort(list_distinct(list_filter(list_transform(source_names, "
            f"lambda s: {mapping}[s]), lambda x: x is not null))), '; '), '')")


def export(con: duckdb.DuckDBPyConnection, folder: Path, *, publication_id: str = "", published_at: str = "",
           licences: Mapping[str, str] | None = None, restricted_sources: frozenset[str] = frozenset(),
           include_restricted: bool = False) -> dict:
    """Write ``market_map.{csv,parquet,html}`` into ``folder`` from the marts on ``con``; returns what the
    manifest records (files, rows, organisations, rows left out). Nothing is written when a mart is missing.

    Like the mart exports, every row carries a ``licence`` (its sources' licences) and rows stated only by
    ``restricted_sources`` are left out unless ``include_restricted``. The CSV writes lists as ``a; b``."""
    if not available(con):
        return {"files": [], "skipped": f"the publication lacks one of {', '.join(REQUIRED)}"}
    licence = _licence_sql(licences or {})
    restricted = "[" + ", ".join(f"'{s}'" for s in sorted(restricted_sources)) + "]"
    keep = "true" if include_restricted or not restricted_sources else \
        f"not (len(source_names) > 0 and list_has_all({restricted}, source_names))"
    base = f"select *, {licence} as licence from ({MARKET_MAP_SQL}) where {keep}"
    total = con.execute(f"select count(*) from ({MARKET_MAP_SQL})").fetchone()[0]
    folder.mkdir(parents=True, exist_ok=True)
    con.execute(f"copy ({base}) to '{folder / 'market_map.parquet'}' (format parquet)")
    flat = ", ".join(f"array_to_string({c}, '; ') as {c}" for c in LIST_COLUMNS)
    con.execute(f"copy (select * replace ({flat}) from ({base})) to '{folder / 'market_map.csv'}' "
                "(format csv, header true)")
    cur = con.execute(base)
    columns = [d[0] for d in cur.description]
    entries = [dict(zip(columns, r, strict=True)) for r in cur.fetchall()]
    sample = _is_sample(con)
    (folder / "market_map.html").write_text(
        to_html(entries, publication_id=publication_id, published_at=published_at, sample=sample),
        encoding="utf-8")
    return {"files": list(FILES), "rows": len(entries), "rows_left_out": total - len(entries),
            "organisations": len({e["organization_id"] for e in entries}),
            "counted_rows": sum(1 for e in entries if e["is_counted"]),
            "counting_rule": "hardware & physical infrastructure where capacity sits (operating sites, else "
                             "headquarters); other layers at headquarters"}


def _is_sample(con: duckdb.DuckDBPyConnection) -> bool:
    try:
        return bool(con.execute("select coalesce(bool_or(is_sample), false) from mart_source_loads").fetchone()[0])
    except duckdb.Error:
        return False
