-- One row per LatAm country with every layer of the chain side by side: organisations per layer, capacity and
-- who holds it, GPU access and price, energy, connectivity, talent (developers, AI researchers), funding, AI model services in region and the ILIA score.
{% set layers = ['hardware_infrastructure', 'data', 'research', 'foundation_models', 'mlops_tooling',
                 'applications', 'integration', 'end_users'] %}
with layers as (
    select
        country_iso2,
        {% for layer in layers %}
        max(organization_count) filter (where layer_code = '{{ layer }}') as {{ layer }}_organization_count,
        {% endfor %}
        max(largest_organizations) filter (where layer_code = 'hardware_infrastructure')
            as largest_hardware_organizations
    from {{ ref('mart_value_chain__country_layer') }}
    group by 1
),

organisations as (
    select hq_country_iso2 as country_iso2, count(*) as value_chain_organization_count
    from {{ ref('dim_organizations') }}
    where is_in_ai_value_chain
    group by 1
),

funding as (
    select
        country_iso2,
        sum(amount_usd) filter (where round_date > current_date - interval 12 month) as funding_usd_last_12_months,
        count(*) filter (where round_date > current_date - interval 12 month) as funding_rounds_last_12_months,
        sum(amount_usd) as funding_usd_all_time
    from {{ ref('fct_funding_rounds') }}
    group by 1
),

talent as (
    select country_iso2, period as github_period, developers as github_developers, developers_per_1000_people
    from {{ ref('mart_talent__country_quarter') }}
    qualify row_number() over (partition by country_iso2 order by year desc, quarter desc) = 1
),

researchers as (
    select country_iso2, ai_researchers, ai_researchers_as_of, ai_researchers_per_million_people
    from {{ ref('mart_talent__country') }}
),

research as (
    select country_iso2, year as ai_works_year, ai_works
    from {{ ref('fct_research_output') }}
    qualify row_number() over (partition by country_iso2 order by year desc) = 1
),

research_full_year as (
    -- the latest complete publication year: the current one is partial and OpenAlex back-fills it for months
    select country_iso2, year as ai_works_full_year, ai_works as ai_works_in_full_year
    from {{ ref('fct_research_output') }}
    where year < year(current_date)
    qualify row_number() over (partition by country_iso2 order by year desc) = 1
),

trade as (
    select country_iso2, year as trade_year, ic_imports_usd, computer_imports_usd, is_net_exporter
    from {{ ref('mart_semiconductor_trade__country_year') }}
    qualify row_number() over (partition by country_iso2 order by year desc) = 1
),

ai_services as (
    select
        country_iso2,
        count(distinct sku_name) filter (where direction is not null) as azure_openai_token_sku_count,
        count(distinct sku_name) filter (where direction is not null and is_processed_in_region)
            as azure_openai_in_region_sku_count
    from {{ ref('mart_ai_services__region_meter') }}
    group by 1
),

coverage as (
    select country_iso2, year as coverage_year, coverage_4g_pct, coverage_5g_pct
    from {{ ref('mart_connectivity__country_year') }}
    where coverage_4g_pct is not null
    qualify row_number() over (partition by country_iso2 order by year desc) = 1
),

speeds as (
    -- the latest year of M-Lab's archive for the country (the archive stopped in March 2024: see speed_test_days)
    select country_iso2, year as speed_year, download_median_mbps, speed_test_days
    from {{ ref('mart_connectivity__country_year') }}
    where download_median_mbps is not null
    qualify row_number() over (partition by country_iso2 order by year desc) = 1
),

ipv6 as (
    select country_iso2, day as ipv6_as_of, coalesce(capable_pct_30d, capable_pct) as ipv6_capable_pct
    from {{ ref('stg_apnic_ipv6__economy_days') }}
    qualify row_number() over (partition by country_iso2 order by day desc) = 1
),

models_in_region as (
    select
        country_iso2,
        count(distinct provider || ':' || model) filter (where is_processed_in_region) as in_region_model_count,
        count(distinct model) filter (where provider = 'aws' and is_processed_in_region) as bedrock_in_region_model_count,
        median(us_premium_pct) filter (where is_processed_in_region) as in_region_median_us_premium_pct
    from {{ ref('mart_ai_services__country_model') }}
    group by 1
),

