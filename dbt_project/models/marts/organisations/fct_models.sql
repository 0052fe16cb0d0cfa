-- AI models built in LatAm: Epoch's notable models whose organisation is in
-- LatAm, and the public Hub models of the registry's organisations.
with epoch as (
    select
        'epoch:' || m.model_name as model_key,
        m.model_name,
        'epoch_notable_models' as source_name,
        r.organization_id,
        m.organization_name as organization_text,
        m.country_iso2s[1] as country_iso2,
        m.publication_date as release_date,
        m.parameters,
        m.training_compute_flop,
        m.model_accessibility as openness,
        m.domains,
        cast(null as bigint) as downloads_30d,
        cast(null as bigint) as likes,
        m.snapshot_id,
        m.retrieved_at,
        m.record_url
    from {{ ref('stg_epoch_notable_models__models') }} as m
    left join {{ ref('int_organizations_resolved') }} as r
        on r.record_key = 'epoch:' || trim(split_part(m.organization_name, ',', 1))
),

hub as (
    select
        'huggingface:' || h.model_id as model_key,
        h.model_id as model_name,
        'huggingface' as source_name,
        h.organization_id,
        h.hub_handle as organization_text,
        d.hq_country_iso2 as country_iso2,
        cast(h.created_at as date) as release_date,
        cast(null as double) as parameters,
        cast(null as double) as training_compute_flop,
        case when h.is_gated then 'open weights (gated)' else 'open weights' end as openness,
        list_filter([h.pipeline_tag], lambda x: x is not null) as domains,
        h.downloads_30d,
        h.likes,
        h.snapshot_id,
        h.retrieved_at,
        h.record_url
    from {{ ref('stg_huggingface__models') }} as h
    left join {{ ref('dim_organizations') }} as d using (organization_id)
)

select * from epoch
union all
select * from hub
