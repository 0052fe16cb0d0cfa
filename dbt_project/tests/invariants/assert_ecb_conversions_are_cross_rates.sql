-- An ECB conversion is the cross rate through the euro on a day at most 7 days before the round.
select c.claim_id, c.fx_rate, u.units_per_eur / x.units_per_eur as expected_rate
from {{ ref('fct_funding_claims') }} as c
left join {{ ref('stg_ecb_fx__rates') }} as u on u.rate_date = c.fx_rate_date and u.currency = 'USD'
left join {{ ref('stg_ecb_fx__rates') }} as x on x.rate_date = c.fx_rate_date and x.currency = c.currency
where c.fx_source = 'ecb'
  and (
      u.units_per_eur is null
      or (c.currency <> 'EUR' and x.units_per_eur is null)
      or (c.currency <> 'EUR' and abs(c.fx_rate - u.units_per_eur / x.units_per_eur) > 1e-12)
      or c.round_date - c.fx_rate_date > 7
  )