ilia as (
    select country_iso2, edition as ilia_edition, ilia_score, ilia_rank, ilia_countries_scored, ilia_category
    from {{ ref('mart_ilia__country_edition') }}
    qualify row_number() over (partition by country_iso2 order by edition desc) = 1
)

select
    c.country_iso2,
    c.name_en as country_name,
    c.subregion,
    c.is_sovereign,
    coalesce(o.value_chain_organization_count, 0) as value_chain_organization_count,
    {% for layer in layers %}
    coalesce(l.{{ layer }}_organization_count, 0) as {{ layer }}_organization_count,
    {% endfor %}
    l.largest_hardware_organizations,
    i.datacenter_mw_operating,
    i.datacenter_mw_under_construction,
    i.datacenter_mw_planned,
    i.facility_count,
    i.ixp_count,
    i.cloud_region_count,
    i.cloud_provider_count,
    i.submarine_cable_count,
    i.gpu_cluster_count,
    i.h100_equivalents,
    i.top500_system_count,
    i.cheapest_h100_usd_per_gpu_hour,
    i.h100_us_premium_ratio,
    i.energy_year,
    i.electricity_demand_twh,
    i.grid_carbon_intensity_g_co2e_per_kwh,
    i.grid_low_carbon_share_pct,
    i.datacenter_operating_share_of_demand_pct,
    i.internet_users_pct,
    i.fixed_broadband_per_100_people,
    i.mobile_subscriptions_per_100_people,
    cv.coverage_year,
    cv.coverage_4g_pct,
    cv.coverage_5g_pct,
    sp.speed_year,
    sp.download_median_mbps,
    sp.speed_test_days,
    v6.ipv6_as_of,
    v6.ipv6_capable_pct,
    tr.trade_year,
    tr.ic_imports_usd,
    tr.computer_imports_usd,
    coalesce(tr.is_net_exporter, false) as is_chip_or_computer_net_exporter,
    coalesce(ai.azure_openai_token_sku_count, 0) as azure_openai_token_sku_count,
    coalesce(ai.azure_openai_in_region_sku_count, 0) as azure_openai_in_region_sku_count,
    coalesce(mr.bedrock_in_region_model_count, 0) as bedrock_in_region_model_count,
    coalesce(mr.in_region_model_count, 0) as in_region_model_count,
    mr.in_region_median_us_premium_pct,
    t.github_period,
    t.github_developers,
    t.developers_per_1000_people,
    r.ai_works_year,
    r.ai_works,
    rf.ai_works_full_year,
    rf.ai_works_in_full_year,
    1e6 * rf.ai_works_in_full_year / nullif(i.population, 0) as ai_works_per_million_people,
    rs.ai_researchers,
    rs.ai_researchers_as_of,
    rs.ai_researchers_per_million_people,
    f.funding_usd_last_12_months,
    coalesce(f.funding_rounds_last_12_months, 0) as funding_rounds_last_12_months,
    f.funding_usd_all_time,
    il.ilia_edition,
    il.ilia_score,
    il.ilia_rank,
    il.ilia_countries_scored,
    il.ilia_category,
    i.population,
    i.gdp_usd,
    i.is_sample_data,
    i.data_retrieved_at,
    current_timestamp as built_at
from {{ ref('dim_country') }} as c
inner join {{ ref('mart_infrastructure__country') }} as i using (country_iso2)
left join layers as l using (country_iso2)
left join organisations as o using (country_iso2)
left join funding as f using (country_iso2)
left join talent as t using (country_iso2)
left join researchers as rs using (country_iso2)
left join research as r using (country_iso2)
left join research_full_year as rf using (country_iso2)
left join trade as tr using (country_iso2)
left join ai_services as ai using (country_iso2)
left join coverage as cv using (country_iso2)
left join speeds as sp using (country_iso2)
left join ipv6 as v6 using (country_iso2)
left join models_in_region as mr using (country_iso2)
left join ilia as il using (country_iso2)
