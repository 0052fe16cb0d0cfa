-- Amazon Bedrock model prices per AWS region (LatAm and the US reference), as the AWS Price List publishes them,
-- with the token direction read from AWS's inferenceType.
select
    region,
    offer_code,
    sku,
    rate_code,
    model,
    provider,
    feature,
    coalesce(feature = 'On-demand Inference', false) as is_on_demand,
    inference_type,
    case
        when lower(inference_type) like '%cache write%' then 'cache_write'
        when lower(inference_type) like '%cache read%' or lower(inference_type) like '%cached%' then 'cached_input'
        when lower(inference_type) like '%input%' then 'input'
        when lower(inference_type) like '%output%' then 'output'
    end as direction,
    usage_type,
    unit,
    price_description,
    usd_per_unit,
    usd_per_million_tokens,
    begin_range,
    try_cast(effective_date as date) as effective_date,
    publication_date,
    is_us_reference,
    {{ provenance_columns() }}
from {{ source('aws_bedrock_prices', 'prices') }}
