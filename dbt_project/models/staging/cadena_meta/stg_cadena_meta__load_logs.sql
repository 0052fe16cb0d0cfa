select
    source as source_name,
    table_name,
    snapshot_id,
    retrieved_at,
    loaded_at,
    row_count,
    quarantined as quarantined_count,
    sample as is_sample
from {{ source('cadena_meta', 'load_log') }}
