-- What the warehouse was built from: per source table, the snapshot loaded,
-- when it was fetched and loaded, rows kept and rows quarantined.
select
    source_name || '.' || table_name as source_table,
    source_name,
    table_name,
    snapshot_id,
    retrieved_at,
    loaded_at,
    row_count,
    quarantined_count,
    is_sample
from {{ ref('int_source_loads_latest') }}
