-- How concentrated each country's physical chain is: one row per LatAm country
-- and dimension (facility operators, colocation MW, cloud providers, cable
-- systems, cable owners, landing stations, IXPs), with the number of units,
-- the HHI (0-10,000) and top-3 share of the dimension's measure, and whether
-- the country hangs on a single unit. Every country has every dimension: a
-- country with no unit gets a row saying so, and a landlocked country (BO, PY)
-- says "landlocked" for the three cable dimensions rather than disappearing or
-- reading as a single point of failure.
{% set landlocked = ['BO', 'PY'] %}
with units as (
    -- facility operators: PeeringDB's facilities per operator (one inventory, so no site counted twice)
    select f.country_iso2, 'facility_operators' as dimension, 'facilities' as measure,
           coalesce(d.organization_name, f.operator_name) as unit_name, count(*) * 1.0 as value
    from {{ ref('fct_facilities') }} as f
    left join {{ ref('int_organizations_resolved') }} as r on r.record_key = 'peeringdb:' || f.operator_org_id
    left join {{ ref('dim_organizations') }} as d on d.organization_id = r.organization_id
    group by 1, 2, 3, 4

    union all
    -- colocation MW: operating MW per operator, latest figure per site, in the site's country
    select s.country_iso2, 'colocation_mw', 'operating MW', d.organization_name, sum(s.mw)
    from {{ ref('fct_organization_sites') }} as s
    inner join {{ ref('dim_organizations') }} as d using (organization_id)
    where s.sub_layer_code = 'data_centers' and s.site_status = 'operating' and s.mw > 0
    group by 1, 2, 3, 4

    union all
    -- cloud providers: generally available regions and Local Zones per provider
    select s.country_iso2, 'cloud_providers', 'cloud regions and zones', d.organization_name, count(*)
    from {{ ref('fct_organization_sites') }} as s
    inner join {{ ref('dim_organizations') }} as d using (organization_id)
    where s.presence_kind = 'cloud_region' and s.site_status = 'operating'
    group by 1, 2, 3, 4

    union all
    -- cable systems: landings of each cable in service in the country
    select country_iso2, 'cable_systems', 'landings', cable_name, count(*)
    from {{ ref('fct_cable_landings') }}
    where is_latam and not coalesce(is_planned, false)
    group by 1, 2, 3, 4

    union all
    -- cable owners: each cable in service landing in the country, split evenly between its owners
    select
        l.country_iso2, 'cable_owners', 'cables (owner share)', coalesce(d.organization_name, t.owner_name),
        sum(1.0 / len(c.owners))
    from (
        select distinct cable_id, country_iso2 from {{ ref('fct_cable_landings') }}
        where is_latam and not coalesce(is_planned, false)
    ) as l
    inner join {{ ref('stg_telegeography__cables') }} as c using (cable_id)
    cross join unnest(c.owners) as t(owner_name)
    left join {{ ref('int_organizations_resolved') }} as r on r.record_key = 'telegeography:' || t.owner_name
    left join {{ ref('dim_organizations') }} as d on d.organization_id = r.organization_id
    group by 1, 2, 3, 4

    union all
    -- landing stations: cables in service landing at each station
    select country_iso2, 'landing_stations', 'cables landing', landing_point_name, count(distinct cable_id)
    from {{ ref('fct_cable_landings') }}
    where is_latam and not coalesce(is_planned, false)
    group by 1, 2, 3, 4

    union all
    -- IXPs: networks connected at each exchange
    select country_iso2, 'ixps', 'networks', ix_name, coalesce(net_count, 0)
    from {{ ref('fct_internet_exchanges') }}
),

dimensions as (
    select * from (values
        (1, 'facility_operators', 'facilities', false),
        (2, 'colocation_mw', 'operating MW', false),
        (3, 'cloud_providers', 'cloud regions and zones', false),
        (4, 'cable_systems', 'landings', true),
        (5, 'cable_owners', 'cables (owner share)', true),
        (6, 'landing_stations', 'cables landing', true),
        (7, 'ixps', 'networks', false)
    ) as t(dimension_order, dimension, measure, needs_coast)
),

shares as (
    select
        *,
        value / nullif(sum(value) over (partition by country_iso2, dimension), 0) as share,
        row_number() over (partition by country_iso2, dimension order by value desc, unit_name) as unit_rank
    from units
),

agg as (
    select
        country_iso2,
        dimension,
        count(*) as unit_count,
        sum(value) as measure_total,
        round(10000 * sum(share * share), 1) as hhi,
        sum(share) filter (where unit_rank <= 3) as top3_share,
        max(share) as largest_share,
        list(unit_name order by unit_rank)[1:3] as largest_units
    from shares
    group by 1, 2
)

select
    c.country_iso2 || ':' || dm.dimension as country_dimension_id,
    c.country_iso2,
    c.name_en as country_name,
    dm.dimension,
    dm.dimension_order,
    dm.measure,
    c.country_iso2 in ('{{ landlocked | join("', '") }}') as is_landlocked,
    coalesce(a.unit_count, 0) as unit_count,
    coalesce(a.measure_total, 0) as measure_total,
    a.hhi,
    a.top3_share,
    a.largest_share,
    coalesce(a.largest_units, cast([] as varchar[])) as largest_units,
    case
        when dm.needs_coast and c.country_iso2 in ('{{ landlocked | join("', '") }}') then 'landlocked'
        when coalesce(a.unit_count, 0) = 0 then 'none'
        when a.unit_count = 1 then 'single'
        else 'several'
    end as supply_status,
    coalesce(a.unit_count, 0) = 1 as is_single_point_of_failure
from {{ ref('dim_country') }} as c
cross join dimensions as dm
left join agg as a on a.country_iso2 = c.country_iso2 and a.dimension = dm.dimension
