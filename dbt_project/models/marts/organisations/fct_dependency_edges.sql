-- The dependency graph as one edge list, for graph views: organisation to
-- organisation (fct_organization_dependencies), site to the organisation that
-- operates or owns it (a cloud region to its provider, a facility or IXP to
-- its operator, a cable landing to each of the cable's owners, a GPU cluster
-- or TOP500 system to its owner: fct_organization_sites), and model to its
-- base model and to its builder (int_model_lineage). Nodes are typed
-- (organization, facility, ixp, cloud_region, cable_landing, cluster, model).
with org_edges as (
    select
        'organization' as from_node_kind,
        d.from_organization_id as from_node_id,
        f.organization_name as from_node_name,
        'organization' as to_node_kind,
        d.to_organization_id as to_node_id,
        t.organization_name as to_node_name,
        d.dependency_kind as edge_kind,
        cast(null as varchar) as country_iso2,
        d.derivation,
        d.source_name,
        d.source_url as evidence_url,
        d.snapshot_id
    from {{ ref('fct_organization_dependencies') }} as d
    inner join {{ ref('dim_organizations') }} as f on f.organization_id = d.from_organization_id
    inner join {{ ref('dim_organizations') }} as t on t.organization_id = d.to_organization_id
),

site_edges as (
    select
        s.presence_kind,
        s.site_key,
        any_value(s.site_name),
        'organization',
        s.organization_id,
        any_value(o.organization_name),
        case when s.presence_kind in ('cable_landing', 'cluster') then 'owned_by' else 'operated_by' end,
        any_value(s.country_iso2),
        'source',
        min(s.source_name),
        min(s.evidence_url),
        max(s.snapshot_id)
    from {{ ref('fct_organization_sites') }} as s
    inner join {{ ref('dim_organizations') }} as o using (organization_id)
    group by s.presence_kind, s.site_key, s.organization_id
),

model_edges as (
    select
        'model', model_key, model_name, 'model', base_model_key, base_model_name, 'builds_on', cast(null as varchar),
        'source', source_name, evidence_url, snapshot_id
    from {{ ref('int_model_lineage') }}
    union all
    select
        'model', l.model_key, l.model_name, 'organization', l.builder_organization_id, o.organization_name, 'built_by',
        cast(null as varchar), 'source', l.source_name, l.evidence_url, l.snapshot_id
    from {{ ref('int_model_lineage') }} as l
    inner join {{ ref('dim_organizations') }} as o on o.organization_id = l.builder_organization_id
    union all
    select
        'model', l.base_model_key, l.base_model_name, 'organization', l.base_organization_id, o.organization_name,
        'built_by', cast(null as varchar), 'source', l.source_name, l.evidence_url, l.snapshot_id
    from {{ ref('int_model_lineage') }} as l
    inner join {{ ref('dim_organizations') }} as o on o.organization_id = l.base_organization_id
),

unioned as (
    select * from org_edges
    union all
    select * from site_edges
    union all
    select * from model_edges
)

select
    from_node_kind || ':' || from_node_id || '>' || edge_kind || '>' || to_node_kind || ':' || to_node_id as edge_id,
    *
from unioned
qualify row_number() over (
    partition by from_node_kind, from_node_id, edge_kind, to_node_kind, to_node_id
    order by case derivation when 'curated' then 0 else 1 end, source_name
) = 1
