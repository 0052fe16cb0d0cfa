"""Every source Cadena knows. To add one, write its module and list its SOURCE here."""

from __future__ import annotations

from ingestors.registry import Source
from ingestors.sources import world_bank

ALL: tuple[Source, ...] = (
    world_bank.SOURCE,
)

BY_NAME: dict[str, Source] = {s.name: s for s in ALL}
