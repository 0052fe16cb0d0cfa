-- Who depends on whom: runs on whose cloud or data center, builds on whose
-- model, partners with or is owned by whom.
select
    d.from_organization_id || '>' || d.dependency_kind || '>' || d.to_organization_id as dependency_id,
    d.from_organization_id,
    d.to_organization_id,
    d.dependency_kind,
    d.note,
    d.source_url,
    d.source_publication,
    d.source_date,
    d.source_name,
    d.snapshot_id,
    d.retrieved_at
from {{ ref('stg_curated_registry__organization_dependencies') }} as d
