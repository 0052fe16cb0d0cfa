"""The shrink guard: a load that would lose much of a table fails, unless someone says it is real.

A fault upstream rarely looks like an error: a renamed field drops a whole
World Bank indicator, a news feed that answers with an error page drops that
feed's articles, a truncated file loses half a table. Each parses "fine" and
would replace good rows. So, against the last good load of the same kind
(sample with sample, real with real), a load fails its source with one line when

* a table would lose more than ``Table.max_shrink`` of its rows (default
  ``CADENA_MAX_SHRINK``, 0.5), or
* a partition (``Table.partition_by``: an indicator, a feed, a country) that
  had rows would have none.

If the publisher really dropped them, accept it for one run:
``cadena refresh --accept-shrink SOURCE`` (or ``CADENA_ACCEPT_SHRINK=SOURCE,...``,
``all`` for every source). The previous tables stay as they were until then.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Mapping
from typing import Any

from ingestors.core.errors import PayloadError
from ingestors.core.registry import Source

ENV = "CADENA_ACCEPT_SHRINK"
DEFAULT_MAX_SHRINK = 0.5


def accepted(source: str, environ: Mapping[str, str] = os.environ) -> bool:
    names = {n.strip() for n in environ.get(ENV, "").split(",") if n.strip()}
    return source in names or "all" in names


def max_shrink(environ: Mapping[str, str] = os.environ) -> float:
    try:
        return float(environ.get("CADENA_MAX_SHRINK", DEFAULT_MAX_SHRINK))
    except ValueError:
        return DEFAULT_MAX_SHRINK


def partitions(source: Source, rows: Mapping[str, list[dict[str, Any]]]) -> dict[str, dict[str, int]]:
    """Rows per partition value, for the tables that declare ``partition_by``."""
    out = {}
    for table in source.tables:
        if table.partition_by:
            out[table.name] = dict(Counter(str(r.get(table.partition_by)) for r in rows.get(table.name, [])))
    return out


def check(source: Source, snapshot_id: str, previous: Mapping[str, Any], rows: Mapping[str, list],
          *, sample: bool, environ: Mapping[str, str] = os.environ) -> None:
    """Raise :class:`PayloadError` when ``rows`` would shrink a table past the guard (see module doc).

    ``previous`` is the source's ``last_success`` state entry (``rows``, ``partitions``, ``sample``).
    """
    if not previous or bool(previous.get("sample")) != sample or accepted(source.name, environ):
        return
    hint = f"if the publisher really dropped them, rerun with --accept-shrink {source.name}"
    before_rows = previous.get("rows") or {}
    before_parts = previous.get("partitions") or {}
    now_parts = partitions(source, rows)
    for table in source.tables:
        before = int(before_rows.get(table.name) or 0)
        now = len(rows.get(table.name, []))
        limit = max_shrink(environ) if table.max_shrink == "default" else table.max_shrink
        if before and limit is not None and now < before * (1 - limit):
            raise PayloadError(source.name, snapshot_id,
                               f"table {table.name} would shrink from {before} to {now} rows "
                               f"(-{100 * (before - now) / before:.0f}%, the guard allows {100 * limit:.0f}%); {hint}")
        gone = sorted(k for k, n in (before_parts.get(table.name) or {}).items()
                      if n and not now_parts.get(table.name, {}).get(k))
        if gone:
            shown = ", ".join(gone[:3]) + (f" and {len(gone) - 3} more" if len(gone) > 3 else "")
            raise PayloadError(source.name, snapshot_id,
                               f"table {table.name} would lose every row of {table.partition_by} {shown} "
                               f"(had rows in the last good load); {hint}")
