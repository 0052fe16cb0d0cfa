"""The dashboard's data layer on a tiny warehouse published with the real ``publish``: no browser, no dbt."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import duckdb
import pytest
from cadena_dashboard import data, ui  # on sys.path through tests/dashboard/conftest.py

from ingestors.core.config import REPO_ROOT
from ingestors.core.publish import current_publication, publish, rollback

DASHBOARD = REPO_ROOT / "warehouse" / "dashboard"


def _working_db(path: Path, *, facilities: int, sample: bool = True) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    with duckdb.connect(str(path)) as con:
        con.execute("create table mart_infrastructure__country (country_iso2 varchar, facility_count bigint)")
        con.execute("insert into mart_infrastructure__country values ('BR', ?)", [facilities])
        con.execute("create table mart_source_loads (source_name varchar, is_sample boolean)")
        con.execute("insert into mart_source_loads values ('peeringdb', ?)", [sample])
    return path


@pytest.fixture
def warehouse(tmp_path: Path) -> tuple[Path, Path]:
    """(working file, published file) with one publication of facility_count = 1."""
    working = _working_db(tmp_path / "wh" / "work" / "cadena_work.duckdb", facilities=1)
    published = tmp_path / "wh" / "cadena.duckdb"
    publish(working, published)
    return working, published


def _facilities(pub) -> int:
    return int(data.scalar(pub, "select facility_count from mart_infrastructure__country"))


def test_no_published_file_means_no_publication(tmp_path):
    assert data.current_publication(tmp_path / "nowhere" / "cadena.duckdb") is None


def test_publication_names_the_folder_its_file_is_linked_from(warehouse):
    _, published = warehouse
    pub = data.current_publication(published)
    current = current_publication(published)
    assert pub.publication_id == current
    manifest = json.loads((published.parent / "publications" / current / "manifest.json").read_text())
    assert pub.published_at.isoformat() == manifest["published_at"]
    assert _facilities(pub) == 1
    assert data.is_sample(pub) is True
    assert data.has_table(pub, "mart_infrastructure__country", "facility_count")
    assert not data.has_table(pub, "fct_funding_rounds")


def test_a_new_publication_is_read_even_while_an_old_connection_holds_the_old_file(warehouse):
    working, published = warehouse
    first = data.current_publication(published)
    assert _facilities(first) == 1
    # Someone in this process keeps the file open the ordinary way: DuckDB caches that instance per path.
    stale = duckdb.connect(str(published), read_only=True)
    try:
        _working_db(working, facilities=2)
        publish(working, published)
        second = data.current_publication(published)
        assert second.publication_id != first.publication_id and second.key != first.key
        assert _facilities(second) == 2
        assert stale.execute("select facility_count from mart_infrastructure__country").fetchone()[0] == 1
        # cached results of the first publication stay what they were
        assert _facilities(first) == 1
        assert rollback(published) == first.publication_id
        assert data.current_publication(published).publication_id == first.publication_id
        assert _facilities(data.current_publication(published)) == 1
    finally:
        stale.close()


def test_a_swap_under_an_uncached_query_raises_publication_changed(warehouse):
    working, published = warehouse
    old = data.current_publication(published)
    _working_db(working, facilities=3)
    publish(working, published)
    with pytest.raises(data.PublicationChanged):
        data.query(old, "select 42 as never_cached_before")


def test_concurrent_publishes_never_give_a_wrong_or_broken_read(warehouse):
    """Readers racing a writer that swaps the file: each read is the publication it was keyed on, or a
    PublicationChanged (the app then reruns the page); never an error, never the other file's rows."""
    working, published = warehouse
    values = {}
    stop = threading.Event()

    def writer():
        for n in range(2, 6):
            _working_db(working, facilities=n)
            values[publish(working, published).publication_id] = n
        stop.set()

    values[data.current_publication(published).publication_id] = 1
    thread = threading.Thread(target=writer)
    thread.start()
    reads = changed = 0
    try:
        while not stop.is_set() or reads == 0:
            pub = data.current_publication(published)
            try:
                got = int(data.scalar(pub, "select facility_count from mart_infrastructure__country "
                                           "where ? is not null", (reads,)))
            except data.PublicationChanged:
                changed += 1
                continue
            reads += 1
            if pub.publication_id in values:
                assert got == values[pub.publication_id]
    finally:
        thread.join()
    assert reads > 0
    assert _facilities(data.current_publication(published)) == 5


def test_the_working_file_is_never_opened(warehouse):
    working, published = warehouse
    working.write_bytes(b"not a database: the dashboard must never open this file")
    pub = data.current_publication(published)
    assert _facilities(pub) == 1 and data.is_sample(pub)
    sources = "\n".join(p.read_text() for p in DASHBOARD.rglob("*.py"))
    assert "working_db" not in sources and "cadena_work" not in sources


def test_the_config_keeps_streamlit_offline_and_silent():
    import tomllib

    config = tomllib.loads((DASHBOARD / ".streamlit" / "config.toml").read_text())
    assert config["browser"]["gatherUsageStats"] is False
    assert config["server"]["headless"] is True
    # set by hand, so Streamlit does not ask the internet for the machine's external IP
    assert config["server"]["address"] in {"127.0.0.1", "localhost"}


def test_map_outlines_are_small_public_domain_and_cover_latin_america():
    path = DASHBOARD / "assets" / "americas-110m.geojson"
    assert path.stat().st_size < 100_000
    collection = json.loads(path.read_text())
    assert "Natural Earth" in collection["source"]
    iso2 = {f["properties"]["iso2"] for f in collection["features"]}
    assert {"BR", "MX", "AR", "CL", "CO", "PE", "CU", "PR", "US"} <= iso2
    for feature in collection["features"]:
        for polygon in feature["geometry"]["coordinates"]:
            for lon, lat in polygon[0]:
                assert -130 <= lon <= -30 and -60 <= lat <= 50


@pytest.mark.parametrize(("value", "text"), [
    (None, "—"), (float("nan"), "—"), (8.8, "$8.80"), (12_345, "$12.3k"), (125_100_000, "$125.1M"),
    (2.5e9, "$2.5B"),
])
def test_usd_format(value, text):
    assert ui.usd(value) == text
