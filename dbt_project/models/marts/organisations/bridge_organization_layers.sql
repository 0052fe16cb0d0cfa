-- Which organisation sits in which layer (and sub-layer), with the evidence of
-- each membership. An organisation may sit in several layers.
select
    m.organization_id || ':' || m.layer_code || coalesce('/' || m.sub_layer_code, '') as membership_id,
    m.organization_id,
    m.layer_code,
    m.sub_layer_code,
    'curator' as assigned_by,
    m.confidence,
    m.evidence_url,
    m.evidence_publication,
    m.evidence_date,
    m.source_name,
    m.snapshot_id,
    m.retrieved_at
from {{ ref('stg_curated_registry__organization_layers') }} as m
