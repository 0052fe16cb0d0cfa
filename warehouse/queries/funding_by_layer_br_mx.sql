-- AI funding by value-chain layer in Brazil vs Mexico, last 8 quarters.
-- A round counts in every layer of its organisation (layers overlap).
select layer_name, round_quarter, country_iso2, round_count, usd_raised, median_round_usd
from mart_funding__country_layer_quarter
where country_iso2 in ('BR', 'MX')
  and quarter_start >= date_trunc('quarter', current_date) - interval 21 month
order by layer_name, round_quarter, country_iso2;
