"""Every source Cadena knows, found by scanning this package: no list to edit.

A module here that defines ``SOURCE`` (one :class:`~ingestors.core.registry.Source`) or
``SOURCES`` (several sharing one parser, like the four cloud IP-range files) is a source.
Modules whose name starts with ``_`` are helpers and are not scanned. Sources are ordered
by family (capacity, organisations, funding), then by name, so every generated listing
(README table, Dagster graph, ``cadena sources``) is stable.
"""

from __future__ import annotations

import importlib
import pkgutil

from ingestors.core.registry import FAMILIES, Source


def _discover() -> tuple[Source, ...]:
    found: dict[str, Source] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        declared = getattr(module, "SOURCES", None) or ((module.SOURCE,) if hasattr(module, "SOURCE") else ())
        for source in declared:
            if not isinstance(source, Source):
                raise TypeError(f"{module.__name__}: SOURCE/SOURCES must hold Source objects, not {source!r}")
            if source.name in found:
                raise ValueError(f"two sources named {source.name!r} ({module.__name__})")
            found[source.name] = source
    return tuple(sorted(found.values(), key=lambda s: (FAMILIES.index(s.family), s.name)))


ALL: tuple[Source, ...] = _discover()
BY_NAME: dict[str, Source] = {s.name: s for s in ALL}
