"""The market map and dependency graph pages in headless Chromium, on the offline warehouse.

Same rules as test_dashboard_e2e (its fixtures and browser are reused): each page loads, shows the numbers
the published file holds, raises no exception, logs no console error, asks no other host for anything, and
is screenshotted to ``$CADENA_SCREENSHOT_DIR``."""

from __future__ import annotations

import csv

from ingestors.core import market_map
from tests.dashboard import test_dashboard_e2e as e2e
from tests.dashboard.test_dashboard_e2e import TIMEOUT_MS, _expander, _sql

# the end-to-end module's fixtures, for a server and browser of this module's own
warehouse, server, browser, ui = e2e.warehouse, e2e.server, e2e.browser, e2e.ui


def _counted(settings, where: str = "is_counted", params: list | None = None):
    return _sql(settings, f"select count(distinct organization_id), count(*) from ({market_map.MARKET_MAP_SQL}) "
                          f"where {where}", params)[0]


def _wait_metric(ui, key: str, value: str) -> None:
    """Wait until a metric reads ``value`` (a widget's rerun has finished), then for the page to be done."""
    ui.page.wait_for_function(
        "([k, v]) => (document.querySelector(`.st-key-metric-${k} [data-testid=stMetricValue]`) || {})"
        ".innerText?.trim() === v", arg=[key, value], timeout=TIMEOUT_MS)
    ui.wait_ready("market-map")


def test_market_map_shows_every_counted_organisation_with_its_evidence(ui, warehouse):
    settings, _ = warehouse
    ui.goto("market-map")
    orgs, entries = _counted(settings)
    assert orgs > 0
    assert ui.metric("map-orgs") == f"{orgs:,}"
    assert ui.metric("map-entries") == f"{entries:,}"
    grid = ui.page.locator(".st-key-map-grid table.grid")
    assert grid.count() == 1
    links = grid.locator("a")
    assert links.count() > 0
    assert all(h.startswith(("http://", "https://")) for h in links.evaluate_all("(as) => as.map((a) => a.href)"))
    # presence, not only headquarters: a hyperscaler headquartered abroad sits in a LatAm country's cloud row
    hyperscaler = _sql(settings, f"""select organization_name, country_name from ({market_map.MARKET_MAP_SQL})
                                     where is_counted and presence_kind = 'cloud_region'
                                     and hq_country_iso2 <> country_iso2
                                     order by organization_name limit 1""")
    if hyperscaler:
        assert hyperscaler[0][0] in grid.inner_text()
    ui.assert_clean()
    ui.screenshot("market-map")


def test_market_map_cell_drills_down_to_its_entries(ui, warehouse):
    settings, _ = warehouse
    ui.goto("market-map")
    country, row, count = _sql(settings, f"""select country_name, grid_row, count(*) from ({market_map.MARKET_MAP_SQL})
                                             where is_counted group by all order by 3 desc, 1, 2 limit 1""")[0]
    cell = ui.page.locator(f'.st-key-heatmap-map svg g.mark-rect path[aria-label*="Country: {country}; '
                           f'Layer: {row};"]')
    cell.first.click()
    ui.page.wait_for_function("() => [...document.querySelectorAll('[data-testid=stExpander] summary')]"
                              ".some((e) => e.innerText.includes('entries (selection)'))", timeout=TIMEOUT_MS)
    ui.wait_ready("market-map")
    assert f"{count:,} entries (selection)" in _expander(ui, "map")
    ui.assert_clean()
    ui.screenshot("market-map-drill-down")
    cell.first.dblclick()
    ui.page.wait_for_function("() => ![...document.querySelectorAll('[data-testid=stExpander] summary')]"
                              ".some((e) => e.innerText.includes('entries (selection)'))", timeout=TIMEOUT_MS)
    ui.wait_ready("market-map")


