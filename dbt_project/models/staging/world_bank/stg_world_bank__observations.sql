select
    indicator_code,
    indicator_name,
    country_iso3,
    country_iso2,
    year,
    value,
    {{ provenance_columns() }}
from {{ source('world_bank', 'observations') }}
