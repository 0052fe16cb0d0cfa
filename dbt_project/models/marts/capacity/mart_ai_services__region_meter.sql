-- Which Azure OpenAI model meters are sold in each LatAm Azure region, processed where, and at what premium over
-- the same meter in the US reference region.
with meters as (
    select * from {{ ref('stg_azure_openai_prices__meters') }}
),

regions as (
    select region_code, country_iso2, region_name
    from {{ ref('cloud_region_catalogue') }}
    where provider = 'azure'
),

us as (
    select sku_name, meter_name, tier_minimum_units, unit_of_measure, retail_price_usd, usd_per_million_tokens
    from meters
    where is_us_reference
)

select
    r.country_iso2,
    m.arm_region_name,
    r.region_name,
    m.product_name,
    m.sku_name,
    m.meter_name,
    m.deployment,
    m.deployment = 'regional' as is_processed_in_region,
    m.direction,
    m.unit_of_measure,
    m.tier_minimum_units,
    m.retail_price_usd,
    m.usd_per_million_tokens,
    us.usd_per_million_tokens as us_usd_per_million_tokens,
    m.retail_price_usd / nullif(us.retail_price_usd, 0) as us_premium_ratio,
    us.sku_name is not null as is_offered_in_us_reference,
    m.source_name,
    m.snapshot_id,
    m.retrieved_at
from meters as m
inner join regions as r on r.region_code = m.arm_region_name
left join us
    on us.sku_name = m.sku_name
    and us.meter_name = m.meter_name
    and us.tier_minimum_units = m.tier_minimum_units
    and us.unit_of_measure = m.unit_of_measure
where not m.is_us_reference and r.country_iso2 is not null
