-- Where is a GPU-hour cheapest? Per LatAm country and GPU model: the cheapest
-- on-demand price per GPU-hour, who offers it, and its premium over the same
-- provider's US reference region (ratio > 1: dearer in LatAm).
with on_demand as (
    select *
    from {{ ref('fct_cloud_gpu_offers') }}
    where price_type = 'on_demand'
        and gpu_model is not null
        and usd_per_gpu_hour is not null
),

latam as (
    select *
    from on_demand
    where not is_us_reference
    qualify row_number() over (
        partition by country_iso2, gpu_model
        order by usd_per_gpu_hour, provider, instance_type
    ) = 1
),

us as (
    select
        provider,
        gpu_model,
        min(usd_per_gpu_hour) as us_usd_per_gpu_hour,
        arg_min(region_code, usd_per_gpu_hour) as us_region_code,
        arg_min(instance_type, usd_per_gpu_hour) as us_instance_type
    from on_demand
    where is_us_reference
    group by provider, gpu_model
)

select
    latam.country_iso2 || ':' || latam.gpu_model as country_gpu_model_id,
    latam.country_iso2,
    latam.gpu_model,
    latam.usd_per_gpu_hour as cheapest_usd_per_gpu_hour,
    latam.provider,
    latam.region_code,
    latam.instance_type,
    latam.gpus_per_instance,
    us.us_usd_per_gpu_hour,
    latam.provider || ':' || us.us_region_code as us_reference_region,
    us.us_instance_type,
    latam.usd_per_gpu_hour / nullif(us.us_usd_per_gpu_hour, 0) as us_premium_ratio,
    latam.retrieved_at,
    latam.record_url
from latam
left join us
    on us.provider = latam.provider
    and us.gpu_model = latam.gpu_model
