-- BCRP's daily interbank sell rate: soles per US dollar.
select
    rate_date,
    upper(currency) as currency,
    units_per_usd,
    series,
    {{ provenance_columns() }}
from {{ source('bcrp_fx', 'rates') }}
