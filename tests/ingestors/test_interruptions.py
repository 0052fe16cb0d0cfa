"""Kills, races and read-only publications (issue 11, defects 8, 9 and 11)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import duckdb
import pytest

from ingestors.core import publish as pub
from ingestors.core.config import REPO_ROOT
from ingestors.core.lock import WarehouseBusy, lock_path, writer_lock
from tests.ingestors.test_publish import published_value, working_db


def _python(code: str, **kw) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], env=env, cwd=REPO_ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


# --- one writer at a time ----------------------------------------------------------------------


def test_a_second_writer_waits_then_names_the_holder(tmp_path):
    holder = _python(f"""
        import sys, time
        from pathlib import Path
        from ingestors.core.lock import writer_lock
        with writer_lock(Path({str(tmp_path)!r}), purpose="cadena refresh --offline"):
            print("held", flush=True)
            time.sleep(30)
    """)
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        with pytest.raises(WarehouseBusy) as err, writer_lock(tmp_path, wait_s=0.3):
            pass
        assert 0.3 <= time.monotonic() - started < 3
        line = str(err.value)
        assert "\n" not in line
        assert f"pid {holder.pid} on host" in line and "(cadena refresh --offline)" in line and "since 20" in line
        # the holder is killed: its lock goes with it, and the next writer takes over at once
        holder.send_signal(signal.SIGKILL)
        holder.wait()
        with writer_lock(tmp_path, wait_s=2):
            info = json.loads(lock_path(tmp_path).read_text())
            assert info["pid"] == os.getpid()
    finally:
        holder.kill()
        holder.wait()


def test_the_lock_is_re_entrant_within_one_process(tmp_path):
    with writer_lock(tmp_path, wait_s=0), writer_lock(tmp_path, wait_s=0):
        pass
    with writer_lock(tmp_path, wait_s=0):  # released
        pass


def test_two_publishers_at_once_never_trace(tmp_path):
    work = working_db(tmp_path / "work.duckdb", 1)
    published = tmp_path / "wh" / "cadena.duckdb"
    code = f"""
        from pathlib import Path
        from ingestors.core import publish as pub
        from ingestors.core.lock import WarehouseBusy
        try:
            pub.publish(Path({str(work)!r}), Path({str(published)!r}))
            print("published")
        except WarehouseBusy as exc:
            print("busy", exc)
    """
    procs = [_python(code) for _ in range(2)]
    outs = [p.communicate(timeout=60) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    assert all(err == "" or "Traceback" not in err for _, err in outs)
    assert published_value(published) == 1


# --- publication: read-only, one unit, any interruption ---------------------------------------


def test_published_files_are_read_only_and_not_hard_linked(tmp_path):
    work = working_db(tmp_path / "work.duckdb", 1)
    published = tmp_path / "wh" / "cadena.duckdb"
    pub.publish(work, published)
    working_db(work, 2)
    pub.publish(work, published)
    real = published.resolve()
    assert real.stat().st_mode & 0o777 == 0o444 and real.stat().st_nlink == 1
    assert all(p.stat().st_mode & 0o222 == 0 for p in (published.parent / "exports").iterdir())
    if os.geteuid() != 0:  # root writes through any mode
        with pytest.raises(duckdb.Error):
            duckdb.connect(str(published)).execute("create table oops as select 1")
    pub.rollback(published)
    assert published_value(published) == 1
    manifest = json.loads((published.parent / "manifest.json").read_text())
    assert manifest["publication_id"] == pub.current_publication(published)


KILL_AT = """
    import os, signal, sys
    from pathlib import Path
    import ingestors.core.publish as pub
    n = int(sys.argv[1]); calls = [0]
    real = {name}
    def wrapped(*a, **kw):
        calls[0] += 1
        if calls[0] == n:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*a, **kw)
    {patch} = wrapped
    pub.publish(Path(sys.argv[2]), Path(sys.argv[3]))
    print("finished")
"""


@pytest.mark.parametrize(("name", "patch", "n"), [
    ("pub._build_folder", "pub._build_folder", 1),  # while building the folder
    ("pub._seal", "pub._seal", 1),  # after the manifest, before sealing
    ("pub.os.replace", "pub.os.replace", 1),  # renaming the folder into place
    ("pub.os.replace", "pub.os.replace", 2),  # switching CURRENT
])
def test_a_kill_at_any_point_of_publishing_leaves_one_whole_publication(tmp_path, name, patch, n):
    work = working_db(tmp_path / "work.duckdb", 1)
    published = tmp_path / "wh" / "cadena.duckdb"
    pub.publish(work, published)
    working_db(work, 2)
    code = KILL_AT.format(name=name, patch=patch)
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code), str(n), str(work), str(published)],
                          env={**os.environ, "PYTHONPATH": str(REPO_ROOT)}, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    value = published_value(published)
    assert value in (1, 2)
    manifest = json.loads((published.parent / "manifest.json").read_text())
    db_folder = published.resolve().parent.name
    assert manifest["publication_id"] == db_folder == pub.current_publication(published)
    assert pub.check_published(published) is None
    # the next publication and a rollback both work
    pub.publish(work, published)
    assert published_value(published) == 2
    pub.rollback(published)
    assert published_value(published) in (1, 2)


def test_check_published_names_missing_and_corrupt_files(tmp_path):
    published = tmp_path / "wh" / "cadena.duckdb"
    assert "no published warehouse" in pub.check_published(published)
    published.parent.mkdir(parents=True)
    published.write_bytes(b"not a database at all" * 100)
    line = pub.check_published(published)
    assert "is corrupt" in line and "\n" not in line
