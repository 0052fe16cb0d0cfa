-- AI services in region, per country: every foundation-model token price a cloud lists in a LatAm region
-- (Amazon Bedrock on-demand, Azure OpenAI, Google Vertex AI), whether prompts are processed in the region, and the premium over the
-- same price in the provider's US reference region.
with regions as (
    select provider, region_code, country_iso2, region_name
    from {{ ref('cloud_region_catalogue') }}
),

bedrock as (
    select
        *,
        coalesce(usage_type ilike '%global%', false) as is_global
    from {{ ref('stg_aws_bedrock_prices__prices') }}
    where is_on_demand and usd_per_million_tokens is not null
),

-- One US price per model, token type and unit; min() keeps one when AWS lists two SKUs for the same thing.
bedrock_us as (
    select offer_code, model, inference_type, unit, is_global, min(usd_per_million_tokens) as us_usd_per_million_tokens
    from bedrock
    where is_us_reference
    group by all
),

aws as (
    select
        'aws' as provider,
        'Amazon Bedrock' as service,
        b.region,
        b.rate_code as price_id,
        b.model,
        b.provider as model_publisher,
        b.direction,
        case when b.is_global then 'global' else 'regional' end as deployment,
        b.unit,
        b.usd_per_million_tokens,
        us.us_usd_per_million_tokens,
        b.effective_date,
        b.source_name,
        b.snapshot_id,
        b.retrieved_at
    from bedrock as b
    left join bedrock_us as us
        on us.offer_code = b.offer_code
        and us.model = b.model
        and us.inference_type = b.inference_type
        and us.unit = b.unit
        and us.is_global = b.is_global
    where not b.is_us_reference
),

azure as (
    select
        'azure' as provider,
        'Azure OpenAI' as service,
        arm_region_name as region,
        sku_name || ' | ' || meter_name || ' | ' || cast(tier_minimum_units as varchar) as price_id,
        -- the model is what is left of Azure's SKU name once direction and deployment words are taken out
        nullif(trim(regexp_replace(
            regexp_replace(replace(sku_name, '-', ' '),
                '\b(inp|inpt|input|outp|outpt|out|output|cchd|cached|cache|glbl|global|regnl|regional|dzone|data zone|dz|1m tokens|1k tokens)\b',
                '', 'gi'),
            '\s+', ' ', 'g')), '') as model,
        cast(null as varchar) as model_publisher,
        direction,
        deployment,
        unit_of_measure as unit,
        usd_per_million_tokens,
        us_usd_per_million_tokens,
        cast(null as date) as effective_date,
        source_name,
        snapshot_id,
        retrieved_at
    from {{ ref('mart_ai_services__region_meter') }}
    where usd_per_million_tokens is not null
),

vertex_prices as (
    select * from {{ ref('stg_gcp_vertex_ai_skus__model_prices') }}
    where usd_per_million_tokens is not null
),

-- Google sells a model in several regions under one SKU or under one SKU per region: the US price is the one
-- of the same description (model, usage and context tier) in us-east1.
vertex_us as (
    select description, usage_unit, min(usd_per_million_tokens) as us_usd_per_million_tokens
    from vertex_prices
    where is_us_reference
    group by all
),

vertex as (
    select
        'gcp' as provider,
        'Vertex AI' as service,
        v.region,
        v.sku_id as price_id,
        v.model,
        cast(null as varchar) as model_publisher,
        v.direction,
        case when v.is_global then 'global' else 'regional' end as deployment,
        v.usage_unit as unit,
        v.usd_per_million_tokens,
        us.us_usd_per_million_tokens,
        cast(v.effective_time as date) as effective_date,
        v.source_name,
        v.snapshot_id,
        v.retrieved_at
    from vertex_prices as v
    left join vertex_us as us on us.description = v.description and us.usage_unit = v.usage_unit
    where not v.is_us_reference
),

prices as (
    select * from aws
    union all by name
    select * from azure
    union all by name
    select * from vertex
)

select
    p.provider || ':' || p.region || ':' || p.price_id as price_key,
    r.country_iso2,
    p.provider,
    p.service,
    p.region,
    r.region_name,
    p.price_id,
    coalesce(p.model, p.price_id) as model,
    p.model_publisher,
    p.direction,
    p.deployment,
    p.deployment = 'regional' as is_processed_in_region,
    p.unit,
    p.usd_per_million_tokens,
    p.us_usd_per_million_tokens,
    round(100 * (p.usd_per_million_tokens / nullif(p.us_usd_per_million_tokens, 0) - 1), 2) as us_premium_pct,
    p.us_usd_per_million_tokens is not null as is_offered_in_us_reference,
    p.effective_date,
    p.source_name,
    p.snapshot_id,
    p.retrieved_at
from prices as p
inner join regions as r on r.provider = p.provider and r.region_code = p.region
where r.country_iso2 != 'US'
