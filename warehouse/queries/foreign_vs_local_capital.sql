-- Foreign vs local capital: per LatAm country and year, the share of rounds with an investor from the
-- company's own country, from elsewhere in LatAm and from outside the region (unknown = untyped investors).
select country_iso2, round_year, capital_origin,
       sum(round_count) as rounds_with_origin,
       sum(usd_of_rounds) as usd_of_those_rounds,
       sum(rounds_total) as rounds_total,
       round(sum(round_count) / nullif(sum(rounds_total), 0), 2) as share_of_rounds
from mart_funding__capital_origin
group by country_iso2, round_year, capital_origin
order by country_iso2, round_year, capital_origin;
