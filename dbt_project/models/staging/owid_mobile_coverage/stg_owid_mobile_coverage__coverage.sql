-- Share of the population within range of at least a 2G, 3G, 4G or 5G signal, per entity and year (ITU via OWID).
select
    entity,
    entity_code,
    country_iso2,
    year,
    generation,
    population_covered_pct,
    series_column,
    unit,
    citation,
    {{ provenance_columns() }}
from {{ source('owid_mobile_coverage', 'coverage') }}
