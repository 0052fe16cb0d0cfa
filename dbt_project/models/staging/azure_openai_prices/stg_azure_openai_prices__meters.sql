-- Azure OpenAI consumption meters per Azure region (LatAm and the US reference), as the Retail Prices API lists them.
select
    arm_region_name,
    product_name,
    sku_name,
    meter_name,
    meter_id,
    deployment,
    direction,
    unit_of_measure,
    retail_price_usd,
    usd_per_million_tokens,
    tier_minimum_units,
    is_us_reference,
    {{ provenance_columns() }}
from {{ source('azure_openai_prices', 'meters') }}
