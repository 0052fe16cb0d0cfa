-- Vertex AI model token prices per GCP region (LatAm and the US reference), as the Cloud Billing Catalog lists them.
select
    sku_id,
    region,
    description,
    model,
    direction,
    is_global,
    usage_unit,
    usd_per_unit,
    usd_per_million_tokens,
    effective_time,
    is_us_reference,
    {{ provenance_columns() }}
from {{ source('gcp_vertex_ai_skus', 'model_prices') }}
