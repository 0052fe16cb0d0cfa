select
    landing_point_id,
    name as landing_point_name,
    country_name,
    country_iso2,
    is_latam,
    latitude,
    longitude,
    {{ provenance_columns() }}
from {{ source('telegeography', 'landing_points') }}
