-- Colombia's TRM: pesos per US dollar and the interval each value is in force.
select
    rate_date,
    valid_to,
    upper(currency) as currency,
    units_per_usd,
    {{ provenance_columns() }}
from {{ source('co_trm', 'rates') }}
