-- Private AI investment per entity (country, region, World) and year, as OWID publishes it.
select
    series,
    entity,
    entity_code,
    country_iso2,
    year,
    indicator,
    value,
    unit,
    citation,
    {{ provenance_columns() }}
from {{ source('owid_ai_investment', 'observations') }}
