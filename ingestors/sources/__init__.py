"""Every source Cadena knows. To add one, write its module and list its SOURCE here."""

from __future__ import annotations

from ingestors.registry import Source
from ingestors.sources import (
    cloud_ip_ranges,
    epoch_gpu_clusters,
    peeringdb,
    telegeography,
    world_bank,
)

ALL: tuple[Source, ...] = (
    peeringdb.SOURCE,
    telegeography.SOURCE,
    *cloud_ip_ranges.SOURCES,
    epoch_gpu_clusters.SOURCE,
    world_bank.SOURCE,
)

BY_NAME: dict[str, Source] = {s.name: s for s in ALL}
