-- Which organisation sits in which layer (and sub-layer), with the evidence of
-- each membership: a curator's source, or the classification rules that fired.
-- An organisation may sit in several layers.
select
    d.organization_id || ':' || m.layer_code || coalesce('/' || m.sub_layer_code, '') as membership_id,
    d.organization_id,
    m.layer_code,
    m.sub_layer_code,
    m.assigned_by,
    m.confidence,
    m.evidence_url,
    m.evidence_publication,
    m.evidence_date
from {{ ref('int_organization_memberships') }} as m
inner join {{ ref('dim_organizations') }} as d using (organization_id)
where m.layer_code is not null
