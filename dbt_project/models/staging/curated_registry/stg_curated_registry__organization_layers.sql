select
    organization_id,
    layer_code,
    nullif(sub_layer_code, '') as sub_layer_code,
    confidence,
    evidence_url,
    evidence_publication,
    evidence_date,
    {{ provenance_columns() }}
from {{ source('curated_registry', 'organization_layers') }}
