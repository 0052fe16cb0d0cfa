-- USD per unit of each currency on each ECB business day. The ECB quotes
-- everything against the euro, so a currency's dollar rate is the cross rate
-- USD-per-EUR / currency-per-EUR of the same day; the euro's own is USD-per-EUR.
with ecb as (
    select * from {{ ref('stg_ecb_fx__rates') }}
),

usd as (
    select rate_date, units_per_eur as usd_per_eur, snapshot_id
    from ecb
    where currency = 'USD'
)

select
    e.currency,
    e.rate_date,
    u.usd_per_eur / e.units_per_eur as usd_per_unit,
    'ecb' as fx_source,
    e.snapshot_id
from ecb as e
inner join usd as u using (rate_date)
where e.currency <> 'USD'

union all

select 'EUR' as currency, rate_date, usd_per_eur as usd_per_unit, 'ecb' as fx_source, snapshot_id
from usd
