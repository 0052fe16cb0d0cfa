select
    instance_type,
    instance_family,
    region as region_code,
    is_us_reference,
    gpu_count,
    gpu_model,
    gpu_model_text,
    gpu_memory_gib,
    vcpu,
    memory_gib,
    os,
    price_type,
    case price_type
        when 'ondemand' then 'on_demand'
        when 'spot_avg' then 'spot'
        when 'reserved_1y_no_upfront' then 'reserved_1y'
        when 'reserved_3y_no_upfront' then 'reserved_3y'
        else price_type
    end as offer_price_type,
    usd_per_hour,
    {{ provenance_columns() }}
from {{ source('aws_ec2_gpu', 'offers') }}
