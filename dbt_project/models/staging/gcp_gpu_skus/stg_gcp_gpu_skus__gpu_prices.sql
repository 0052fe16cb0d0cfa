-- Google prices GPUs per GPU-hour, attached to any machine type in the region.
select
    sku_id,
    description,
    gpu_model,
    gpu_model_text,
    usage_type,
    case usage_type
        when 'OnDemand' then 'on_demand'
        when 'Preemptible' then 'spot'
        when 'Commit1Yr' then 'reserved_1y'
        when 'Commit3Yr' then 'reserved_3y'
        else lower(usage_type)
    end as offer_price_type,
    region as region_code,
    is_us_reference,
    usd_per_gpu_hour,
    currency_code,
    effective_time,
    {{ provenance_columns() }}
from {{ source('gcp_gpu_skus', 'gpu_prices') }}
where currency_code = 'USD'