def test_market_map_filters_by_kind_of_presence(ui, warehouse):
    settings, _ = warehouse
    ui.goto("market-map")
    ui.page.locator(".st-key-map-rule-pick label", has_text="Every presence").click()
    _wait_metric(ui, "map-entries", f"{_counted(settings, 'true')[1]:,}")
    box = ui.page.locator(".st-key-map-kinds-pick input")
    box.fill("Cloud region")
    box.press("Enter")
    ui.page.keyboard.press("Escape")
    ui.wait_ready("market-map")
    orgs, entries = _counted(settings, "presence_kind = 'cloud_region'")
    _wait_metric(ui, "map-entries", f"{entries:,}")
    assert ui.metric("map-orgs") == f"{orgs:,}"
    ui.assert_clean()
    ui.screenshot("market-map-cloud-regions")
    # a new session (a reload) starts from the defaults again, for the tests after this one
    ui.goto("market-map", reload=True)
    assert ui.metric("map-entries") == f"{_counted(settings)[1]:,}"


def test_market_map_downloads_csv_and_a_self_contained_page(ui, warehouse, tmp_path):
    settings, _ = warehouse
    ui.goto("market-map", reload=True)
    with ui.page.expect_download() as info:
        ui.page.locator(".st-key-download-market-map button").click()
    path = tmp_path / "map.csv"
    info.value.save_as(path)
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == _counted(settings)[1]
    assert not any(r["source_names"].startswith("[") for r in rows)
    with ui.page.expect_download() as info:
        ui.page.locator(".st-key-download-market-map-html").get_by_role("button", name="Download HTML").click()
    path = tmp_path / "map.html"
    info.value.save_as(path)
    page = path.read_text(encoding="utf-8")
    assert "<script" not in page.lower() and "<link" not in page.lower() and 'src="' not in page
    assert '<table class="grid">' in page
    ui.assert_clean()


def test_dependency_graph_draws_every_dependency_and_lists_one_organisation(ui, warehouse):
    settings, _ = warehouse
    ui.goto("dependencies")
    edges = _sql(settings, "select count(*) from mart_dependencies__organization where direction = 'upstream'")[0][0]
    assert edges > 0
    assert ui.metric("dep-edges") == f"{edges:,}"
    graph = ui.page.locator(".st-key-dep-graph svg.marks")
    assert graph.count() == 1
    assert graph.locator("g.mark-rule line, g.mark-rule path").count() >= edges
    # the organisation with most dependencies is listed first, with its rows
    org_id, name, rows = _sql(settings, """select organization_id, any_value(organization_name), count(*)
                                           from mart_dependencies__organization group by 1
                                           order by 3 desc, 2 limit 1""")[0]
    table = ui.text("dep-org-table")
    assert name in table
    ui.assert_clean()
    ui.screenshot("dependencies")
    # clicking another node lists that one
    other = _sql(settings, """select organization_name, count(*) from mart_dependencies__organization
                              where organization_id <> ? group by 1 order by 2 desc, 1 limit 1""", [org_id])[0][0]
    node = ui.page.locator(f'.st-key-dep-graph svg g.mark-symbol path[aria-label*="Organisation: {other};"]')
    node.first.click()
    ui.page.wait_for_function(
        "(n) => (document.querySelector('.st-key-dep-org-table') || {}).innerText?.includes(n + ' depends on')",
        arg=other, timeout=TIMEOUT_MS)
    ui.wait_ready("dependencies")
    ui.assert_clean()


def test_dependency_graph_shows_sites_on_demand(ui, warehouse):
    settings, _ = warehouse
    ui.goto("dependencies")
    before = ui.page.locator(".st-key-dep-graph svg g.mark-symbol path").count()
    ui.page.locator(".st-key-dep-sites-pick label").click()
    ui.page.wait_for_function(
        "(n) => document.querySelectorAll('.st-key-dep-graph svg g.mark-symbol path').length > n",
        arg=before, timeout=TIMEOUT_MS)
    ui.wait_ready("dependencies")
    sites = _sql(settings, """select count(distinct from_node_id) from fct_dependency_edges
                              where from_node_kind in ('facility', 'ixp', 'cloud_region', 'cable_landing', 'cluster')
                              and to_node_kind = 'organization'""")[0][0]
    assert ui.page.locator(".st-key-dep-graph svg g.mark-symbol path").count() >= before + sites
    ui.assert_clean()
    ui.screenshot("dependencies-with-sites")
    ui.page.locator(".st-key-dep-sites-pick label").click()
    ui.wait_ready("dependencies")
