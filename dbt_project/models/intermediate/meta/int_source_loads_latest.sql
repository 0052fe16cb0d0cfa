-- The snapshot currently loaded for each source table.
select *
from {{ ref('stg_cadena_meta__load_logs') }}
qualify row_number() over (partition by source_name, table_name order by loaded_at desc) = 1
