-- The physical chain's concentration, one row per LatAm country: for each
-- dimension of mart_physical_chain__concentration its number of units, HHI and
-- top-3 share, and the single points of failure the seed documents ask about:
-- a country served by one cable system, one landing station or one cloud
-- provider. A landlocked country (BO, PY) reads "landlocked" for the cable
-- dimensions, not "none" and not a single point of failure.
{% set dims = ['facility_operators', 'colocation_mw', 'cloud_providers', 'cable_systems', 'cable_owners',
               'landing_stations', 'ixps'] %}
with long as (
    select * from {{ ref('mart_physical_chain__concentration') }}
)

select
    c.country_iso2,
    c.name_en as country_name,
    c.country_iso2 in (select country_iso2 from long where is_landlocked) as is_landlocked,
    {% for d in dims %}
    max(unit_count) filter (where dimension = '{{ d }}') as {{ d }}_count,
    max(hhi) filter (where dimension = '{{ d }}') as {{ d }}_hhi,
    max(top3_share) filter (where dimension = '{{ d }}') as {{ d }}_top3_share,
    {% endfor %}
    max(supply_status) filter (where dimension = 'cable_systems') as cable_system_supply,
    max(supply_status) filter (where dimension = 'landing_stations') as landing_station_supply,
    max(supply_status) filter (where dimension = 'cloud_providers') as cloud_provider_supply,
    coalesce(bool_or(is_single_point_of_failure) filter (where dimension = 'cable_systems'), false)
        as single_cable_system,
    coalesce(bool_or(is_single_point_of_failure) filter (where dimension = 'landing_stations'), false)
        as single_landing_station,
    coalesce(bool_or(is_single_point_of_failure) filter (where dimension = 'cloud_providers'), false)
        as single_cloud_provider
from {{ ref('dim_country') }} as c
left join long using (country_iso2)
group by c.country_iso2, c.name_en
