-- Submarine cables with at least one landing in LatAm (TeleGeography).
with landings as (
    select
        l.cable_id,
        count(*) filter (where lp.is_latam) as latam_landing_count,
        list_sort(list_distinct(list(lp.country_iso2) filter (where lp.is_latam))) as latam_countries
    from {{ ref('stg_telegeography__cable_landings') }} as l
    inner join {{ ref('stg_telegeography__landing_points') }} as lp using (landing_point_id)
    group by l.cable_id
)

select
    c.cable_id,
    c.cable_name,
    c.length_km,
    c.owners,
    c.suppliers,
    c.rfs_year,
    c.is_planned,
    c.landing_point_count,
    coalesce(landings.latam_landing_count, 0) as latam_landing_count,
    landings.latam_countries,
    c.website,
    {{ select_provenance('c') }}
from {{ ref('stg_telegeography__cables') }} as c
left join landings using (cable_id)
