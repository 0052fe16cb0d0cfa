-- Every layer membership of every canonical organisation: the curator's from
-- the registry, the sources' (an organisation that operates a facility, a
-- cloud region, an IXP, a cable landing or a GPU cluster in LatAm sits in that
-- hardware sub-layer: int_organization_presence_sites) and the rules' from
-- classification, mapped through entity resolution. Where several speak for
-- the same layer the curator's wins, then the source's, then the rule's; among
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

present as (
    select
        organization_id,
        layer_code,
        sub_layer_code,
        'source' as assigned_by,
        'reported' as confidence,
        min(evidence_url) as evidence_url,
        'presence: ' || string_agg(distinct presence_kind || ' (' || source_name || ')', ', '
            order by presence_kind || ' (' || source_name || ')') as evidence_publication,
        max(as_of) as evidence_date,
        cast(null as varchar[]) as evidence_rules,
        false as has_ai_signal,
        max(snapshot_id) as snapshot_id,
        max(retrieved_at) as retrieved_at
    from {{ ref('int_organization_presence_sites') }}
    where layer_code is not null and site_status <> 'decommissioned'
    group by 1, 2, 3
),

unioned as (
    select * from curated
    union all
    select * from present
    union all
    select * from ruled
)

select *
from unioned
qualify row_number() over (
    partition by organization_id, layer_code, sub_layer_code
    order by case assigned_by when 'curator' then 0 when 'source' then 1 else 2 end, has_ai_signal desc nulls last, evidence_publication
) = 1
