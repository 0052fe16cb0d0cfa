-- The hardware & physical-infrastructure lens: one row per LatAm country.
-- GPU figures come from mart_gpu_supply__country (the gpu_compute sub-layer).
{% set indicators = {
    'IT.NET.USER.ZS': 'internet_users_pct',
    'IT.NET.SECR.P6': 'secure_servers_per_million',
    'IT.NET.BBND.P2': 'fixed_broadband_per_100_people',
    'IT.CEL.SETS.P2': 'mobile_subscriptions_per_100_people',
    'EG.ELC.ACCS.ZS': 'electricity_access_pct',
    'EG.USE.ELEC.KH.PC': 'electricity_kwh_per_capita',
    'NY.GDP.MKTP.CD': 'gdp_usd',
    'SP.POP.TOTL': 'population',
} %}
with facilities as (
    select
        country_iso2,
        count(*) as facility_count,
        count(distinct operator_org_id) as facility_operator_count
    from {{ ref('fct_facilities') }}
    group by 1
),

ixps as (
    select country_iso2, count(*) as ixp_count, cast(sum(net_count) as bigint) as ixp_network_count
    from {{ ref('fct_internet_exchanges') }}
    group by 1
),

clouds as (
    select
        country_iso2,
        count(*) filter (where kind = 'region' and status = 'ga') as cloud_region_count,
        count(*) filter (where kind = 'region' and status = 'ga' and provider = 'aws') as aws_region_count,
        count(*) filter (where kind = 'region' and status = 'ga' and provider = 'gcp') as gcp_region_count,
        count(*) filter (where kind = 'region' and status = 'ga' and provider = 'azure') as azure_region_count,
        count(*) filter (where kind = 'region' and status = 'ga' and provider = 'oracle') as oracle_region_count,
        count(*) filter (where kind = 'local_zone' and status = 'ga') as aws_local_zone_count,
        count(*) filter (where status <> 'ga') as announced_cloud_region_count,
        count(distinct provider) filter (where status = 'ga') as cloud_provider_count
    from {{ ref('fct_cloud_regions') }}
    where is_latam
    group by 1
),

cables as (
    select
        country_iso2,
        count(distinct cable_id) filter (where not is_planned) as submarine_cable_count,
        count(distinct cable_id) filter (where is_planned) as planned_submarine_cable_count,
        count(distinct landing_point_id) as cable_landing_point_count
    from {{ ref('fct_cable_landings') }}
    where is_latam
    group by 1
),

gpus as (
    select * from {{ ref('mart_gpu_supply__country') }}
),

datacenter_mw as (
    -- The latest figure of each site (fct_organization_sites), in the site's own country; "operating" excludes
    -- what is still being built, and a claimed potential is not planned capacity.
    select
        s.country_iso2,
        sum(s.mw) filter (where s.site_status = 'operating') as datacenter_mw_operating,
        sum(s.mw) filter (where s.site_status = 'under_construction') as datacenter_mw_under_construction,
        sum(s.mw) filter (where s.site_status in ('planned', 'announced') and coalesce(s.confidence, '') <> 'claimed')
            as datacenter_mw_planned
    from {{ ref('fct_organization_sites') }} as s
    where s.sub_layer_code = 'data_centers'
    group by 1
),

indicators as (
    select
        country_iso2,
        {% for code, col in indicators.items() %}
        max(value) filter (where indicator_code = '{{ code }}') as {{ col }},
        max(year) filter (where indicator_code = '{{ code }}') as {{ col }}_year{{ ',' if not loop.last }}
        {% endfor %}
    from {{ ref('int_country_indicators_latest') }}
    group by 1
),

energy as (
    -- The latest year with an electricity demand figure (OWID energy dataset).
    select country_iso2, year, electricity_demand_twh, carbon_intensity_g_co2e_per_kwh, low_carbon_share_pct
    from {{ ref('mart_energy__country') }}
    where is_latest_year
),

