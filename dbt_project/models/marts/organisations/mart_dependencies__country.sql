-- Which providers each LatAm country depends on, and whether they are
-- foreign: one row per country, provider organisation and kind of
-- dependency. Two kinds of evidence:
--   * organisations headquartered in the country that depend on the provider
--     (fct_organization_dependencies: an application building on a model
--     provider, a startup running on a cloud), with their layers, so one can
--     ask which LatAm applications build on which model providers;
--   * the provider's own infrastructure in the country (fct_organization_sites,
--     operating sites): its cloud regions, facilities, IXPs, cable landings and
--     GPU clusters there -- the country's capacity that a foreign firm holds.
with org_deps as (
    select
        o.hq_country_iso2 as country_iso2,
        d.to_organization_id as provider_organization_id,
        d.dependency_kind,
        count(distinct d.from_organization_id) as dependent_organization_count,
        list_sort(list_distinct(list(o.organization_name))) as dependent_organizations,
        list_sort(list_distinct(flatten(list(coalesce(l.layer_codes, cast([] as varchar[])))))) as dependent_layer_codes,
        cast(0 as bigint) as site_count,
        list_sort(list_distinct(list(d.source_name) filter (where d.source_name is not null))) as source_names
    from {{ ref('fct_organization_dependencies') }} as d
    inner join {{ ref('dim_organizations') }} as o on o.organization_id = d.from_organization_id
    left join (
        select organization_id, list_sort(list_distinct(list(layer_code))) as layer_codes
        from {{ ref('bridge_organization_layers') }} group by 1
    ) as l on l.organization_id = d.from_organization_id
    where o.is_latam
    group by 1, 2, 3
),

infrastructure as (
    select
        s.country_iso2,
        s.organization_id as provider_organization_id,
        'hosts_' || s.presence_kind as dependency_kind,
        cast(0 as bigint) as dependent_organization_count,
        cast([] as varchar[]) as dependent_organizations,
        cast([] as varchar[]) as dependent_layer_codes,
        count(distinct s.site_key) as site_count,
        list_sort(list_distinct(list(s.source_name) filter (where s.source_name is not null))) as source_names
    from {{ ref('fct_organization_sites') }} as s
    where s.site_status = 'operating' and s.presence_kind <> 'headquarters'
    group by 1, 2, 3
),

unioned as (
    select * from org_deps
    union all
    select * from infrastructure
)

select
    u.country_iso2 || '|' || u.provider_organization_id || '|' || u.dependency_kind as country_dependency_id,
    u.country_iso2,
    c.name_en as country_name,
    u.provider_organization_id,
    p.organization_name as provider_name,
    p.hq_country_iso2 as provider_hq_country_iso2,
    p.hq_country_iso2 is distinct from u.country_iso2 as is_foreign_provider,
    coalesce(p.is_latam, false) as provider_is_latam,
    u.dependency_kind,
    u.dependent_organization_count,
    u.dependent_organizations,
    u.dependent_layer_codes,
    u.site_count,
    u.source_names
from unioned as u
inner join {{ ref('dim_country') }} as c using (country_iso2)
inner join {{ ref('dim_organizations') }} as p on p.organization_id = u.provider_organization_id
