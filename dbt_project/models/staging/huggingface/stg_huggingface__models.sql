select
    model_id,
    author as hub_handle,
    organization_id,
    downloads as downloads_30d,
    downloads_all_time,
    likes,
    created_at,
    last_modified,
    pipeline_tag,
    library_name,
    tags,
    is_private,
    is_gated,
    {{ provenance_columns() }}
from {{ source('huggingface', 'models') }}
