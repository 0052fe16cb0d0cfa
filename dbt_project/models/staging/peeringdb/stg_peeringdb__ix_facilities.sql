select
    id as ix_facility_id,
    ix_id,
    fac_id as facility_id,
    status,
    {{ provenance_columns() }}
from {{ source('peeringdb', 'ix_facilities') }}
