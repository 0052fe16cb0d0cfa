-- The World Bank's annual average is the fallback: a claim converted at it has no daily rate
-- (official publisher or ECB) for its currency on the round date or in the 7 days before.
select c.claim_id, c.currency, c.round_date, d.rate_date as daily_rate_available
from {{ ref('fct_funding_claims') }} as c
inner join {{ ref('int_fx_rates_daily') }} as d
    on d.currency = c.currency
   and d.rate_date <= c.round_date
   and c.round_date - d.rate_date <= 7
where c.fx_source = 'world_bank:PA.NUS.FCRF'
