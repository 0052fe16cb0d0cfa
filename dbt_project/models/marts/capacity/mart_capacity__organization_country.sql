-- Physical capacity per organisation and LatAm country: how many sites of each
-- kind it has there and how much MW and H100-equivalents they hold, from the
-- latest figure of each site (fct_organization_sites). Operating and pipeline
-- are kept apart; a "claimed" potential is never pipeline; nothing is summed
-- across countries or across a site's dates.
--
-- Facilities come from two sources that do not link their sites to each other: PeeringDB's facilities and the
-- registry's data-center sites. One building listed by both would count twice, so facility_count is the larger of
-- the two counts (a lower bound on distinct sites; macro facility_count), with each source's own count beside it.
with sites as (
    select * from {{ ref('fct_organization_sites') }}
)

select
    s.organization_id || '|' || s.country_iso2 as organization_country_id,
    s.organization_id,
    d.organization_name,
    s.country_iso2,
    {{ facility_count("s.presence_kind = 'facility'") }} as facility_count,
    count(distinct s.site_key) filter (where s.presence_kind = 'facility' and s.site_key like 'peeringdb:%')
        as peeringdb_facility_count,
    count(distinct s.site_key) filter (where s.presence_kind = 'facility' and s.site_key not like 'peeringdb:%')
        as registry_facility_count,
    count(distinct s.site_key) filter (where s.presence_kind = 'cloud_region') as cloud_region_count,
    count(distinct s.site_key) filter (where s.presence_kind = 'cable_landing') as cable_landing_count,
    count(distinct s.site_key) filter (where s.presence_kind = 'ixp') as ixp_count,
    count(distinct s.site_key) filter (where s.presence_kind = 'cluster' and s.site_status = 'operating')
        as operating_cluster_count,
    coalesce(sum(s.mw) filter (where s.sub_layer_code = 'data_centers' and s.site_status = 'operating'), 0)
        as datacenter_mw_operating,
    coalesce(sum(s.mw) filter (
        where s.sub_layer_code = 'data_centers' and s.site_status not in ('operating', 'decommissioned')
            and coalesce(s.confidence, '') <> 'claimed'
    ), 0) as datacenter_mw_pipeline,
    coalesce(sum(s.h100_equivalents) filter (where s.presence_kind = 'cluster' and s.site_status = 'operating'), 0)
        as h100_equivalents_operating,
    list_sort(list_distinct(list(s.source_name) filter (where s.source_name is not null))) as source_names
from sites as s
inner join {{ ref('dim_country') }} using (country_iso2)
inner join {{ ref('dim_organizations') }} as d using (organization_id)
group by s.organization_id, d.organization_name, s.country_iso2
