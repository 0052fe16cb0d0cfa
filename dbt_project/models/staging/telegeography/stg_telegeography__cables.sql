select
    cable_id,
    name as cable_name,
    length_km,
    length_text,
    owners,
    suppliers,
    rfs_text,
    rfs_year,
    is_planned,
    url as website,
    landing_point_count,
    {{ provenance_columns() }}
from {{ source('telegeography', 'cables') }}
