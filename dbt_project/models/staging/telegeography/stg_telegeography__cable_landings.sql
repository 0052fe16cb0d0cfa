select
    cable_id,
    landing_point_id,
    is_tbd,
    {{ provenance_columns() }}
from {{ source('telegeography', 'cable_landings') }}
