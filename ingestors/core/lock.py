"""One writer at a time: the lock every writer of the warehouse takes.

DuckDB allows a single read-write process per file, and a publication swaps
files other writers would be reading. So the CLI refresh, each Dagster step
that writes (ingest, dbt build, publish) and `cadena publish` all take
:func:`writer_lock` first. A second writer waits up to a bound
(``CADENA_LOCK_WAIT_S``, default 30 s) and then stops with one line naming
the holder::

    warehouse is busy: pid 4121 on host build-1 (cadena refresh --offline) has written it since
    2026-12-07T19:40:02+00:00; waited 30 s

The lock is an ``flock`` on ``work/writer.lock``: the kernel releases it when
its process dies, however it dies (``kill -9`` included), so a lock left by a
killed process is simply free again. The holder's pid, host, command and start
time are written into the file for that message; a file naming a pid that no
longer exists is reported as taken over.

The lock is re-entrant within one process: a CLI refresh that holds it runs
its Dagster steps in-process, and they take it again without waiting.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from ingestors.core.errors import CadenaError

LOCK_NAME = "writer.lock"
DEFAULT_WAIT_S = 30.0
_held: dict[str, tuple[int, int]] = {}  # path -> (fd, depth) held by this process
_guard = threading.RLock()


class WarehouseBusy(CadenaError):
    """Another process holds the writer lock."""


def lock_path(warehouse_dir: Path) -> Path:
    return warehouse_dir / "work" / LOCK_NAME


def default_wait() -> float:
    try:
        return float(os.environ.get("CADENA_LOCK_WAIT_S", DEFAULT_WAIT_S))
    except ValueError:
        return DEFAULT_WAIT_S


def holder(path: Path) -> dict:
    """What the lock file says about its last holder ({} when nothing readable)."""
    try:
        data = json.loads(path.read_text() or "{}")
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def describe(info: dict) -> str:
    if not info:
        return "another process (it wrote no details)"
    return (f"pid {info.get('pid')} on host {info.get('host')} ({info.get('command')}) has written it "
            f"since {info.get('since')}")


@contextlib.contextmanager
def writer_lock(warehouse_dir: Path, *, wait_s: float | None = None, purpose: str | None = None,
                poll_s: float = 0.1) -> Iterator[Path]:
    """Hold the warehouse's writer lock for the block; raise :class:`WarehouseBusy` after ``wait_s``."""
    path = lock_path(warehouse_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    key = str(path.resolve())
    with _guard:
        if key in _held:
            fd, depth = _held[key]
            _held[key] = (fd, depth + 1)
            reentered = True
        else:
            reentered = False
    if reentered:
        try:
            yield path
        finally:
            with _guard:
                fd, depth = _held[key]
                _held[key] = (fd, depth - 1)
        return
    wait_s = default_wait() if wait_s is None else wait_s
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait_s
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise WarehouseBusy(f"warehouse is busy: {describe(holder(path))}; waited {wait_s:.0f} s "
                                    "(set CADENA_LOCK_WAIT_S to wait longer)") from None
            time.sleep(poll_s)
    previous = holder(path)
    if previous.get("pid") and previous.get("host") == socket.gethostname() and not _pid_alive(previous["pid"]):
        print(f"taking over the writer lock left by pid {previous['pid']} ({previous.get('command')}), "
              "which is gone", file=sys.stderr)
    info = {"pid": os.getpid(), "host": socket.gethostname(),
            "command": purpose or " ".join([os.path.basename(sys.argv[0]), *sys.argv[1:]])[:200],
            "since": datetime.now(UTC).isoformat(timespec="seconds")}
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps(info).encode(), 0)
    with _guard:
        _held[key] = (fd, 1)
    try:
        yield path
    finally:
        with _guard:
            _held.pop(key, None)
        try:
            os.ftruncate(fd, 0)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
