-- Each origin's rounds and USD are a part of the country-type-year totals, and typed investors carry a cited page.
select capital_origin_id, round_count, rounds_total, usd_of_rounds, usd_total
from {{ ref('mart_funding__capital_origin') }}
-- (a relative margin: two sums of the same doubles in another order differ in their last bits, 1e-4 at 1e11 USD)
where round_count > rounds_total or usd_of_rounds > usd_total * (1 + 1e-9) + 1e-6
union all
select investor_id, null, null, null, null
from {{ ref('dim_investors') }}
where investor_type <> 'unknown' and (type_source_url is null or home_country_iso2 is null)
