-- The codebook entry (description, unit, sources) of each energy indicator Cadena keeps.
select
    indicator,
    description,
    unit,
    sources,
    {{ provenance_columns() }}
from {{ source('owid_energy', 'indicators') }}
