-- PeeringDB colocation facilities in LatAm with their operator.
select
    f.facility_id,
    f.facility_name,
    f.operator_org_id,
    coalesce(o.org_name, f.operator_name) as operator_name,
    o.country_iso2 as operator_country_iso2,
    f.campus_id,
    f.country_iso2,
    f.city,
    f.state,
    f.address,
    f.latitude,
    f.longitude,
    f.net_count,
    f.ix_count,
    f.carrier_count,
    f.website,
    f.status,
    f.updated_at,
    {{ select_provenance('f') }}
from {{ ref('stg_peeringdb__facilities') }} as f
left join {{ ref('stg_peeringdb__organizations') }} as o
    on o.org_id = f.operator_org_id
inner join {{ ref('dim_country') }} as c
    on c.country_iso2 = f.country_iso2
where f.status = 'ok'
