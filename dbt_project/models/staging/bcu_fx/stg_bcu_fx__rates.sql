-- Banco Central del Uruguay's interbank dollar (currency 2225, DLS. USA BILLETE): Uruguayan pesos per US dollar.
select
    rate_date,
    upper(currency) as currency,
    units_per_usd,
    series,
    {{ provenance_columns() }}
from {{ source('bcu_fx', 'rates') }}
