"""What `cadena refresh` prints: one live line per source, a closing table, what to do next.

Dagster's and dbt's own log (some two thousand lines for a full refresh) goes to a file,
``<warehouse>/logs/refresh-<time>.log``, and to the terminal only with ``-v``. A failure is one
line naming the source and the reason, then the path of that file.

The live lines come from a thread that reads each source's state file
(``ingestors.core.state``) while the engine runs: the engine knows nothing of the terminal.
"""

from __future__ import annotations

import contextlib
import re
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.live import Live
from rich.table import Table
from rich.text import Text

from ingestors.core import state
from ingestors.core.config import Settings
from ingestors.sources import BY_NAME
from orchestration.refresh import RefreshReport

ANSI = re.compile(r"\x1b\[[0-9;]*m")  # dbt colours its error lines
STYLE = {"loaded": "green", "unchanged": "cyan", "skipped": "yellow", "failed": "bold red"}


def log_path(settings: Settings) -> Path:
    folder = settings.warehouse_dir / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"refresh-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.log"


def _attempt(settings: Settings, name: str, since: str) -> dict | None:
    attempt = state.read(settings, name).get("last_attempt") or {}
    return attempt if attempt.get("started_at", "") >= since else None


def _duration(attempt: dict) -> str:
    try:
        seconds = (datetime.fromisoformat(attempt["finished_at"])
                   - datetime.fromisoformat(attempt["started_at"])).total_seconds()
    except (KeyError, TypeError, ValueError):
        return ""
    return f"{seconds:.1f}s"


def _progress(settings: Settings, names: list[str], since: str) -> Table:
    table = Table.grid(padding=(0, 2))
    for name in names:
        attempt = _attempt(settings, name, since)
        if attempt is None:
            table.add_row(f"[dim]{name}[/]", "[dim]waiting[/]", "")
            continue
        status = attempt.get("status") or "running"
        rows = sum((attempt.get("rows") or {}).values())
        detail = f"{rows:,} rows" if status in ("loaded", "unchanged") else (attempt.get("message") or "")[:80]
        table.add_row(name, f"[{STYLE.get(status, 'white')}]{status}[/]", detail)
    return table


@contextlib.contextmanager
def live_sources(console: Console, settings: Settings, names: list[str], *, enabled: bool) -> Iterator[None]:
    """A live line per source while the block runs (nothing when ``enabled`` is false or not a terminal)."""
    since = datetime.now(UTC).isoformat()
    if not enabled or not console.is_terminal:
        yield
        return
    stop = threading.Event()
    with Live(_progress(settings, names, since), console=console, refresh_per_second=4, transient=True) as live:
        def poll() -> None:
            while not stop.wait(0.5):
                live.update(_progress(settings, names, since))

        thread = threading.Thread(target=poll, daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()


@contextlib.contextmanager
def quiet(path: Path, *, verbose: bool) -> Iterator[None]:
    """Send everything Dagster and dbt print to ``path`` (and leave it on the terminal with ``verbose``)."""
    if verbose:
        yield
        return
    with path.open("w", encoding="utf-8") as log, contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
        yield


def summary(console: Console, settings: Settings, report: RefreshReport, names: list[str], *, offline: bool,
            log: Path | None) -> None:
    """The closing table (source, status, rows, quarantined, duration), then the verdict and next step."""
    table = Table(show_edge=False, pad_edge=False, box=None, header_style="bold")
    for column, justify in (("source", "left"), ("status", "left"), ("rows", "right"), ("quarantined", "right"),
                            ("duration", "right")):
        table.add_column(column, justify=justify)
    for name in names:
        status = next((s for s in ("loaded", "unchanged", "skipped") if name in getattr(report, s)), "failed")
        attempt = state.read(settings, name).get("last_attempt") or {}
        rows = report.rows.get(name)
        quarantined = report.quarantined.get(name)
        table.add_row(name, f"[{STYLE[status]}]{status}[/]", f"{rows:,}" if rows is not None else "",
                      f"{quarantined:,}" if quarantined else "", _duration(attempt))
    console.print(table)
    for name, why in report.failed.items():
        what = BY_NAME[name].title if name in BY_NAME else "dbt build and publication"
        text = ANSI.sub("", why or "").strip()
        first = text.splitlines()[0] if text else "failed"
        console.print(Text.assemble(("FAILED", "bold red"), f" {name} ({what}): {first}"), soft_wrap=True)
    total = report.timings.get("total_s", 0.0)
    if report.published:
        console.print(f"Published [bold]{settings.published_db}[/] in {total:.0f}s.", highlight=False)
    elif not report.failed:
        console.print(f"Nothing changed: {settings.published_db} is current ({total:.0f}s).", highlight=False)
    if offline:
        console.print("[yellow]Sample data[/]: built from the hand-written snapshots in ingestors/samples/, not the "
                      "live sources. Don't quote its figures.", highlight=False)
    if report.failed and log is not None:
        console.print(f"Full log: {log}", highlight=False, soft_wrap=True)
    if settings.published_db.exists():
        console.print("Next: [bold]make dashboard[/] (http://localhost:8501), or "
                      f"[bold].venv/bin/duckdb -readonly {settings.published_db}[/]; "
                      "[bold]cadena status[/] shows each source's freshness.", highlight=False)


def stdout_console() -> Console:
    """Standard output as it is now, before Dagster's log is redirected (the lines must not go to the log)."""
    return Console(file=sys.stdout, highlight=False)
