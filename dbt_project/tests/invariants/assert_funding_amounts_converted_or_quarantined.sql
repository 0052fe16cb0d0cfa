-- Every claim with an amount is either in USD with its rate, rate date and rate source, or in
-- mart_funding__quarantine with a reason; never a silent zero.
select claim_id, amount, fx_status, amount_usd
from {{ ref('fct_funding_claims') }}
where amount is not null
  and not (
      (fx_status = 'converted' and amount_usd is not null and fx_rate > 0
       and fx_rate_date is not null and fx_source is not null)
      or claim_id in (select claim_id from {{ ref('mart_funding__quarantine') }})
  )
   or amount_usd = 0
