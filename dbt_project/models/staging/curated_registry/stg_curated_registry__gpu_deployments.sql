select
    organization_id,
    deployment_index,
    site,
    country_iso2,
    gpu_model,
    gpu_count,
    status,
    as_of,
    confidence,
    source_url,
    source_publication,
    source_date,
    {{ provenance_columns() }}
from {{ source('curated_registry', 'gpu_deployments') }}
