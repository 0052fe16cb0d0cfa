"""dbt dies with the refresh that started it (issue 11, defect 1: no orphan after a kill)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from ingestors.core.config import REPO_ROOT

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux only")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is dead for our purposes
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split()[2] != "Z"
    except OSError:
        return False


def test_a_child_started_through_the_reaper_dies_when_the_refresh_is_killed():
    parent = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent("""
            import time
            from orchestration.child_processes import _DyingChildSubprocess
            child = _DyingChildSubprocess().Popen(["sleep", "60"])
            print(child.pid, flush=True)
            time.sleep(60)
        """)],
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)}, stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    assert _alive(child)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 5
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child)


def test_dagster_dbt_starts_dbt_through_the_reaper():
    import dagster_dbt.core.dbt_cli_invocation as invocation

    import orchestration.dbt_resource  # noqa: F401 - installs the reaper
    from orchestration.child_processes import _DyingChildSubprocess

    assert isinstance(invocation.subprocess, _DyingChildSubprocess)
    assert invocation.subprocess.PIPE == subprocess.PIPE
