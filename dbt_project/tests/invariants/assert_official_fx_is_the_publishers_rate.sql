-- A conversion at an official daily rate (BCRA, BCRP, TRM, BCCh, BCU) is 1 / the publisher's local units per
-- dollar of the day named in fx_rate_date, a day on or at most 7 days before the round.
with official as (
    select 'bcra:USD' as fx_source, currency, rate_date, units_per_usd from {{ ref('stg_bcra_fx__rates') }}
    union all
    select 'bcrp:PD04638PD', currency, rate_date, units_per_usd from {{ ref('stg_bcrp_fx__rates') }}
    union all
    select 'co_trm:32sa-8pi3', currency, rate_date, units_per_usd from {{ ref('stg_co_trm__rates') }}
    union all
    select 'bcch:F073.TCO.PRE.Z.D', currency, rate_date, units_per_usd from {{ ref('stg_bcch_fx__rates') }}
    union all
    select 'bcu:2225', currency, rate_date, units_per_usd from {{ ref('stg_bcu_fx__rates') }}
)

select c.claim_id, c.fx_source, c.fx_rate, 1.0 / o.units_per_usd as expected_rate
from {{ ref('fct_funding_claims') }} as c
left join official as o
    on o.fx_source = c.fx_source and o.currency = c.currency and o.rate_date = c.fx_rate_date
where c.fx_source in ('bcra:USD', 'bcrp:PD04638PD', 'co_trm:32sa-8pi3', 'bcch:F073.TCO.PRE.Z.D', 'bcu:2225')
  and (
      o.units_per_usd is null
      or abs(c.fx_rate - 1.0 / o.units_per_usd) > 1e-12
      or c.round_date < c.fx_rate_date
      or c.round_date - c.fx_rate_date > 7
  )
