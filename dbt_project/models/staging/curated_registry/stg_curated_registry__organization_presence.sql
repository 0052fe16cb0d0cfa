select
    organization_id,
    presence_index,
    country_code,
    presence_kind,
    city,
    note,
    source_url,
    source_publication,
    source_date,
    {{ provenance_columns() }}
from {{ source('curated_registry', 'organization_presence') }}
