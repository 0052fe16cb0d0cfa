-- Funding rounds as the registry's publications state them (original currency).
select
    organization_id,
    round_index,
    round_date,
    round_type,
    amount,
    currency,
    investors,
    lead_investors,
    confidence,
    note,
    source_url,
    source_publication,
    source_date,
    {{ provenance_columns() }}
from {{ source('curated_registry', 'funding_rounds') }}
