"""The dashboard end to end: Streamlit serving an offline warehouse, driven by Debian's headless Chromium.

For every page: it loads, finishes running, shows the numbers the published file holds, raises no
exception, logs no console error and asks no host but the local server for anything; a full-page
screenshot is saved to ``$CADENA_SCREENSHOT_DIR`` (default ``warehouse/screenshots/``, git-ignored).
Then publishes and rollbacks swap the file under the running app, which keeps working and shows the
new publication and its data. The app's own warehouse has a poisoned working file: reading it would break a page.

Without /usr/bin/chromium the module is skipped, unless ``CADENA_REQUIRE_BROWSER=1`` (CI), then it fails.
Playwright never downloads a browser here: it launches the system Chromium.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import closing
from pathlib import Path
from urllib.parse import urlparse

import duckdb
import pytest

from ingestors.core.config import REPO_ROOT, Settings
from ingestors.core.publish import current_publication, publish, rollback

CHROMIUM = Path(os.environ.get("CADENA_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
APP = REPO_ROOT / "warehouse" / "dashboard" / "app.py"
SCREENSHOTS = Path(os.environ.get("CADENA_SCREENSHOT_DIR", REPO_ROOT / "warehouse" / "screenshots"))
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
PAGES = {  # slug -> the sidebar link's label
    "overview": "Overview",
    "country": "Country profile",
    "organizations": "Organisations",
    "market-map": "Market map",
    "dependencies": "Dependency graph",
    "funding": "Funding",
    "infrastructure": "Infrastructure",
    "gpus": "GPUs and prices",
    "changes": "Change feed",
}
TIMEOUT_MS = 60_000


def _require_browser():
    problem = None
    if not CHROMIUM.exists():
        problem = f"{CHROMIUM} is not installed (Debian: apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "playwright is not installed (uv sync installs the dev group)"
    if problem:
        message = f"dashboard browser test: {problem}"
        if os.environ.get("CADENA_REQUIRE_BROWSER") == "1":
            pytest.fail(message + "; CADENA_REQUIRE_BROWSER=1 makes that a failure", pytrace=False)
        pytest.skip(message)


# ----------------------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def warehouse(request, tmp_path_factory):
    """A copy of the offline warehouse for the app (hard links kept, so the publication id is exact), its
    working file moved out of the app's reach and replaced by bytes no DuckDB can open.

    ``CADENA_DASHBOARD_TEST_WAREHOUSE=<dir>`` copies that built warehouse instead of building one."""
    _require_browser()
    given = os.environ.get("CADENA_DASHBOARD_TEST_WAREHOUSE")
    source = Path(given) if given else request.getfixturevalue("offline_warehouse")[0].warehouse_dir
    root = tmp_path_factory.mktemp("dashboard") / "warehouse"
    subprocess.run(["cp", "-a", str(source), str(root)], check=True)
    app_settings = Settings(warehouse_dir=root, contact="tests@example.org")
    working = root.parent / "working-elsewhere.duckdb"
    shutil.move(app_settings.working_db, working)
    app_settings.working_db.write_bytes(b"poison: the dashboard must only ever read the published file\n" * 64)
    return app_settings, working


def _free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(warehouse, tmp_path_factory):
    yield from _serve(warehouse[0], tmp_path_factory)


def _serve(settings: Settings, tmp_path_factory):
    """``streamlit run`` the app on a free port over ``settings``' warehouse; yields its base URL."""
    port = _free_port()
    log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    env = {**os.environ, "CADENA_WAREHOUSE_DIR": str(settings.warehouse_dir)}
    cmd = [sys.executable, "-m", "streamlit", "run", str(APP), "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none"]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not come up:\n{log.read_text()[-3000:]}", pytrace=False)
            time.sleep(0.25)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class Browser:
    """One Chromium tab on the app, recording console errors and any request to a non-local host."""

    def __init__(self, context, base: str):
        self.context, self.base = context, base
        self.console_errors: list[str] = []
        self.foreign_requests: list[str] = []
        context.route("**/*", self._route)
        self.page = context.pages[0] if context.pages else context.new_page()
        self.page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.console_errors.append(f"page error: {e}"))

    def _route(self, route):
        url = urlparse(route.request.url)
        if url.scheme in ("data", "blob", "about") or url.hostname in LOCAL_HOSTS:
            route.continue_()
        else:  # never let it out; the test fails on it below
            self.foreign_requests.append(route.request.url)
            route.abort()

    def goto(self, slug: str, *, reload: bool = False, marker: str | None = None) -> None:
        """Open a page the way a reader does: the app's root, then its sidebar link (a deep link would make
        Streamlit probe ``/<page>/_stcore/health`` first, a 404 logged as a console error). ``marker`` is the
        container that shows the page is done (default ``done-<slug>``)."""
        page = self.page
        if reload or not page.url.startswith(self.base):
            page.goto(self.base + "/", wait_until="domcontentloaded")
            self.wait_ready("overview", marker=marker)
            if slug == "overview":
                return
        page.locator('[data-testid="stSidebarNav"] a', has_text=PAGES[slug]).first.click()
        self.wait_ready(slug, marker=marker)

    def wait_ready(self, slug: str, marker: str | None = None) -> None:
        page = self.page
        marker = marker or f"done-{slug}"
        page.locator(f".st-key-{marker}").wait_for(state="visible", timeout=TIMEOUT_MS)
        page.wait_for_function(
            """(marker) => {
                const app = document.querySelector('[data-testid="stApp"]');
                if (!app || app.dataset.testScriptState !== 'notRunning') return false;
                if (!document.querySelector('.st-key-' + marker)) return false;
                // every visible chart has drawn
                return [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
                    .filter((e) => e.offsetParent !== null)
                    .every((e) => e.querySelector('canvas, svg.marks'));
            }""", arg=marker, timeout=TIMEOUT_MS)

    def text(self, key: str) -> str:
        return self.page.locator(f".st-key-{key}").first.inner_text(timeout=TIMEOUT_MS)

    def metric(self, key: str) -> str:
        return self.page.locator(f'.st-key-metric-{key} [data-testid="stMetricValue"]').inner_text(
            timeout=TIMEOUT_MS).strip()

    def assert_clean(self) -> None:
        exceptions = self.page.locator('[data-testid="stException"]')
        assert exceptions.count() == 0, exceptions.first.inner_text()
        assert not self.console_errors, self.console_errors
        assert not self.foreign_requests, f"requests to non-local hosts: {self.foreign_requests}"

    def screenshot(self, name: str) -> Path:
        """The whole page: Streamlit scrolls inside its main block, so grow the window to fit it first."""
        page = self.page
        height = page.evaluate("""() => {
            const main = document.querySelector('[data-testid="stMain"]');
            const block = document.querySelector('[data-testid="stMainBlockContainer"]');
            return Math.max(main ? main.scrollHeight : 0, block ? block.scrollHeight + 80 : 0);
        }""")
        size = page.viewport_size
        page.set_viewport_size({"width": size["width"], "height": min(max(size["height"], int(height)), 12_000)})
        try:
            page.wait_for_timeout(300)  # let charts re-fit to the new size
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            path = SCREENSHOTS / f"{name}.png"
            page.screenshot(path=str(path), full_page=True)
        finally:
            page.set_viewport_size(size)
        return path


