-- Exits per country and layer of the target, with who bought: domestic, foreign or unknown buyers.
select country_iso2, layer_name, exit_year, exit_count, acquisition_count, ipo_count,
       disclosed_exit_count, usd_disclosed,
       domestic_acquirer_count, foreign_acquirer_count, unknown_acquirer_origin_count
from mart_exits__country_layer
order by exit_year desc, exit_count desc;
