-- Where each organisation is present, one row per site a source names: the
-- facilities and IXPs PeeringDB says it operates, the cloud regions of its
-- provider code, the LatAm landings of the cables TeleGeography says it owns,
-- the GPU clusters Epoch says it owns, the TOP500 systems at its site, the
-- data-center sites and GPU deployments of the registry, and the registry's
-- own presence list (stg_curated_registry__organization_presence). Organisations come from entity resolution (the source
-- record that names the owner), so a discovered organisation is present too.
-- The hardware sub-layer follows from the kind of site; an office or a
-- headquarters has none (bridge_organization_presence gives it the
-- organisation's layers).
with resolved as (
    select record_key, organization_id from {{ ref('int_organizations_resolved') }}
),

latam as (
    select iso2 as country_iso2 from {{ ref('latam_countries') }}
),

facilities as (
    select
        r.organization_id,
        f.country_iso2,
        'hardware_infrastructure' as layer_code,
        'data_centers' as sub_layer_code,
        'facility' as presence_kind,
        'peeringdb:fac:' || f.facility_id as site_key,
        f.facility_name as site_name,
        f.city,
        'operating' as site_status,
        cast(null as double) as mw,
        cast(null as double) as h100_equivalents,
        'reported' as confidence,
        cast(null as date) as as_of,
        f.source_name,
        f.snapshot_id,
        f.retrieved_at,
        f.record_url as evidence_url
    from {{ ref('stg_peeringdb__facilities') }} as f
    inner join latam using (country_iso2)
    inner join resolved as r on r.record_key = 'peeringdb:' || f.operator_org_id
    where f.status = 'ok'
),

ixps as (
    select
        r.organization_id,
        x.country_iso2,
        'hardware_infrastructure',
        'connectivity',
        'ixp',
        'peeringdb:ix:' || x.ix_id,
        x.ix_name,
        x.city,
        'operating',
        cast(null as double),
        cast(null as double),
        'reported',
        cast(null as date),
        x.source_name,
        x.snapshot_id,
        x.retrieved_at,
        x.record_url
    from {{ ref('stg_peeringdb__internet_exchanges') }} as x
    inner join latam using (country_iso2)
    inner join resolved as r on r.record_key = 'peeringdb:' || x.operator_org_id
    where x.status = 'ok'
),

cloud_regions as (
    -- regions and AWS Local Zones; the provider code names the organisation (cloud_providers seed)
    select
        r.organization_id,
        c.country_iso2,
        'hardware_infrastructure',
        'cloud',
        'cloud_region',
        'cloud:' || c.provider || ':' || c.region_code,
        c.region_code || coalesce(' (' || c.region_name || ')', ''),
        c.city,
        case when c.status in ('ga', 'preview') then 'operating' else 'announced' end,
        cast(null as double),
        cast(null as double),
        'reported',
        cast(null as date),
        coalesce(c.source_name, 'cloud_region_catalogue'),
        c.snapshot_id,
        c.retrieved_at,
        coalesce(c.record_url, c.catalogue_source_url)
    from {{ ref('int_cloud_regions_catalogued') }} as c
    inner join latam using (country_iso2)
    inner join resolved as r on r.record_key = 'cloud_provider:' || c.provider
),

cable_landings as (
    select
        r.organization_id,
        lp.country_iso2,
        'hardware_infrastructure',
        'connectivity',
        'cable_landing',
        'telegeography:' || l.cable_id || '@' || l.landing_point_id,
        c.cable_name || ' at ' || lp.landing_point_name,
        lp.landing_point_name,
        case when c.is_planned then 'planned' else 'operating' end,
        cast(null as double),
        cast(null as double),
        'reported',
        cast(null as date),
        c.source_name,
        c.snapshot_id,
        c.retrieved_at,
        c.record_url
    from {{ ref('stg_telegeography__cables') }} as c
    cross join unnest(c.owners) as t(owner_name)
    inner join {{ ref('stg_telegeography__cable_landings') }} as l on l.cable_id = c.cable_id
    inner join {{ ref('stg_telegeography__landing_points') }} as lp on lp.landing_point_id = l.landing_point_id
    inner join resolved as r on r.record_key = 'telegeography:' || t.owner_name
    where lp.is_latam
),

clusters as (
    select
        r.organization_id,
        g.country_iso2,
        'hardware_infrastructure',
        'gpu_compute',
        'cluster',
        'epoch:' || g.cluster_name || '@' || g.country_iso2,
        g.cluster_name,
        g.location,
        case
            when g.decommissioned_date is not null or lower(g.status) = 'decommissioned' then 'decommissioned'
            when lower(g.status) = 'existing' then 'operating'
            else 'planned'
        end,
        g.power_mw,
        g.h100_equivalents,
        coalesce(lower(g.certainty), 'reported'),
        g.first_operational_date,
        g.source_name,
        g.snapshot_id,
        g.retrieved_at,
        g.record_url
    from {{ ref('int_gpu_clusters_by_country') }} as g
    cross join unnest(string_split(g.owner, ',')) as t(raw_owner)
    inner join resolved as r on r.record_key = 'epoch_cluster_owner:' || trim(t.raw_owner)
    inner join latam on latam.country_iso2 = g.country_iso2
),

supercomputers as (
    -- the latest TOP500 list loaded: a system that left the list is no longer there
    select
        r.organization_id,
        s.country_iso2,
        'hardware_infrastructure',
        'gpu_compute',
        'cluster',
        'top500:' || s.list_edition || '#' || s.rank,
        s.system_name,
        cast(null as varchar),
        'operating',
        s.power_kw / 1000.0,
        cast(null as double),
        'reported',
        cast(null as date),
        s.source_name,
        s.snapshot_id,
        s.retrieved_at,
        s.record_url
    from {{ ref('stg_top500__systems') }} as s
    inner join resolved as r on r.record_key = 'top500:' || coalesce(cast(s.site_id as varchar), s.site)
    where s.is_latam
        and s.list_edition = (select max(list_edition) from {{ ref('stg_top500__systems') }})
),

registry_capacity as (
    -- the registry's data-center sites; several announcements of one site stay several rows here
    -- (fct_organization_sites keeps the latest per site and status)
    select
        r.organization_id,
        a.country_iso2,
        'hardware_infrastructure',
        'data_centers',
        'facility',
        'registry:' || a.organization_id || ':' || a.site,
        a.site,
        a.city,
        a.status,
        a.mw,
        cast(null as double),
        coalesce(a.confidence, 'reported'),
        coalesce(a.as_of, a.source_date),
        a.source_name,
        a.snapshot_id,
        a.retrieved_at,
        coalesce(a.source_url, a.record_url)
    from {{ ref('stg_curated_registry__capacity_announcements') }} as a
    inner join resolved as r on r.record_key = 'curated_registry:' || a.organization_id
    where a.country_iso2 is not null
),

registry_gpus as (
    select
        r.organization_id,
        d.country_iso2,
        'hardware_infrastructure',
        'gpu_compute',
        'cluster',
        'registry:' || d.organization_id || ':gpus:' || coalesce(d.site, cast(d.deployment_index as varchar)),
        coalesce(d.site, d.gpu_model || ' deployment'),
        cast(null as varchar),
        coalesce(d.status, 'operating'),
        cast(null as double),
        cast(null as double),
        coalesce(d.confidence, 'reported'),
        coalesce(d.as_of, d.source_date),
        d.source_name,
        d.snapshot_id,
        d.retrieved_at,
        coalesce(d.source_url, d.record_url)
    from {{ ref('stg_curated_registry__gpu_deployments') }} as d
    inner join resolved as r on r.record_key = 'curated_registry:' || d.organization_id
    where d.country_iso2 is not null
),

registry_presence as (
    -- the registry's own presence list: where a curator cites an organisation's office, facility, cloud region,
    -- cable landing or cluster (a headquarters there is the organisation's record's, read in the bridge)
    select
        r.organization_id,
        p.country_code,
        case when p.presence_kind in ('facility', 'cloud_region', 'cable_landing', 'cluster')
            then 'hardware_infrastructure' end,
        case p.presence_kind
            when 'facility' then 'data_centers'
            when 'cloud_region' then 'cloud'
            when 'cable_landing' then 'connectivity'
            when 'cluster' then 'gpu_compute'
        end,
        p.presence_kind,
        'registry:' || p.organization_id || ':presence:' || p.presence_index,
        coalesce(p.note, p.city, p.presence_kind || ' in ' || p.country_code),
        p.city,
        'operating',
        cast(null as double),
        cast(null as double),
        'reported',
        p.source_date,
        p.source_name,
        p.snapshot_id,
        p.retrieved_at,
        coalesce(p.source_url, p.record_url)
    from {{ ref('stg_curated_registry__organization_presence') }} as p
    inner join resolved as r on r.record_key = 'curated_registry:' || p.organization_id
    where p.country_code is not null and p.presence_kind <> 'headquarters'
        -- a region the provider's catalogue already places in the country is the same region, not a second one
        and not (p.presence_kind = 'cloud_region' and exists (
            select 1 from cloud_regions as c
            where c.organization_id = r.organization_id and c.country_iso2 = p.country_code
        ))
)

select * from facilities
union all select * from ixps
union all select * from cloud_regions
union all select * from cable_landings
union all select * from clusters
union all select * from supercomputers
union all select * from registry_capacity
union all select * from registry_gpus
union all select * from registry_presence