@pytest.fixture(scope="module")
def browser(server, tmp_path_factory):
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 900}, service_workers="block")
        try:
            yield Browser(context, server)
        finally:
            context.close()


@pytest.fixture
def ui(browser):
    browser.console_errors.clear()
    browser.foreign_requests.clear()
    return browser


def _sql(settings: Settings, sql: str, params: list | None = None):
    """What the published file says, read the way the dashboard reads it (a private read-only attach)."""
    with duckdb.connect() as con:
        con.execute("attach ? as pub (read_only)", [str(settings.published_db)])
        con.execute("use pub")
        return con.execute(sql, params or []).fetchall()


def _usd(value) -> str:
    from cadena_dashboard.ui import usd

    return usd(value)


# -------------------------------------------------------------------------------------------------- pages


def test_overview(ui, warehouse):
    settings, _ = warehouse
    ui.goto("overview")
    orgs = _sql(settings, "select count(*) from dim_organizations where is_latam and is_in_ai_value_chain")[0][0]
    assert orgs > 0
    assert ui.metric("orgs") == f"{orgs:,}"
    cells = _sql(settings, "select count(distinct country_iso2) from mart_value_chain__country_layer "
                           "where organization_count > 0")[0][0]
    assert ui.metric("countries") == f"{cells:,}"
    assert ui.page.locator(".st-key-heatmap-orgs canvas, .st-key-heatmap-orgs svg").count() > 0
    assert "Sample data" in ui.text("sample-banner")  # an offline build is flagged as such
    publication = current_publication(settings.published_db)
    assert ui.text("publication-id").strip() == publication
    ui.assert_clean()
    ui.screenshot("overview")


