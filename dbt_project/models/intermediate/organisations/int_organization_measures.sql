-- Size measures per canonical organisation, for the layer marts and the
-- concentration measures of mart_value_chain__country_layer.
with models as (
    select organization_id, count(*) as model_count, max(parameters) as max_parameters,
           max(release_date) as latest_model_date, cast(sum(downloads_30d) as bigint) as hub_downloads_30d
    from {{ ref('fct_models') }}
    group by 1
),

capacity as (
    -- the latest figure of each site (mart_capacity__organization_country), over the organisation's LatAm
    -- countries; a "claimed" figure (a site's stated potential) is not pipeline: it would swamp the rest
    select organization_id,
           sum(datacenter_mw_operating) as datacenter_mw_operating,
           sum(datacenter_mw_pipeline) as datacenter_mw_pipeline
    from {{ ref('mart_capacity__organization_country') }}
    group by 1
),

research as (
    select r.organization_id, cast(sum(i.ai_works) as bigint) as ai_works
    from {{ ref('stg_openalex__institutions') }} as i
    inner join {{ ref('int_organizations_resolved') }} as r on r.record_key = 'openalex:' || i.institution_id
    where i.is_domestic
    group by 1
),

gpus as (
    select organization_id, cast(sum(gpu_count) as bigint) as gpu_count
    from {{ ref('stg_curated_registry__gpu_deployments') }}
    group by 1
)

select
    d.organization_id,
    d.team_size,
    coalesce(m.model_count, 0) as model_count,
    m.max_parameters,
    m.latest_model_date,
    m.hub_downloads_30d,
    coalesce(c.datacenter_mw_operating, 0) as datacenter_mw_operating,
    coalesce(c.datacenter_mw_pipeline, 0) as datacenter_mw_pipeline,
    coalesce(c.datacenter_mw_operating, 0) + coalesce(c.datacenter_mw_pipeline, 0) as datacenter_mw_total,
    coalesce(g.gpu_count, 0) as gpu_count,
    coalesce(rs.ai_works, 0) as ai_works
from {{ ref('dim_organizations') }} as d
left join models as m using (organization_id)
left join capacity as c using (organization_id)
left join gpus as g using (organization_id)
left join research as rs using (organization_id)
