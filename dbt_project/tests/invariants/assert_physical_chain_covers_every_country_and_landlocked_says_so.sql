-- Every LatAm country has all seven physical-chain dimensions, and a
-- landlocked country reads "landlocked" (not a single point of failure, not a
-- missing row) for the three cable dimensions.
select c.country_iso2, 'missing dimensions' as problem
from {{ ref('dim_country') }} as c
left join {{ ref('mart_physical_chain__concentration') }} as m using (country_iso2)
group by c.country_iso2
having count(m.dimension) <> 7
union all
select country_iso2, 'landlocked cable dimension reads ' || supply_status
from {{ ref('mart_physical_chain__concentration') }}
where is_landlocked
    and dimension in ('cable_systems', 'cable_owners', 'landing_stations')
    and (supply_status <> 'landlocked' or is_single_point_of_failure)
