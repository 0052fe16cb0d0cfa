-- Epoch's clusters, one row per cluster and LatAm country. A cluster spread
-- over several countries counts in each of them (Epoch gives no split).
--
-- An upgrade is a new Epoch row that names the earlier one in "Builds Upon";
-- once it operates, the earlier row names it in "Superseded by"
-- (https://epoch.ai/data/gpu-clusters-documentation/records). The later row
-- describes the whole upgraded cluster, so the earlier one is contained in it:
-- superseded_by says by which row, from Epoch's own column or, when Epoch left
-- it empty, from a later row building on it that already operates (or that is
-- planned, when the earlier phase is planned too: a campus's phase 2 includes
-- phase 1's MW).
with clusters as (
    select * from {{ ref('stg_epoch_gpu_clusters__clusters') }}
),

successors as (
    select
        earlier.cluster_name,
        min(later.cluster_name) as successor
    from clusters as earlier
    inner join clusters as later
        on later.builds_upon = earlier.cluster_name
        and (later.status = 'Existing' or (later.status = 'Planned' and earlier.status = 'Planned'))
    group by earlier.cluster_name
),

resolved as (
    select
        c.*,
        coalesce(c.superseded_by, s.successor) as contained_in
    from clusters as c
    left join successors as s on s.cluster_name = c.cluster_name
)

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
    c.builds_upon,
    c.contained_in as superseded_by,
    c.source_urls,
    {{ select_provenance('c') }}
from resolved as c,
    unnest(c.country_iso2s) as t(country_iso2)
