-- GPU instances on offer in LatAm cloud regions and in each provider's US
-- reference region, with hourly prices per instance and per GPU.
with offers as (
    select * from {{ ref('int_cloud_gpu_offers_unioned') }}
),

regions as (
    select provider, region_code, country_iso2 from {{ ref('int_cloud_regions_catalogued') }}
)

select
    md5(concat_ws('|', o.provider, o.region_code, o.instance_type, o.price_type, o.os)) as offer_id,
    o.provider,
    o.region_code,
    coalesce(r.country_iso2, case when o.is_us_reference then 'US' end) as country_iso2,
    o.is_us_reference,
    o.instance_type,
    o.gpu_model,
    o.gpus_per_instance,
    o.price_type,
    o.os,
    o.usd_per_hour,
    o.usd_per_gpu_hour,
    o.source_name,
    o.snapshot_id,
    o.retrieved_at,
    o.record_url
from offers as o
left join regions as r
    on r.provider = o.provider
    and r.region_code = o.region_code
where r.country_iso2 is not null or o.is_us_reference
