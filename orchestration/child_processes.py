"""Child processes die with the refresh that started them.

dagster-dbt starts `dbt build` with a plain ``subprocess.Popen``. When the refresh is killed
(kill -9, the OOM killer, a closed terminal), that child would go on writing the working
database as an orphan, without the writer lock. On Linux the child asks the kernel for SIGKILL
when its parent dies (``PR_SET_PDEATHSIG``) before it execs dbt; elsewhere nothing changes.
:func:`install_child_reaper` gives dagster-dbt that ``Popen``.
"""

from __future__ import annotations

import ctypes
import signal
import subprocess
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """preexec_fn: have the kernel kill this child when the thread that started it dies (Linux only)."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
    except OSError:
        return
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


class _DyingChildSubprocess:
    """The ``subprocess`` module as dagster-dbt sees it, with ``Popen`` children that die with us."""

    def __getattr__(self, name: str):
        return getattr(subprocess, name)

    @staticmethod
    def Popen(*args, **kwargs):  # noqa: N802 - the name dagster-dbt calls
        if sys.platform.startswith("linux"):
            kwargs.setdefault("preexec_fn", die_with_parent)
        return subprocess.Popen(*args, **kwargs)


def install_child_reaper() -> None:
    """Make dagster-dbt start dbt through :class:`_DyingChildSubprocess` (idempotent)."""
    import dagster_dbt.core.dbt_cli_invocation as invocation

    invocation.subprocess = _DyingChildSubprocess()

