select
    id as org_id,
    name as org_name,
    aka,
    website,
    city,
    upper(country) as country_iso2,
    status,
    {{ provenance_columns() }}
from {{ source('peeringdb', 'organizations') }}
