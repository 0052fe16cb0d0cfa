"""Housekeeping, replay from raw, bundles, kills during a load, exceptions that are not ours (issue 11)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tarfile
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import httpx
import pytest

from ingestors.core import housekeeping, recovery, state
from ingestors.core.config import REPO_ROOT, Settings
from ingestors.core.errors import InternalError
from ingestors.core.pipeline import run_source
from ingestors.core.snapshots import SnapshotStore
from tests.ingestors.test_shrink import SOURCE, _rows, _run, items


def test_sweep_removes_what_interrupted_writers_left(settings):
    _run(settings, items(4))
    leftovers = [
        settings.raw_dir / "demo" / ".tmp-0123abcd",
        settings.working_db.parent / "tmpq1w2e3.ndjson",
        settings.warehouse_dir / "publications" / ".tmp-20261207T000000Z-abc",
        settings.state_dir / "tmp8x7y.json",
    ]
    for path in leftovers:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix:
            path.write_text("x" * 100)
        else:
            path.mkdir()
            (path / "big").write_bytes(b"x" * 1000)
    assert housekeeping.sweep(settings).paths == []  # fresh: a fetch may be writing them now
    for path in leftovers:
        os.utime(path, (1, 1), follow_symlinks=False)
    swept = housekeeping.sweep(settings)
    assert sorted(swept.paths) == sorted(leftovers) and swept.bytes == 2200
    assert not any(p.exists() for p in leftovers)
    assert settings.working_db.exists() and (settings.state_dir / "demo.json").exists()
    assert SnapshotStore(settings.raw_dir).latest("demo") is not None


def test_dbt_run_folders_are_pruned_to_the_newest(tmp_path):
    for i in range(6):
        folder = tmp_path / f"cadena_dbt-{i}"
        folder.mkdir()
        os.utime(folder, (1000 + i, 1000 + i))
    (tmp_path / "manifest.json").write_text("{}")
    housekeeping.prune_run_folders(tmp_path, keep=3)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cadena_dbt-3", "cadena_dbt-4", "cadena_dbt-5",
                                                          "manifest.json"]


def _fake_snapshot(settings: Settings, when: datetime, n: int) -> str:
    snapshot_id = f"{when:%Y%m%dT%H%M%S%fZ}-{n:010x}"
    folder = settings.raw_dir / "demo" / snapshot_id
    folder.mkdir(parents=True)
    (folder / "_snapshot.json").write_text(json.dumps({"snapshot_id": snapshot_id}))
    return snapshot_id


def test_retention_keeps_recent_monthly_published_and_last_good_snapshots(settings):
    now = datetime(2026, 12, 7, tzinfo=UTC)
    old = [_fake_snapshot(settings, datetime(2026, 3, d, tzinfo=UTC), d) for d in (1, 10, 20)]
    april = [_fake_snapshot(settings, datetime(2026, 4, d, tzinfo=UTC), 100 + d) for d in (1, 2)]
    recent = _fake_snapshot(settings, now - timedelta(days=3), 999)
    latest = _fake_snapshot(settings, now - timedelta(days=1), 1000)
    state.record(settings, "demo", now, state.RunResult("demo", "loaded", snapshot_id=old[0]))  # the last good load
    pub = settings.warehouse_dir / "publications" / "20260402T000000000000Z"
    pub.mkdir(parents=True)
    (pub / "manifest.json").write_text(json.dumps({"source_snapshots": [{"source": "demo",
                                                                          "snapshot_id": april[0]}]}))
    (pub / "cadena.duckdb").write_bytes(b"")
    dry = housekeeping.prune_snapshots(settings, keep_days=90, dry_run=True, now=now)
    assert sorted(p.name for p in dry.paths) == [old[1]]
    assert (settings.raw_dir / "demo" / old[1]).exists()
    housekeeping.prune_snapshots(settings, keep_days=90, now=now)
    kept = SnapshotStore(settings.raw_dir).list("demo")
    # old[0]: the last good load; old[2]: March's checkpoint; april[0]: published; april[1]: April's checkpoint
    assert kept == [old[0], old[2], april[0], april[1], recent, latest]


def test_rebuild_from_raw_needs_no_network_and_keeps_what_was_loaded(settings):
    _run(settings, items(6))
    settings.working_db.unlink()  # the working database is lost
    done = recovery.rebuild_from_raw(settings, [SOURCE])
    assert list(done.loaded) == ["demo"] and not done.failed
    assert _rows(settings) == 6


def test_a_bundle_moves_snapshots_and_import_checks_every_checksum(settings, tmp_path):
    _run(settings, items(6))
    bundle = tmp_path / "snapshots.tar.gz"
    assert recovery.export_bundle(settings, bundle) == 1
    other = Settings(warehouse_dir=tmp_path / "other", contact="t@example.org")
    assert recovery.import_bundle(other, bundle) == (1, 0)
    assert recovery.import_bundle(other, bundle) == (0, 1)
    assert recovery.rebuild_from_raw(other, [SOURCE]).loaded
    assert _rows(other) == 6
    # a bundle whose payload was changed on the way is refused, naming the snapshot and file
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(bundle) as src, tarfile.open(tampered, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read() if member.isfile() else None
            if member.name.endswith("things.json"):
                data = data.replace(b'"id": 0', b'"id": 9')
                member.size = len(data)
            dst.addfile(member, __import__("io").BytesIO(data) if data is not None else None)
    third = Settings(warehouse_dir=tmp_path / "third", contact="t@example.org")
    with pytest.raises(recovery.BundleError, match="things.json: size or sha256 differs from the sidecar"):
        recovery.import_bundle(third, tampered)
    assert not (third.raw_dir / "demo").exists() or not SnapshotStore(third.raw_dir).list("demo")


def test_a_kill_during_a_load_loses_nothing_and_the_next_run_loads_it(settings):
    _run(settings, items(6))
    code = textwrap.dedent(f"""
        import json, os, signal, httpx
        from pathlib import Path
        import ingestors.core.load as load
        from ingestors.core.config import Settings
        from ingestors.core.pipeline import run_source
        from tests.ingestors.test_shrink import SOURCE
        real = load._write_ndjson
        def dying(rows, folder):
            path = real(rows, folder)
            os.kill(os.getpid(), signal.SIGKILL)  # inside the load transaction
        load._write_ndjson = dying
        settings = Settings(warehouse_dir=Path({str(settings.warehouse_dir)!r}), contact="t@example.org")
        items = [{{"id": i, "feed": "ab"[i % 2]}} for i in range(8)]
        run_source(SOURCE, settings, transport=httpx.MockTransport(
            lambda r: httpx.Response(200, content=json.dumps(items).encode())))
    """)
    proc = subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert _rows(settings) == 6  # the transaction never committed
    assert state.read(settings, "demo")["last_success"]["rows"] == {"things": 6}
    swept = housekeeping.sweep(settings, min_age_s=0)
    assert any(p.suffix == ".ndjson" for p in swept.paths)
    # the snapshot was committed before the kill: the next run sees it unchanged yet loads it
    result = _run(settings, items(8))
    assert result.status == "loaded" and _rows(settings) == 8


def test_an_exception_that_is_not_ours_is_one_line_with_a_logged_traceback(settings):
    def parse(snapshot):
        raise ZeroDivisionError("division by zero in a parser")

    import dataclasses

    broken = dataclasses.replace(SOURCE, parse=parse)
    transport = httpx.MockTransport(lambda r: httpx.Response(200, content=b"[]"))
    with pytest.raises(InternalError) as err:
        run_source(broken, settings, transport=transport)
    line = str(err.value)
    assert line.startswith("demo: internal error: ZeroDivisionError: division by zero in a parser (traceback in ")
    assert "\n" not in line
    log = err.value.log_file
    text = Path(log).read_text()
    assert "Traceback" in text and "ZeroDivisionError" in text
    attempt = state.read(settings, "demo")["last_attempt"]
    assert attempt["status"] == "failed" and attempt["message"] == line


def test_a_disk_error_during_the_load_is_recorded_as_a_failure(settings, monkeypatch):
    import ingestors.core.pipeline as pipeline

    _run(settings, items(4))

    def full_disk(*args, **kwargs):
        raise duckdb.IOException("IO Error: No space left on device")

    monkeypatch.setattr(pipeline, "load_snapshot", full_disk)
    with pytest.raises(InternalError, match="IOException: IO Error: No space left on device"):
        _run(settings, items(5))
    assert _rows(settings) == 4
    assert state.read(settings, "demo")["last_attempt"]["status"] == "failed"
