"""fetch -> snapshot -> parse -> load: idempotence, quarantine, and bad payloads."""

from __future__ import annotations

import json

import duckdb
import httpx
import pytest

from ingestors.core.errors import PayloadError, SourceSkipped
from ingestors.core.pipeline import run_source
from ingestors.core.registry import FetchPlan, Record, Reject, Row, Source, Table
from ingestors.core.snapshots import SnapshotStore


class Site(Row):
    id: int
    name: str
    mw: float | None


def parse(snapshot):
    body = snapshot.read_json("sites.json")
    if "sites" not in body:
        raise snapshot.error("no 'sites' key", file="sites.json")
    for i, item in enumerate(body["sites"]):
        if item.get("name") == "":
            yield Reject("sites", f"sites[{i}]", "empty name", item)
            continue
        yield Record("sites", item, record_id=f"sites[{i}]", record_url=f"https://a.example/site/{item.get('id')}")


def make_source(payloads: list[bytes], requires_env=()) -> tuple[Source, list]:
    served = []

    def fetch(ctx):
        ctx.get("sites.json", "https://a.example/sites.json")

    def handler(request):
        body = payloads[min(len(served), len(payloads) - 1)]
        served.append(body)
        return httpx.Response(200, content=body)

    source = Source(
        name="demo", family="capacity", title="Demo", endpoint="`a.example`", description="d", homepage="https://a.example",
        licence="test", cadence="daily", tables=(Table("sites", Site, ("id",), "d"),),
        fetch=fetch, parse=parse, plan=FetchPlan(), requires_env=requires_env,
    )
    return source, [httpx.MockTransport(handler)]


GOOD = json.dumps({"sites": [{"id": 1, "name": "Alpha", "mw": 12.5}, {"id": 2, "name": "Beta", "mw": None},
                             {"id": 2, "name": "Beta again", "mw": 1}, {"id": 3, "name": ""},
                             {"id": "x", "name": "Bad id", "mw": 1}]}).encode()


