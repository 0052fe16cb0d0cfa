-- BCRA's daily quote of the US dollar: Argentine pesos per dollar.
select
    rate_date,
    upper(currency) as currency,
    units_per_usd,
    series,
    {{ provenance_columns() }}
from {{ source('bcra_fx', 'rates') }}
