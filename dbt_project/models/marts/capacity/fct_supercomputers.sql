-- TOP500 systems in LatAm, every edition loaded (one row per system and list).
select
    list_edition || '#' || rank as supercomputer_listing_id,
    list_edition,
    rank,
    system_name,
    computer,
    site,
    manufacturer,
    country_iso2,
    installation_year,
    segment,
    total_cores,
    accelerator_cores,
    coalesce(accelerator_cores, 0) > 0 as is_accelerated,
    accelerator,
    accelerator_model,
    processor,
    rmax_tflops,
    rpeak_tflops,
    power_kw,
    system_id,
    {{ select_provenance('s') }}
from {{ ref('stg_top500__systems') }} as s
where is_latam
