-- GPU offers of the three providers in one shape: one row per provider,
-- region, instance type (Google: GPU SKU), price type and OS, with the hourly
-- price per instance and per GPU. Where one offer has several price items
-- (meters), the lowest is kept.
with azure as (
    select
        'azure' as provider,
        p.region_code,
        p.arm_sku_name as instance_type,
        s.gpu_model,
        s.gpus_per_vm as gpus_per_instance,
        p.offer_price_type as price_type,
        p.os,
        p.usd_per_hour,
        p.is_us_reference,
        {{ select_provenance('p') }}
    from {{ ref('stg_azure_retail_prices__prices') }} as p
    left join {{ ref('azure_gpu_vm_skus') }} as s using (arm_sku_name)
    where p.usd_per_hour is not null
        and p.offer_price_type <> 'devtest'
        and p.tier_minimum_units = 0
),

aws as (
    select
        'aws' as provider,
        region_code,
        instance_type,
        gpu_model,
        gpu_count as gpus_per_instance,
        offer_price_type as price_type,
        os,
        usd_per_hour,
        is_us_reference,
        {{ select_provenance('o') }}
    from {{ ref('stg_aws_ec2_gpu__offers') }} as o
),

gcp as (
    select
        'gcp' as provider,
        region_code,
        description as instance_type,
        gpu_model,
        1.0 as gpus_per_instance,
        offer_price_type as price_type,
        'any' as os,
        usd_per_gpu_hour as usd_per_hour,
        is_us_reference,
        {{ select_provenance('g') }}
    from {{ ref('stg_gcp_gpu_skus__gpu_prices') }} as g
),

unioned as (
    select * from azure
    union all
    select * from aws
    union all
    select * from gcp
)

select
    *,
    usd_per_hour / nullif(gpus_per_instance, 0) as usd_per_gpu_hour
from unioned
qualify row_number() over (
    partition by provider, region_code, instance_type, price_type, os
    order by usd_per_hour, snapshot_id
) = 1
