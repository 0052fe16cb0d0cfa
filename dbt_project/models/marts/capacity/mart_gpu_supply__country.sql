-- The GPU-compute lens: per LatAm country, the GPU clusters (Epoch), TOP500
-- systems (latest list), and what the public clouds offer in-country.
with clusters as (
    select
        country_iso2,
        count(*) filter (where is_existing) as gpu_cluster_count,
        count(*) filter (where is_planned) as planned_gpu_cluster_count,
        coalesce(sum(h100_equivalents) filter (where is_existing), 0) as h100_equivalents,
        coalesce(sum(h100_equivalents) filter (where is_planned), 0) as planned_h100_equivalents,
        -- superseded phases are neither existing nor planned: an upgrade's MW count once
        coalesce(sum(power_mw) filter (where is_existing), 0) as gpu_cluster_power_mw,
        coalesce(sum(power_mw) filter (where is_planned), 0) as planned_gpu_cluster_power_mw
    from {{ ref('fct_gpu_clusters') }}
    group by 1
),

latest_list as (
    select max(list_edition) as list_edition from {{ ref('stg_top500__systems') }}
),

top500 as (
    select
        s.country_iso2,
        count(*) as top500_system_count,
        count(*) filter (where s.is_accelerated) as top500_accelerated_system_count,
        sum(s.rmax_tflops) as top500_rmax_tflops,
        coalesce(sum(s.rmax_tflops) filter (where s.is_accelerated), 0) as top500_accelerated_rmax_tflops
    from {{ ref('fct_supercomputers') }} as s
    inner join latest_list using (list_edition)
    group by 1
),

cloud as (
    select
        country_iso2,
        count(distinct provider) as cloud_gpu_provider_count,
        list_sort(list_distinct(list(provider))) as cloud_gpu_providers,
        count(distinct gpu_model) as cloud_gpu_model_count,
        list_sort(list_distinct(list(gpu_model) filter (where gpu_model is not null))) as cloud_gpu_models
    from {{ ref('fct_cloud_gpu_offers') }}
    where not is_us_reference
    group by 1
),

prices as (
    select
        country_iso2,
        min(cheapest_usd_per_gpu_hour) as cheapest_usd_per_gpu_hour_any_model,
        arg_min(gpu_model, cheapest_usd_per_gpu_hour) as cheapest_gpu_model,
        max(cheapest_usd_per_gpu_hour) filter (where gpu_model = 'H100') as cheapest_h100_usd_per_gpu_hour,
        max(us_premium_ratio) filter (where gpu_model = 'H100') as h100_us_premium_ratio,
        max(us_reference_region) filter (where gpu_model = 'H100') as h100_us_reference_region,
        max(cheapest_usd_per_gpu_hour) filter (where gpu_model = 'A100') as cheapest_a100_usd_per_gpu_hour,
        max(us_premium_ratio) filter (where gpu_model = 'A100') as a100_us_premium_ratio,
        avg(us_premium_ratio) as mean_us_premium_ratio
    from {{ ref('mart_gpu_prices__country_model') }}
    group by 1
)

select
    c.country_iso2,
    c.name_en as country_name,
    coalesce(cl.gpu_cluster_count, 0) as gpu_cluster_count,
    coalesce(cl.planned_gpu_cluster_count, 0) as planned_gpu_cluster_count,
    coalesce(cl.h100_equivalents, 0) as h100_equivalents,
    coalesce(cl.planned_h100_equivalents, 0) as planned_h100_equivalents,
    coalesce(cl.gpu_cluster_power_mw, 0) as gpu_cluster_power_mw,
    coalesce(cl.planned_gpu_cluster_power_mw, 0) as planned_gpu_cluster_power_mw,
    (select list_edition from latest_list) as top500_list_edition,
    coalesce(t.top500_system_count, 0) as top500_system_count,
    coalesce(t.top500_accelerated_system_count, 0) as top500_accelerated_system_count,
    coalesce(t.top500_rmax_tflops, 0) as top500_rmax_tflops,
    coalesce(t.top500_accelerated_rmax_tflops, 0) as top500_accelerated_rmax_tflops,
    coalesce(cd.cloud_gpu_provider_count, 0) as cloud_gpu_provider_count,
    coalesce(cd.cloud_gpu_providers, cast([] as varchar[])) as cloud_gpu_providers,
    coalesce(cd.cloud_gpu_model_count, 0) as cloud_gpu_model_count,
    coalesce(cd.cloud_gpu_models, cast([] as varchar[])) as cloud_gpu_models,
    p.cheapest_usd_per_gpu_hour_any_model,
    p.cheapest_gpu_model,
    p.cheapest_h100_usd_per_gpu_hour,
    p.h100_us_premium_ratio,
    p.h100_us_reference_region,
    p.cheapest_a100_usd_per_gpu_hour,
    p.a100_us_premium_ratio,
    p.mean_us_premium_ratio
from {{ ref('dim_country') }} as c
left join clusters as cl using (country_iso2)
left join top500 as t using (country_iso2)
left join cloud as cd using (country_iso2)
left join prices as p using (country_iso2)
