-- Upstream and downstream of every organisation: one row per organisation,
-- counterpart organisation, kind of dependency and direction. Upstream rows
-- are what the organisation depends on (its cloud, its base-model provider,
-- its owner); downstream rows are who depends on it. From
-- fct_organization_dependencies (the curator's and the sources' builds_on).
with deps as (
    select * from {{ ref('fct_organization_dependencies') }}
),

directed as (
    select from_organization_id as organization_id, to_organization_id as counterpart_id, dependency_kind,
           'upstream' as direction, derivation, source_url, source_name
    from deps
    union all
    select to_organization_id, from_organization_id, dependency_kind, 'downstream', derivation, source_url,
           source_name
    from deps
)

select
    d.organization_id || '|' || d.direction || '|' || d.dependency_kind || '|' || d.counterpart_id
        as organization_dependency_id,
    d.organization_id,
    o.organization_name,
    o.hq_country_iso2,
    d.direction,
    d.dependency_kind,
    d.counterpart_id as counterpart_organization_id,
    c.organization_name as counterpart_name,
    c.hq_country_iso2 as counterpart_hq_country_iso2,
    c.is_latam as counterpart_is_latam,
    o.hq_country_iso2 is distinct from c.hq_country_iso2 as crosses_border,
    coalesce(ol.layer_codes, cast([] as varchar[])) as layer_codes,
    coalesce(cl.layer_codes, cast([] as varchar[])) as counterpart_layer_codes,
    d.derivation,
    d.source_name,
    d.source_url as evidence_url
from directed as d
inner join {{ ref('dim_organizations') }} as o on o.organization_id = d.organization_id
inner join {{ ref('dim_organizations') }} as c on c.organization_id = d.counterpart_id
left join (
    select organization_id, list_sort(list_distinct(list(layer_code))) as layer_codes
    from {{ ref('bridge_organization_layers') }} group by 1
) as ol on ol.organization_id = d.organization_id
left join (
    select organization_id, list_sort(list_distinct(list(layer_code))) as layer_codes
    from {{ ref('bridge_organization_layers') }} group by 1
) as cl on cl.organization_id = d.counterpart_id