def test_overview_shows_funding(ui, warehouse):
    settings, _ = warehouse
    ui.goto("overview")
    total = _sql(settings, """select sum(amount_usd) from fct_funding_rounds
                              where amount_status = 'converted' and is_latam""")[0][0]
    assert total and total > 0
    assert ui.metric("funding") == _usd(total)
    assert ui.page.locator(".st-key-heatmap-funding canvas, .st-key-heatmap-funding svg").count() > 0
    ui.assert_clean()


def test_infrastructure(ui, warehouse):
    settings, _ = warehouse
    ui.goto("infrastructure")
    facilities, mapped = _sql(settings, """
        select (select count(*) from fct_facilities),
               (select count(*) from fct_facilities where latitude is not null and longitude is not null)
             + (select count(distinct landing_point_id) from fct_cable_landings
                where latitude is not null and longitude is not null)
             + (select count(*) from fct_cloud_regions where latitude is not null and longitude is not null)""")[0]
    assert mapped > 0
    assert ui.metric("facilities") == f"{facilities:,}"
    assert ui.text("map-summary").startswith(f"{mapped} points drawn")
    mw = _sql(settings, "select sum(datacenter_mw_operating) from mart_infrastructure__country")[0][0] or 0
    assert ui.metric("mw") == f"{mw:,.0f}"
    assert ui.page.locator(".st-key-infra-map canvas, .st-key-infra-map svg").count() > 0
    ui.assert_clean()
    ui.screenshot("infrastructure")


def test_gpus(ui, warehouse):
    settings, _ = warehouse
    ui.goto("gpus")
    pairs, cheapest = _sql(settings, """
        select count(*), min(cheapest_usd_per_gpu_hour) filter (where gpu_model = 'H100')
        from mart_gpu_prices__country_model""")[0]
    assert pairs > 0
    assert ui.text("price-summary").startswith(f"{pairs} country x GPU model prices")
    assert ui.metric("cheapest-h100") == _usd(cheapest)
    assert ui.page.locator(".st-key-price-chart canvas, .st-key-price-chart svg").count() > 0
    ui.assert_clean()
    ui.screenshot("gpus")


def test_funding_page_loads(ui):
    """Loads cleanly whatever the publication holds: its data, or an explicit empty state."""
    ui.goto("funding")
    has_data = ui.page.locator(".st-key-metric-rounds").count() > 0
    assert has_data or ui.page.locator(".st-key-funding-empty").count() > 0
    ui.assert_clean()
    ui.screenshot("funding")


