-- Who depends on whom, between organisations: the curator's dependencies
-- (runs on whose cloud or data center, builds on whose model, partners with or
-- is owned by whom) and the ones the sources state: a model built on another
-- organisation's model (Epoch's base model, the Hub's base_model tags) makes
-- its builder depend on the base model's organisation (builds_on). Where the
-- curator and a source state the same dependency, the curator's row is kept.
-- Sites (a cloud region's provider, a facility's operator, a cable's owners, a
-- cluster's owner) are in fct_dependency_edges.
with curated as (
    select
        from_organization_id,
        to_organization_id,
        dependency_kind,
        note,
        source_url,
        source_publication,
        source_date,
        'curated' as derivation,
        source_name,
        snapshot_id,
        retrieved_at
    from {{ ref('stg_curated_registry__organization_dependencies') }}
),

derived as (
    select
        builder_organization_id as from_organization_id,
        base_organization_id as to_organization_id,
        'builds_on' as dependency_kind,
        string_agg(distinct model_name || ' on ' || base_model_name, '; ' order by model_name || ' on ' || base_model_name)
            as note,
        min(evidence_url) as source_url,
        cast(null as varchar) as source_publication,
        cast(null as date) as source_date,
        case source_name when 'huggingface' then 'huggingface_base_model' else 'epoch_base_model' end as derivation,
        source_name,
        max(snapshot_id) as snapshot_id,
        max(retrieved_at) as retrieved_at
    from {{ ref('int_model_lineage') }}
    where builder_organization_id is not null
        and base_organization_id is not null
        and builder_organization_id <> base_organization_id
    group by 1, 2, 3, 8, 9
),

unioned as (
    select * from curated
    union all
    select * from derived
)

select
    from_organization_id || '>' || dependency_kind || '>' || to_organization_id as dependency_id,
    from_organization_id,
    to_organization_id,
    dependency_kind,
    note,
    source_url,
    source_publication,
    source_date,
    derivation,
    source_name,
    snapshot_id,
    retrieved_at
from unioned
qualify row_number() over (
    partition by from_organization_id, dependency_kind, to_organization_id
    order by case derivation when 'curated' then 0 else 1 end, source_name
) = 1
