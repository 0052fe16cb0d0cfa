-- Epoch's clusters, one row per cluster and LatAm country. A cluster spread
-- over several countries counts in each of them (Epoch gives no split).
select
    c.cluster_name,
    t.country_iso2,
    len(c.country_iso2s) as country_count,
    c.status,
    c.certainty,
    c.owner,
    c.sector,
    c.location,
    c.chip_type,
    c.chip_quantity,
    c.total_ai_chips,
    c.h100_equivalents,
    coalesce(c.reported_power_mw, c.power_capacity_mw, c.calculated_power_mw) as power_mw,
    c.first_operational_date,
    c.decommissioned_date,
    c.source_urls,
    {{ select_provenance('c') }}
from {{ ref('stg_epoch_gpu_clusters__clusters') }} as c,
    unnest(c.country_iso2s) as t(country_iso2)
