-- Where each cable lands: one row per cable and landing point (LatAm ends and
-- their far ends alike; filter on is_latam).
select
    l.cable_id || '@' || l.landing_point_id as cable_landing_id,
    l.cable_id,
    c.cable_name,
    l.landing_point_id,
    lp.landing_point_name,
    lp.country_name,
    lp.country_iso2,
    lp.is_latam,
    lp.latitude,
    lp.longitude,
    l.is_tbd,
    c.rfs_year,
    c.is_planned,
    {{ select_provenance('l') }}
from {{ ref('stg_telegeography__cable_landings') }} as l
inner join {{ ref('stg_telegeography__cables') }} as c using (cable_id)
inner join {{ ref('stg_telegeography__landing_points') }} as lp using (landing_point_id)