def table(settings, sql):
    with duckdb.connect(str(settings.working_db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_load_keeps_valid_rows_and_quarantines_the_rest(settings):
    source, (transport,) = make_source([GOOD])
    result = run_source(source, settings, transport=transport)
    assert result.status == "loaded" and result.rows == {"sites": 2} and result.quarantined == 3
    assert table(settings, "select id, name, mw, _source, _record_url from raw_demo.sites order by id") == [
        (1, "Alpha", 12.5, "demo", "https://a.example/site/1"),
        (2, "Beta", None, "demo", "https://a.example/site/2"),
    ]
    reasons = [r[0] for r in table(settings, "select reason from meta.quarantine order by record_id")]
    assert reasons[0] == "duplicate key {'id': 2}"
    assert reasons[1] == "empty name"
    assert reasons[2].startswith("id: Input should be a valid integer")


def test_loading_the_same_payload_twice_changes_nothing(settings):
    source, (transport,) = make_source([GOOD])
    first = run_source(source, settings, transport=transport)
    before = table(settings, "select * from raw_demo.sites order by id")
    second = run_source(source, settings, transport=transport)
    assert second.status == "unchanged" and second.snapshot_id == first.snapshot_id
    assert table(settings, "select * from raw_demo.sites order by id") == before
    assert table(settings, "select count(*) from meta.load_log") == [(1,)]
    assert len(SnapshotStore(settings.raw_dir).list("demo")) == 1


@pytest.mark.parametrize("bad, reason", [
    (b"<html><body>Service unavailable</body></html>", "not JSON"),
    (b'{"sites": [{"id": 1, "na', "not JSON"),
    (b'{"data": []}', "no 'sites' key"),
    (b'{"sites": []}', "table sites got 0 rows, expected at least 1"),
])
def test_a_wholly_bad_payload_fails_the_source_and_keeps_the_last_good_data(settings, bad, reason):
    source, (transport,) = make_source([GOOD, bad])
    run_source(source, settings, transport=transport)
    good_rows = table(settings, "select * from raw_demo.sites order by id")
    with pytest.raises(PayloadError) as err:
        run_source(source, settings, transport=transport)
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith("demo: bad payload in snapshot ") and reason in message
    assert table(settings, "select * from raw_demo.sites order by id") == good_rows
    from ingestors.core import state

    st = state.read(settings, "demo")
    assert st["last_attempt"]["status"] == "failed" and st["last_success"]["rows"] == {"sites": 2}


def test_a_source_needing_a_key_is_skipped_with_a_clear_message(settings, monkeypatch):
    monkeypatch.delenv("DEMO_API_KEY", raising=False)
    source, (transport,) = make_source([GOOD], requires_env=("DEMO_API_KEY",))
    with pytest.raises(SourceSkipped, match="demo: skipped: set DEMO_API_KEY to enable it"):
        run_source(source, settings, transport=transport)


def test_a_skipped_source_still_has_its_raw_tables_for_the_build(settings, monkeypatch):
    """A first live run without the key: the build reads the (empty) declared table, not a missing one."""
    from ingestors.core.load import ensure_tables

    monkeypatch.delenv("DEMO_API_KEY", raising=False)
    source, (transport,) = make_source([GOOD], requires_env=("DEMO_API_KEY",))
    with pytest.raises(SourceSkipped):
        run_source(source, settings, transport=transport)
    assert ensure_tables(settings.working_db, [source]) == ["raw_demo.sites"]
    assert table(settings, "select count(*) from raw_demo.sites") == [(0,)]
    columns = [r[0] for r in table(settings, "select column_name from duckdb_columns() where table_name = 'sites'")]
    assert columns[:3] == ["id", "name", "mw"] and "_snapshot_id" in columns
    # once loaded, the table is the load's and is never touched again
    monkeypatch.setenv("DEMO_API_KEY", "k")
    run_source(source, settings, transport=transport)
    assert ensure_tables(settings.working_db, [source]) == []
    assert table(settings, "select count(*) from raw_demo.sites") == [(2,)]


def test_snapshot_sidecar_records_provenance(settings):
    source, (transport,) = make_source([GOOD])
    result = run_source(source, settings, transport=transport)
    snap = SnapshotStore(settings.raw_dir).open("demo", result.snapshot_id)
    f = snap.file("sites.json")
    assert (f.url, f.status, f.size) == ("https://a.example/sites.json", 200, len(GOOD))
    assert snap.licence == "test" and snap.sample is False
    import hashlib

    assert f.sha256 == hashlib.sha256(GOOD).hexdigest()


def test_a_volatile_file_does_not_make_a_payload_new(settings):
    from ingestors.core.snapshots import SnapshotStore

    store = SnapshotStore(settings.raw_dir)
    ids = []
    for page in (b"<html>visit 1</html>", b"<html>visit 2</html>"):
        writer = store.writer("demo", licence="test", sample=False)
        writer.add("page.html", url="https://a.example/", query=None, status=200, headers={}, content=page,
                   volatile=True)
        writer.add("data.json", url="https://a.example/d.json", query=None, status=200, headers={}, content=b"[1]")
        ids.append(writer.commit())
    assert ids[1].unchanged and ids[1].snapshot_id == ids[0].snapshot_id


def test_a_payload_seen_before_is_stored_once(settings):
    """Two snapshots with one file in common share its bytes (a hard link), and readers see plain files."""
    from ingestors.core.snapshots import SnapshotStore

    store = SnapshotStore(settings.raw_dir)
    snaps = []
    for other in (b"first", b"second"):
        writer = store.writer("demo", licence="test", sample=True)
        writer.add("big.json", url="https://a.example/big", query=None, status=200, headers={}, content=b"x" * 1000)
        writer.add("small.json", url="https://a.example/small", query=None, status=200, headers={}, content=other)
        snaps.append(writer.commit())
    first, second = (s.path / "big.json" for s in snaps)
    assert first.stat().st_ino == second.stat().st_ino and first.stat().st_nlink == 3  # two snapshots + the store
    assert snaps[1].read_bytes("big.json") == b"x" * 1000
    assert (snaps[0].path / "small.json").stat().st_ino != (snaps[1].path / "small.json").stat().st_ino
    import shutil

    shutil.rmtree(snaps[0].path)
    assert store.sweep_blobs() == 1  # "first" is no longer held by any snapshot


def test_payloads_are_stored_compressed_and_read_back_as_sent(settings):
    """A compressible payload sits gzip-compressed on disk (sidecar ``stored``), an already-compressed or tiny
    one stays plain, and readers get the publisher's bytes; an unchanged payload is linked, not recompressed."""
    import gzip
    import io
    import zipfile

    from ingestors.core.snapshots import SnapshotStore

    store = SnapshotStore(settings.raw_dir)
    text = b"country,year,value\n" + b"".join(b"BR,%d,%d\n" % (y, y * 7) for y in range(1900, 2030)) * 20
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("data.csv", text)
    writer = store.writer("demo", licence="test", sample=True)
    writer.add("data.csv", url="https://a.example/d", query=None, status=200, headers={}, content=text)
    writer.add("data.zip", url="https://a.example/z", query=None, status=200, headers={}, content=archive.getvalue())
    writer.add("tiny.json", url="https://a.example/t", query=None, status=200, headers={}, content=b"{}")
    snap = writer.commit()
    assert snap.file("data.csv").stored == "gzip" and snap.file("data.csv").size == len(text)
    assert (snap.path / "data.csv").stat().st_size < len(text) / 5
    assert gzip.decompress((snap.path / "data.csv").read_bytes()) == text
    assert snap.file("data.zip").stored == "plain" and snap.file("tiny.json").stored == "plain"
    assert snap.read_csv("data.csv")[1] == ["BR", "1900", "13300"]
    assert snap.open_zip("data.zip").read("data.csv") == text
    assert snap.read_bytes("tiny.json") == b"{}"

    writer = store.writer("demo", licence="test", sample=True)
    writer.add("data.csv", url="https://a.example/d", query=None, status=200, headers={}, content=text)
    writer.add("tiny.json", url="https://a.example/t", query=None, status=200, headers={}, content=b"[]")
    later = writer.commit()
    assert (later.path / "data.csv").stat().st_ino == (snap.path / "data.csv").stat().st_ino
    assert sorted(p.name for p in later.path.iterdir()) == ["_snapshot.json", "data.csv", "tiny.json"]


def test_snapshots_written_before_compression_still_read(settings):
    """A sidecar without ``stored`` (every snapshot before compression) reads its files as plain bytes, and a
    new compressed copy of the same payload is never linked to the old plain blob."""
    import json

    from ingestors.core.snapshots import SIDECAR, SnapshotStore

    store = SnapshotStore(settings.raw_dir)
    body = b'{"rows": [' + b",".join(b'{"a": %d}' % i for i in range(500)) + b"]}"
    writer = store.writer("demo", licence="test", sample=True)
    writer.add("rows.json", url="https://a.example/r", query=None, status=200, headers={}, content=body)
    snap = writer.commit()
    # rewrite it as an old store had it: plain bytes, plain blob, no `stored` in the sidecar
    sha = snap.file("rows.json").sha256
    for path in (snap.path / "rows.json", store.blob(sha, "gzip")):
        path.unlink()
    (snap.path / "rows.json").write_bytes(body)
    store.share(snap.path / "rows.json", sha)
    meta = json.loads((snap.path / SIDECAR).read_text())
    for f in meta["files"]:
        f.pop("stored")
    (snap.path / SIDECAR).write_text(json.dumps(meta))
    old = store.open("demo", snap.snapshot_id)
    assert old.file("rows.json").stored == "plain" and old.read_json("rows.json")["rows"][-1] == {"a": 499}

    writer = store.writer("demo", licence="test", sample=True)
    writer.add("rows.json", url="https://a.example/r", query=None, status=200, headers={}, content=body)
    writer.add("more.json", url="https://a.example/m", query=None, status=200, headers={}, content=b"[1]")
    new = writer.commit()
    assert new.read_bytes("rows.json") == body  # linked to the plain blob, and marked plain
    assert new.file("rows.json").stored == "plain"
