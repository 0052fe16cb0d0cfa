-- ECB reference rates: units of a currency per euro, on each TARGET business day.
select
    rate_date,
    upper(currency) as currency,
    units_per_eur,
    {{ provenance_columns() }}
from {{ source('ecb_fx', 'rates') }}
