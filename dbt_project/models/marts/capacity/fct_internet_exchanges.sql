-- PeeringDB internet exchanges (IXPs) in LatAm, with how many facilities each
-- is present in.
with links as (
    select ix_id, count(*) as linked_facility_count
    from {{ ref('stg_peeringdb__ix_facilities') }}
    where status = 'ok'
    group by ix_id
)

select
    ix.ix_id,
    ix.ix_name,
    ix.name_long,
    ix.operator_org_id,
    o.org_name as operator_name,
    ix.country_iso2,
    ix.city,
    ix.media,
    ix.proto_ipv6,
    ix.net_count,
    coalesce(links.linked_facility_count, 0) as linked_facility_count,
    ix.website,
    ix.url_stats,
    ix.status,
    ix.updated_at,
    {{ select_provenance('ix') }}
from {{ ref('stg_peeringdb__internet_exchanges') }} as ix
left join links using (ix_id)
left join {{ ref('stg_peeringdb__organizations') }} as o
    on o.org_id = ix.operator_org_id
inner join {{ ref('dim_country') }} as c
    on c.country_iso2 = ix.country_iso2
where ix.status = 'ok'