build as (
    select
        coalesce(bool_or(is_sample), false) as is_sample_data,
        max(retrieved_at) as data_retrieved_at
    from {{ ref('int_source_loads_latest') }}
)

select
    c.country_iso2,
    c.name_en as country_name,
    c.subregion,
    coalesce(f.facility_count, 0) as facility_count,
    coalesce(f.facility_operator_count, 0) as facility_operator_count,
    coalesce(mw.datacenter_mw_operating, 0) as datacenter_mw_operating,
    coalesce(mw.datacenter_mw_under_construction, 0) as datacenter_mw_under_construction,
    coalesce(mw.datacenter_mw_planned, 0) as datacenter_mw_planned,
    coalesce(i.ixp_count, 0) as ixp_count,
    coalesce(i.ixp_network_count, 0) as ixp_network_count,
    coalesce(cl.cloud_region_count, 0) as cloud_region_count,
    coalesce(cl.aws_region_count, 0) as aws_region_count,
    coalesce(cl.gcp_region_count, 0) as gcp_region_count,
    coalesce(cl.azure_region_count, 0) as azure_region_count,
    coalesce(cl.oracle_region_count, 0) as oracle_region_count,
    coalesce(cl.aws_local_zone_count, 0) as aws_local_zone_count,
    coalesce(cl.announced_cloud_region_count, 0) as announced_cloud_region_count,
    coalesce(cl.cloud_provider_count, 0) as cloud_provider_count,
    coalesce(cb.submarine_cable_count, 0) as submarine_cable_count,
    coalesce(cb.planned_submarine_cable_count, 0) as planned_submarine_cable_count,
    coalesce(cb.cable_landing_point_count, 0) as cable_landing_point_count,
    en.year as energy_year,
    en.electricity_demand_twh,
    en.carbon_intensity_g_co2e_per_kwh as grid_carbon_intensity_g_co2e_per_kwh,
    en.low_carbon_share_pct as grid_low_carbon_share_pct,
    -- MW running all year (8,760 h) in TWh, against the country's yearly demand.
    100 * coalesce(mw.datacenter_mw_operating, 0) * 8760 / 1e6
        / nullif(en.electricity_demand_twh, 0) as datacenter_operating_share_of_demand_pct,
    100 * (coalesce(mw.datacenter_mw_operating, 0) + coalesce(mw.datacenter_mw_under_construction, 0)
           + coalesce(mw.datacenter_mw_planned, 0)) * 8760 / 1e6
        / nullif(en.electricity_demand_twh, 0) as datacenter_pipeline_share_of_demand_pct,
    -- MW x 8,760 h x g/kWh: megatonnes CO2e a year if the operating MW ran flat out on the average grid.
    coalesce(mw.datacenter_mw_operating, 0) * 8760 * en.carbon_intensity_g_co2e_per_kwh / 1e9
        as datacenter_operating_mt_co2e_at_full_load,
    g.gpu_cluster_count,
    g.planned_gpu_cluster_count,
    g.h100_equivalents,
    g.planned_h100_equivalents,
    g.top500_system_count,
    g.cloud_gpu_provider_count,
    g.cloud_gpu_model_count,
    g.cheapest_h100_usd_per_gpu_hour,
    g.h100_us_premium_ratio,
    {% for col in indicators.values() %}
    ind.{{ col }},
    ind.{{ col }}_year,
    {% endfor %}
    build.is_sample_data,
    build.data_retrieved_at,
    current_timestamp as built_at
from {{ ref('dim_country') }} as c
left join facilities as f using (country_iso2)
left join ixps as i using (country_iso2)
left join clouds as cl using (country_iso2)
left join cables as cb using (country_iso2)
left join gpus as g using (country_iso2)
left join datacenter_mw as mw using (country_iso2)
left join indicators as ind using (country_iso2)
left join energy as en using (country_iso2)
cross join build
