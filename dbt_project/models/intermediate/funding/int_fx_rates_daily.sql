-- USD per unit of each currency on each day a daily rate is published.
--
-- Two kinds of publisher, the home one first:
--   * the currency's own official publisher: the BCRA (ARS), the BCRP (PEN),
--     Colombia's TRM (COP) and the Banco Central de Chile's dólar observado
--     (CLP, when the user has a BDE account) and the BCU's interbank dollar
--     (UYU), each quoting local units per US dollar, so
--     the dollar rate is 1 / units_per_usd;
--   * the ECB, which quotes everything against the euro, so a currency's
--     dollar rate is the cross rate USD-per-EUR / currency-per-EUR of the
--     same day (BRL, MXN and the world's other major currencies; the euro's
--     own is USD-per-EUR).
-- Where both quote a currency on a day, the official home publisher wins.
with ecb as (
    select * from {{ ref('stg_ecb_fx__rates') }}
),

usd as (
    select rate_date, units_per_eur as usd_per_eur, snapshot_id
    from ecb
    where currency = 'USD'
),

official as (
    select currency, rate_date, 1.0 / units_per_usd as usd_per_unit, 'bcra:USD' as fx_source, snapshot_id
    from {{ ref('stg_bcra_fx__rates') }}
    union all
    select currency, rate_date, 1.0 / units_per_usd, 'bcrp:PD04638PD', snapshot_id
    from {{ ref('stg_bcrp_fx__rates') }}
    union all
    select currency, rate_date, 1.0 / units_per_usd, 'co_trm:32sa-8pi3', snapshot_id
    from {{ ref('stg_co_trm__rates') }}
    union all
    select currency, rate_date, 1.0 / units_per_usd, 'bcch:F073.TCO.PRE.Z.D', snapshot_id
    from {{ ref('stg_bcch_fx__rates') }}
    union all
    select currency, rate_date, 1.0 / units_per_usd, 'bcu:2225', snapshot_id
    from {{ ref('stg_bcu_fx__rates') }}
),

cross_rates as (
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
),

ranked as (
    select *, 1 as publisher_rank from official
    union all
    select *, 2 as publisher_rank from cross_rates
)

select currency, rate_date, usd_per_unit, fx_source, snapshot_id
from ranked
qualify row_number() over (partition by currency, rate_date order by publisher_rank) = 1