def test_funding_page_shows_rounds_and_investors(ui, warehouse):
    settings, _ = warehouse
    ui.goto("funding")
    rounds, usd = _sql(settings, """select count(*), sum(amount_usd) filter (where amount_status = 'converted')
                                    from fct_funding_rounds where is_latam""")[0]  # the page's default view
    assert rounds > 0
    assert ui.metric("rounds") == f"{rounds:,}"
    assert ui.metric("usd") == _usd(usd)
    assert ui.page.locator(".st-key-fund-by-quarter canvas, .st-key-fund-by-quarter svg").count() > 0
    named = _sql(settings, "select count(*) from bridge_round_investors")[0][0]
    if named:
        assert ui.page.locator(".st-key-top-investors canvas, .st-key-top-investors svg").count() > 0
    ui.assert_clean()


def test_organizations_search_and_source_links(ui, warehouse):
    settings, _ = warehouse
    ui.goto("organizations")
    total = _sql(settings, "select count(*) from dim_organizations")[0][0]
    assert ui.text("org-count").startswith(f"{total} of {total} organisations")
    # search for an organisation that has source links; the count is what the same match gives in SQL
    name, url = _sql(settings, """select organization_name, source_urls[1] from dim_organizations
                                  where len(source_urls) > 0 order by organization_name limit 1""")[0]
    matches = _sql(settings, """
        select count(*) from dim_organizations
        where contains(lower(concat_ws(' ', organization_name, array_to_string(aliases, ' '), hq_city, description,
                                       website)), lower(?))""", [name])[0][0]
    box = ui.page.locator(".st-key-org-search input")
    box.fill(name)
    box.press("Enter")
    ui.page.wait_for_function(
        "(want) => document.querySelector('.st-key-org-count')?.innerText.startsWith(want)",
        arg=f"{matches} of {total}", timeout=TIMEOUT_MS)
    ui.wait_ready("organizations")
    card = ui.page.locator(".st-key-org-detail-card")
    assert name in card.inner_text()
    assert card.locator(f'a[href="{url}"]').count() > 0  # the link to the source
    ui.assert_clean()
    ui.screenshot("organizations")
    box.fill("")
    box.press("Enter")
    ui.wait_ready("organizations")


def test_changes(ui, warehouse):
    settings, _ = warehouse
    ui.goto("changes")
    events = _sql(settings, "select count(*) from mart_changes")[0][0]
    assert events > 0
    assert ui.metric("changes") == f"{events:,}"
    ui.assert_clean()
    ui.screenshot("changes")


# ------------------------------------------------------------------- drill-down, claims, downloads, filters


def _expander(ui, key: str) -> str:
    """The label of the expander that holds ``.st-key-drill-<key>``."""
    return ui.page.locator("[data-testid='stExpander']", has=ui.page.locator(f".st-key-drill-{key}")) \
        .locator("summary").inner_text(timeout=TIMEOUT_MS)


def test_a_heatmap_cell_drills_down_to_its_organisations_and_evidence(ui, warehouse):
    """The rows behind a cell are the entries the grid counts: hardware where capacity sits, else headquarters."""
    from ingestors.core.market_map import MARKET_MAP_SQL

    settings, _ = warehouse
    ui.goto("overview")
    entries = _sql(settings, f"select count(*) from ({MARKET_MAP_SQL}) where is_counted")[0][0]
    assert f"{entries:,} entries" in _expander(ui, "orgs") and "(selection)" not in _expander(ui, "orgs")
    # the busiest cell; its distinct organisations are what the grid shows
    country, layer, layer_name, count, orgs = _sql(settings, f"""
        select country_name, layer_code, layer_name, count(*), count(distinct organization_id)
        from ({MARKET_MAP_SQL}) where is_counted group by all order by 4 desc, 1, 2 limit 1""")[0]
    counted = _sql(settings, "select organization_count from mart_value_chain__country_layer m join dim_country c "
                             "using (country_iso2) where c.name_en = ? and m.layer_code = ?", [country, layer])[0][0]
    assert counted == orgs
    cell = ui.page.locator(f'.st-key-heatmap-orgs svg g.mark-rect path[aria-label*="Country: {country}; '
                           f'Layer: {layer_name};"]')
    cell.first.click()
    ui.page.wait_for_function("() => [...document.querySelectorAll('[data-testid=stExpander] summary')]"
                              ".some((e) => e.innerText.includes('(selection)'))", timeout=TIMEOUT_MS)
    ui.wait_ready("overview")
    assert f"{count:,} entries (selection)" in _expander(ui, "orgs")
    drill = ui.page.locator(".st-key-drill-orgs")
    assert drill.locator('[data-testid="stDataFrame"]').count() == 1
    ui.assert_clean()
    ui.screenshot("overview-drill-down")
    cell.first.dblclick()  # clears the selection
    ui.page.wait_for_function("() => ![...document.querySelectorAll('[data-testid=stExpander] summary')]"
                              ".some((e) => e.innerText.includes('entries (selection)'))", timeout=TIMEOUT_MS)
    ui.wait_ready("overview")


