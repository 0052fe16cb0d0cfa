-- Every layer membership of every canonical organisation: the curator's from
-- the registry and the rules' from classification, mapped through entity
-- resolution. Where both speak for the same layer, the curator's wins; among
-- rule rows, one whose record shows an AI signal wins (so an organisation's
-- has_ai_signal does not depend on which of its records comes first).
with resolved as (
    select record_key, organization_id from {{ ref('int_organizations_resolved') }}
),

curated as (
    select
        r.organization_id,
        m.layer_code,
        m.sub_layer_code,
        'curator' as assigned_by,
        m.confidence,
        m.evidence_url,
        m.evidence_publication,
        m.evidence_date,
        cast(null as varchar[]) as evidence_rules,
        true as has_ai_signal,
        m.snapshot_id,
        m.retrieved_at
    from {{ ref('stg_curated_registry__organization_layers') }} as m
    inner join resolved as r on r.record_key = 'curated_registry:' || m.organization_id
),

ruled as (
    select
        r.organization_id,
        c.layer_code,
        c.sub_layer_code,
        'rule' as assigned_by,
        'estimated' as confidence,
        cast(null as varchar) as evidence_url,
        'layer_rules: ' || array_to_string(c.evidence_rules, ', ') as evidence_publication,
        cast(null as date) as evidence_date,
        c.evidence_rules,
        c.has_ai_signal,
        cast(null as varchar) as snapshot_id,
        cast(null as timestamptz) as retrieved_at
    from {{ ref('int_organization_layers_classified') }} as c
    inner join resolved as r using (record_key)
),

unioned as (
    select * from curated
    union all
    select * from ruled
)

select *
from unioned
qualify row_number() over (
    partition by organization_id, layer_code, sub_layer_code
    order by case assigned_by when 'curator' then 0 else 1 end, has_ai_signal desc nulls last, evidence_publication
) = 1
