-- The energy lens: per LatAm country and year, the electricity system AI compute would run on (size, mix,
-- carbon intensity), beside the World and the United States the same year.
with energy as (
    select * from {{ ref('int_energy_entity_year') }}
),

world as (
    select year, carbon_intensity_g_co2e_per_kwh, low_carbon_share_pct
    from energy
    where entity = 'World' and entity_code is null
),

us as (
    select year, carbon_intensity_g_co2e_per_kwh, electricity_demand_twh
    from energy
    where entity_code = 'USA'
),

latest as (
    select country_iso2, max(year) as latest_year
    from energy
    where country_iso2 is not null and electricity_demand_twh is not null
    group by 1
),

build as ({{ sample_build() }})

select
    e.country_iso2,
    c.name_en as country_name,
    c.subregion,
    e.year,
    e.year = l.latest_year as is_latest_year,
    e.electricity_generation_twh,
    e.electricity_demand_twh,
    e.electricity_demand_kwh_per_capita,
    e.net_electricity_imports_twh,
    e.carbon_intensity_g_co2e_per_kwh,
    e.electricity_emissions_mt_co2e,
    e.coal_share_pct,
    e.gas_share_pct,
    e.oil_share_pct,
    e.nuclear_share_pct,
    e.hydro_share_pct,
    e.solar_share_pct,
    e.wind_share_pct,
    e.bioenergy_share_pct,
    e.other_renewables_share_pct,
    e.renewables_share_pct,
    e.low_carbon_share_pct,
    e.fossil_share_pct,
    e.primary_energy_twh,
    w.carbon_intensity_g_co2e_per_kwh as world_carbon_intensity_g_co2e_per_kwh,
    e.carbon_intensity_g_co2e_per_kwh / nullif(w.carbon_intensity_g_co2e_per_kwh, 0) as carbon_intensity_vs_world_ratio,
    us.carbon_intensity_g_co2e_per_kwh as us_carbon_intensity_g_co2e_per_kwh,
    e.electricity_demand_twh / nullif(us.electricity_demand_twh, 0) as demand_vs_us_ratio,
    'owid_energy' as source_name,
    e.snapshot_id,
    e.retrieved_at,
    build.is_sample_data
from energy as e
inner join {{ ref('dim_country') }} as c using (country_iso2)
left join latest as l using (country_iso2)
left join world as w using (year)
left join us using (year)
cross join build
