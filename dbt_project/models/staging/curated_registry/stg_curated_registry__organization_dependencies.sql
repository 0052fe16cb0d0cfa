select
    from_organization_id,
    to_organization_id,
    kind as dependency_kind,
    note,
    source_url,
    source_publication,
    source_date,
    {{ provenance_columns() }}
from {{ source('curated_registry', 'organization_dependencies') }}