def _chart_labels(ui, key: str) -> list[str]:
    return ui.page.locator(f".st-key-{key} svg.marks").first.evaluate(
        "(svg) => [...svg.querySelectorAll('text')].map((t) => t.textContent)")


def test_money_reads_billions_not_giga(ui, warehouse):
    """Vega writes 1.4e9 as 1.4G (SI giga); the axes and legends say $1.4B."""
    settings, _ = warehouse
    ui.goto("overview")
    biggest = _sql(settings, "select max(funding_usd_all_time) from mart_value_chain__country_layer")[0][0]
    labels = _chart_labels(ui, "heatmap-funding")
    assert not [t for t in labels if t.startswith("$") and t.endswith("G")], labels
    if biggest >= 1e9:
        assert [t for t in labels if t.startswith("$") and t.endswith("B")], labels
    ui.goto("funding")
    labels = _chart_labels(ui, "fund-by-quarter")
    assert not [t for t in labels if t.startswith("$") and t.endswith("G")], labels
    ui.assert_clean()


def test_every_funding_round_shows_the_claims_behind_it(ui, warehouse):
    settings, _ = warehouse
    ui.goto("funding")
    round_id, name, claims = _sql(settings, """select round_id, organization_name, claims_count from fct_funding_rounds
                                               where is_latam order by claims_count desc, round_date desc limit 1""")[0]
    card = ui.page.locator(".st-key-round-claims")
    assert name in card.inner_text()
    assert f"{claims} claim(s)" in card.inner_text()
    urls = _sql(settings, "select evidence_url from fct_funding_claims where round_id = ? and evidence_url is not null",
                [round_id])
    assert card.locator('[data-testid="stDataFrame"]').count() == 1
    assert len(urls) >= 1
    ui.assert_clean()


def test_pages_download_what_they_show(ui, warehouse, tmp_path):
    settings, _ = warehouse
    ui.goto("funding")
    with ui.page.expect_download() as info:
        ui.page.locator(".st-key-download-fund-rounds button").click()
    path = tmp_path / "rounds.csv"
    info.value.save_as(path)
    import csv

    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    shown = _sql(settings, "select count(*) from fct_funding_rounds where is_latam")[0][0]
    assert len(rows) == shown
    assert info.value.suggested_filename.startswith("cadena_funding_rounds_")
    assert not any(r["investors"].startswith("[") for r in rows)  # lists as "a; b", not Python syntax
    for slug in PAGES:
        ui.goto(slug)
        assert ui.page.locator("[class*='st-key-download-'] button").count() >= 1, slug
    ui.assert_clean()


