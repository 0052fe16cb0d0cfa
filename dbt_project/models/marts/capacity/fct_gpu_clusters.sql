-- GPU clusters and AI supercomputers in LatAm (Epoch AI), one row per cluster
-- and country. Epoch's certainty is kept as the confidence of each row. A
-- cluster contained in a later row (superseded_by, an upgrade) is neither
-- existing nor planned, so no sum counts its chips or MW twice.
select
    cluster_name || '@' || country_iso2 as gpu_cluster_id,
    cluster_name,
    country_iso2,
    country_count,
    status,
    superseded_by is not null as is_superseded,
    lower(status) = 'existing' and decommissioned_date is null and superseded_by is null as is_existing,
    lower(status) = 'planned' and superseded_by is null as is_planned,
    lower(certainty) as confidence,
    owner,
    sector,
    location,
    chip_type,
    chip_quantity,
    total_ai_chips,
    h100_equivalents,
    power_mw,
    first_operational_date,
    decommissioned_date,
    builds_upon,
    superseded_by,
    source_urls,
    source_name,
    snapshot_id,
    retrieved_at,
    record_url
from {{ ref('int_gpu_clusters_by_country') }}
