-- Which organisations count in which LatAm country and layer, under both
-- views, and which view the country x layer marts use (the counting rule):
--   * hardware & physical infrastructure counts an organisation where its
--     capacity sits: a country where it has an operating site (facility,
--     cloud region, IXP, cable landing in service, GPU cluster; planned,
--     announced and decommissioned sites left out), or its headquarters when
--     no source gives it any operating site;
--   * every other layer counts an organisation in the country of its
--     headquarters.
-- One row per organisation, country, layer and sub-layer (the empty string for
-- a whole-layer membership), with a flag per view.
with presence as (
    select
        organization_id,
        country_iso2,
        layer_code,
        coalesce(sub_layer_code, '') as sub_layer_code,
        presence_kind,
        site_statuses
    from {{ ref('bridge_organization_presence') }}
    where is_latam
),

has_site as (
    select distinct organization_id, layer_code
    from {{ ref('bridge_organization_presence') }}
    where presence_kind <> 'headquarters' and list_contains(site_statuses, 'operating')
),

flags as (
    select
        p.organization_id,
        p.country_iso2,
        p.layer_code,
        p.sub_layer_code,
        bool_or(p.presence_kind = 'headquarters') as by_headquarters,
        bool_or(p.presence_kind <> 'headquarters' and list_contains(p.site_statuses, 'operating')) as by_presence
    from presence as p
    group by 1, 2, 3, 4
)

select
    f.organization_id || '|' || f.country_iso2 || '|' || f.layer_code || '/' || f.sub_layer_code
        as organization_country_layer_id,
    f.organization_id,
    f.country_iso2,
    f.layer_code,
    nullif(f.sub_layer_code, '') as sub_layer_code,
    f.by_headquarters,
    f.by_presence,
    case
        when f.layer_code = 'hardware_infrastructure'
            then f.by_presence or (f.by_headquarters and s.organization_id is null)
        else f.by_headquarters
    end as is_counted,
    case when f.layer_code = 'hardware_infrastructure' then 'presence' else 'headquarters' end as counting_rule
from flags as f
left join has_site as s on s.organization_id = f.organization_id and s.layer_code = f.layer_code
