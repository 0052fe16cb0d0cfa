-- Where each organisation operates: one row per organisation, country, layer
-- (and sub-layer) and kind of presence, with its evidence. Sites (facilities,
-- IXPs, cloud regions, cable landings, GPU clusters, TOP500 systems, registry
-- sites) come from int_organization_presence_sites and sit in the hardware
-- sub-layer their kind implies; a headquarters (and a registry office) is
-- present in every layer the organisation is a member of.
with sites as (
    select * from {{ ref('int_organization_presence_sites') }}
),

memberships as (
    select organization_id, layer_code, sub_layer_code
    from {{ ref('bridge_organization_layers') }}
),

site_rows as (
    select
        organization_id,
        country_iso2,
        layer_code,
        sub_layer_code,
        presence_kind,
        {{ distinct_sites() }} as site_count,
        {{ distinct_sites("site_status = 'operating'") }} as operating_site_count,
        list_sort(list_distinct(list(site_name))) as sites,
        list_sort(list_distinct(list(site_status))) as site_statuses,
        list_sort(list_distinct(list(source_name) filter (where source_name is not null))) as source_names,
        list_sort(list_distinct(list(snapshot_id) filter (where snapshot_id is not null))) as snapshot_ids,
        list_sort(list_distinct(list(evidence_url) filter (where evidence_url is not null))) as evidence_urls,
        max(as_of) as latest_as_of
    from sites
    where layer_code is not null
    group by 1, 2, 3, 4, 5
),

-- offices and headquarters the registry lists, in every layer of the organisation
office_rows as (
    select
        s.organization_id,
        s.country_iso2,
        m.layer_code,
        m.sub_layer_code,
        s.presence_kind,
        count(distinct s.site_key) as site_count,
        count(distinct s.site_key) as operating_site_count,
        list_sort(list_distinct(list(s.site_name) filter (where s.site_name is not null))) as sites,
        ['operating'] as site_statuses,
        list_sort(list_distinct(list(s.source_name) filter (where s.source_name is not null))) as source_names,
        list_sort(list_distinct(list(s.snapshot_id) filter (where s.snapshot_id is not null))) as snapshot_ids,
        list_sort(list_distinct(list(s.evidence_url) filter (where s.evidence_url is not null))) as evidence_urls,
        max(s.as_of) as latest_as_of
    from sites as s
    inner join memberships as m using (organization_id)
    where s.layer_code is null and s.presence_kind <> 'headquarters'
    group by 1, 2, 3, 4, 5
),

headquarters as (
    select
        d.organization_id,
        d.hq_country_iso2 as country_iso2,
        m.layer_code,
        m.sub_layer_code,
        'headquarters' as presence_kind,
        1 as site_count,
        1 as operating_site_count,
        list_filter([d.hq_city], lambda x: x is not null) as sites,
        ['operating'] as site_statuses,
        d.sources as source_names,
        cast([] as varchar[]) as snapshot_ids,
        d.source_urls as evidence_urls,
        cast(null as date) as latest_as_of
    from {{ ref('dim_organizations') }} as d
    inner join memberships as m using (organization_id)
    where d.hq_country_iso2 is not null
),

unioned as (
    select * from site_rows
    union all
    select * from office_rows
    union all
    select * from headquarters
)

select
    organization_id || '|' || country_iso2 || '|' || layer_code || coalesce('/' || sub_layer_code, '') || '|'
        || presence_kind as presence_id,
    organization_id,
    country_iso2,
    country_iso2 in (select country_iso2 from {{ ref('dim_country') }}) as is_latam,
    layer_code,
    sub_layer_code,
    presence_kind,
    cast(site_count as bigint) as site_count,
    cast(operating_site_count as bigint) as operating_site_count,
    sites,
    site_statuses,
    source_names,
    snapshot_ids,
    evidence_urls,
    latest_as_of
from unioned
