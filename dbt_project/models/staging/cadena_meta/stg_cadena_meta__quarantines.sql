select
    source as source_name,
    table_name,
    snapshot_id,
    record_id,
    reason,
    raw as raw_record,
    quarantined_at
from {{ source('cadena_meta', 'quarantine') }}
