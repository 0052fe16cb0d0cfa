"""Every source Cadena knows. To add one, write its module and list its SOURCE here."""

from __future__ import annotations

from ingestors.core.registry import Source
from ingestors.sources import (
    aws_ec2_gpu,
    azure_retail_prices,
    cloud_ip_ranges,
    curated_registry,
    ecb_fx,
    epoch_gpu_clusters,
    epoch_notable_models,
    gcp_gpu_skus,
    github_innovation_graph,
    huggingface,
    licensed_exports,
    news,
    openalex,
    owid_ai_investment,
    owid_energy,
    peeringdb,
    sec_form_d,
    telegeography,
    top500,
    wikidata,
    world_bank,
    yc,
)

ALL: tuple[Source, ...] = (
    peeringdb.SOURCE,
    telegeography.SOURCE,
    *cloud_ip_ranges.SOURCES,
    epoch_gpu_clusters.SOURCE,
    world_bank.SOURCE,
    azure_retail_prices.SOURCE,
    aws_ec2_gpu.SOURCE,
    gcp_gpu_skus.SOURCE,
    top500.SOURCE,
    curated_registry.SOURCE,
    yc.SOURCE,
    epoch_notable_models.SOURCE,
    huggingface.SOURCE,
    wikidata.SOURCE,
    openalex.SOURCE,
    sec_form_d.SOURCE,
    news.SOURCE,
    ecb_fx.SOURCE,
    owid_ai_investment.SOURCE,
    licensed_exports.SOURCE,
    owid_energy.SOURCE,
    github_innovation_graph.SOURCE,
)

BY_NAME: dict[str, Source] = {s.name: s for s in ALL}
