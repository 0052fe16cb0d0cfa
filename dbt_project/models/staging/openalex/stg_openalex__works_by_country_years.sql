select
    country_iso2,
    year,
    ai_works,
    {{ provenance_columns() }}
from {{ source('openalex', 'works_by_country_year') }}