def test_the_sidebar_filters_narrow_every_page(ui, warehouse):
    settings, _ = warehouse
    iso2, name = _sql(settings, """select d.hq_country_iso2, c.name_en from dim_organizations d
                                   join dim_country c on c.country_iso2 = d.hq_country_iso2
                                   where d.is_latam and d.is_in_ai_value_chain
                                   group by all order by count(*) desc, 1 limit 1""")[0]
    ui.goto("overview")
    box = ui.page.locator(".st-key-flt-countries input")
    # click, then type: with eight pages in the sidebar the box sits at the window's bottom edge, where a
    # fill() leaves the dropdown closed
    box.click()
    ui.page.keyboard.type(name)
    box.press("Enter")
    ui.page.keyboard.press("Escape")
    ui.page.locator(".st-key-filter-note").wait_for(state="visible", timeout=TIMEOUT_MS)
    ui.wait_ready("overview")
    orgs = _sql(settings, """select count(distinct organization_id) from dim_organizations
                             join bridge_organization_layers using (organization_id)
                             where is_latam and is_in_ai_value_chain and hq_country_iso2 = ?""", [iso2])[0][0]
    assert ui.metric("orgs") == f"{orgs:,}"
    assert ui.metric("countries") == "1"
    ui.screenshot("overview-filtered")
    ui.goto("infrastructure")  # the choice follows the reader
    facilities = _sql(settings, "select count(*) from fct_facilities where country_iso2 = ?", [iso2])[0][0]
    assert ui.metric("facilities") == f"{facilities:,}"
    ui.goto("organizations")
    total = _sql(settings, "select count(*) from dim_organizations")[0][0]
    in_country = _sql(settings, "select count(*) from dim_organizations where hq_country_iso2 = ?", [iso2])[0][0]
    assert ui.text("org-count").startswith(f"{in_country} of {total} organisations")
    for slug in ("funding", "gpus", "changes"):
        ui.goto(slug)
        assert ui.page.locator(".st-key-filter-note").count() == 1, slug
    ui.assert_clean()
    # clear it again for the tests after this one
    ui.page.locator(".st-key-flt-countries [data-testid='stMultiSelect'] svg[title='Clear all'], "
                    ".st-key-flt-countries [aria-label='Clear all']").first.click()
    ui.page.wait_for_function("() => !document.querySelector('.st-key-filter-note')", timeout=TIMEOUT_MS)
    ui.wait_ready("changes")


# ---------------------------------------------------------------------------------- a refresh meanwhile


def test_a_publish_while_the_app_runs_never_breaks_it(ui, warehouse):
    """Publishes and a rollback swap the file while pages render; then a publish with new data shows the new
    publication and its data, and a rollback the previous one again."""
    settings, working = warehouse
    published = settings.published_db
    events = _sql(settings, "select count(*) from mart_changes")[0][0]

    errors: list[BaseException] = []
    done = threading.Event()

    def refresh_meanwhile():
        try:
            publish(working, published)
            time.sleep(0.3)
            rollback(published)
            time.sleep(0.3)
            publish(working, published)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            done.set()

    ui.goto("overview")
    thread = threading.Thread(target=refresh_meanwhile)
    thread.start()
    renders = 0
    try:  # every page change reruns the page on whatever the file is now
        while not done.is_set() or renders < 2:
            ui.goto("changes" if renders % 2 == 0 else "overview")
            ui.assert_clean()
            renders += 1
    finally:
        thread.join()
    assert not errors, errors
    ui.goto("overview")
    ui.goto("changes")
    assert ui.text("publication-id").strip() == current_publication(published)
    assert ui.metric("changes") == f"{events:,}"

    # the next build saw one more change (written to the working file only: the app never reads that file)
    with duckdb.connect(str(working)) as con:
        con.execute("""insert into main.mart_changes (change_id, entity_type, entity_id, entity_label, change_type,
                                                     changed_at, before_value, after_value, source_name, snapshot_id)
                       select md5(change_id || 'e2e'), entity_type, entity_id, entity_label, 'changed',
                              now()::timestamp, before_value, after_value, source_name, snapshot_id
                       from main.mart_changes limit 1""")
    before = current_publication(published)
    after = publish(working, published).publication_id
    assert after != before
    ui.goto("overview")
    ui.goto("changes")
    assert ui.text("publication-id").strip() == after
    assert ui.metric("changes") == f"{events + 1:,}"
    ui.assert_clean()

    assert rollback(published) == before
    ui.goto("changes", reload=True)  # a reader who reloads sees it as well
    assert ui.text("publication-id").strip() == before
    assert ui.metric("changes") == f"{events:,}"
    ui.assert_clean()
