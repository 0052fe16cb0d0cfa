"""Every dashboard page with nothing readable to show: a corrupt published file, a first publication being
written, no publication at all. Each page shows one sentence saying what to do (``.st-key-publication-error``),
no exception element, no console error; a screenshot of each is saved."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from ingestors.core.config import Settings
from tests.dashboard.test_dashboard_e2e import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PAGES,
    Browser,
    _require_browser,
    _serve,
)


@pytest.fixture(scope="module")
def broken(request, tmp_path_factory):
    """A copy of the offline warehouse whose published file is bytes no DuckDB can open."""
    _require_browser()
    given = os.environ.get("CADENA_DASHBOARD_TEST_WAREHOUSE")
    source = Path(given) if given else request.getfixturevalue("offline_warehouse")[0].warehouse_dir
    root = tmp_path_factory.mktemp("broken") / "warehouse"
    subprocess.run(["cp", "-a", str(source), str(root)], check=True)
    settings = Settings(warehouse_dir=root, contact="tests@example.org")
    settings.published_db.unlink()  # a hard link into its publication folder: replace, never overwrite
    settings.published_db.write_bytes(b"not a database: a disk filled up half-way through a copy\n" * 512)
    return settings


@pytest.fixture(scope="module")
def ui(broken, tmp_path_factory):
    from playwright.sync_api import sync_playwright

    server = _serve(broken, tmp_path_factory)
    base = next(server)
    profile = tmp_path_factory.mktemp("chromium-broken")
    try:
        with sync_playwright() as p:
            context = p.chromium.launch_persistent_context(
                str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
                viewport={"width": 1400, "height": 900}, service_workers="block")
            try:
                yield Browser(context, base)
            finally:
                context.close()
    finally:
        server.close()


def _every_page(ui, case: str, expected: str) -> None:
    for slug in PAGES:
        ui.goto(slug, reload=True, marker="publication-error") if slug == "overview" else \
            ui.goto(slug, marker="publication-error")
        message = ui.text("publication-error")
        assert expected in message, (slug, message)
        assert "Traceback" not in message
        ui.assert_clean()
        ui.screenshot(f"broken-{case}-{slug}")


def test_a_corrupt_publication_is_one_sentence_on_every_page(ui, broken):
    _every_page(ui, "corrupt", "cannot be shown: it is not a readable DuckDB database")
    assert "publish --rollback" in ui.text("publication-error")


def test_a_publication_being_written_says_to_wait(ui, broken):
    broken.published_db.unlink()
    tmp = broken.published_db.parent / "publications" / ".20990101T000000000000Z.0123abcd.tmp"
    tmp.mkdir(parents=True)
    try:
        _every_page(ui, "in-progress", "is being written")
    finally:
        shutil.rmtree(tmp)


def test_no_publication_says_how_to_build_one(ui, broken):
    if broken.published_db.exists():
        broken.published_db.unlink()
    _every_page(ui, "missing", "No published warehouse")
    assert "make run" in ui.text("publication-error")
