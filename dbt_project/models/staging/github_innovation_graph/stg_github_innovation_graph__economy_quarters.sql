-- GitHub activity per metric, economy and quarter, as the Innovation Graph publishes it.
select
    metric,
    economy_code,
    country_iso2,
    year,
    quarter,
    value,
    {{ provenance_columns() }}
from {{ source('github_innovation_graph', 'economy_quarters') }}
