-- Energy indicator values per entity (LatAm country, United States, World) and year, as OWID publishes them.
select
    entity,
    entity_code,
    country_iso2,
    year,
    indicator,
    value,
    {{ provenance_columns() }}
from {{ source('owid_energy', 'observations') }}
