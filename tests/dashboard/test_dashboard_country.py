"""The country profile page in headless Chromium, on the offline warehouse.

Same rules as test_dashboard_e2e (its fixtures and browser are reused): the page loads, shows what
mart_country_profile and mart_ai_services__country_model hold for the chosen country, switches country,
raises no exception, logs no console error and asks no other host for anything."""

from __future__ import annotations

from tests.dashboard import test_dashboard_e2e as e2e
from tests.dashboard.test_dashboard_e2e import TIMEOUT_MS, _sql

# the end-to-end module's fixtures, for a server and browser of this module's own
warehouse, server, browser, ui = e2e.warehouse, e2e.server, e2e.browser, e2e.ui


def _profile(settings, where: str = "true", params: list | None = None):
    return _sql(settings, f"""select country_iso2, country_name, value_chain_organization_count,
                                     in_region_model_count, datacenter_mw_operating, ai_researchers
                              from mart_country_profile where {where}
                              order by value_chain_organization_count desc, country_name limit 1""", params)[0]


def test_country_profile_shows_the_busiest_country_first(ui, warehouse):
    settings, _ = warehouse
    ui.goto("country")
    _, name, orgs, models, mw, researchers = _profile(settings)
    assert ui.text("profile-summary").startswith(name)
    assert ui.metric("profile-orgs") == f"{orgs:,}"
    assert ui.metric("profile-models") == f"{models:,}"
    assert ui.metric("profile-mw") == ("—" if mw is None else f"{mw:,.0f}")
    assert ui.metric("people-researchers") == ("—" if researchers is None else f"{researchers:,}")
    assert ui.page.locator(".st-key-profile-layers [data-testid='stDataFrame']").count() == 1
    ui.assert_clean()
    ui.screenshot("country")


def test_country_profile_lists_the_models_priced_in_region(ui, warehouse):
    settings, _ = warehouse
    rows = _sql(settings, """select p.country_iso2, p.country_name, count(*) filter (where m.is_processed_in_region)
                             from mart_country_profile p join mart_ai_services__country_model m using (country_iso2)
                             group by all order by 3 desc, 1 limit 1""")
    assert rows, "the offline warehouse prices models in at least one LatAm region"
    iso2, name, in_region = rows[0]
    ui.goto("country")
    box = ui.page.locator(".st-key-profile-country input")
    box.click()
    ui.page.keyboard.type(name)
    box.press("Enter")
    ui.page.wait_for_function(
        "(n) => (document.querySelector('.st-key-profile-summary') || {}).innerText?.startsWith(n)", arg=name,
        timeout=TIMEOUT_MS)
    ui.wait_ready("country")
    models = _sql(settings, "select in_region_model_count from mart_country_profile where country_iso2 = ?",
                  [iso2])[0][0]
    assert ui.metric("profile-models") == f"{models:,}"
    assert ui.page.locator(".st-key-profile-models [data-testid='stDataFrame']").count() == 1
    assert in_region > 0
    assert ui.page.locator(".st-key-download-profile-models button").count() == 1
    ui.assert_clean()
