select
    organization_id,
    announcement_index,
    site,
    country_iso2,
    city,
    mw,
    status,
    as_of,
    confidence,
    note,
    source_url,
    source_publication,
    source_date,
    {{ provenance_columns() }}
from {{ source('curated_registry', 'capacity_announcements') }}
