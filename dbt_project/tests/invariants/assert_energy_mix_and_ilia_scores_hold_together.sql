-- Energy, talent and ILIA marts read as their sources define them. Fails with
-- * a country-year whose fossil and low-carbon shares of generation do not add up to 100% (within rounding):
--   OWID splits every generated kWh into exactly these two;
-- * a negative data-centre share of national demand (MW and TWh are never negative);
-- * an ILIA score outside the range of the values the cited pages publish for it;
-- * a GitHub share of LatAm developers above 100%.
select country_iso2, cast(year as varchar) as period, 'fossil + low-carbon share is not 100%' as problem
from {{ ref('mart_energy__country') }}
where fossil_share_pct is not null and low_carbon_share_pct is not null
  and abs(fossil_share_pct + low_carbon_share_pct - 100) > 1.5

union all

select country_iso2, cast(energy_year as varchar), 'negative data-centre share of demand'
from {{ ref('mart_infrastructure__country') }}
where datacenter_operating_share_of_demand_pct < 0 or datacenter_pipeline_share_of_demand_pct < 0

union all

select country_iso2, cast(edition as varchar), 'ILIA score outside its published values'
from {{ ref('mart_ilia__country_edition') }}
where ilia_score < ilia_score_low or ilia_score > ilia_score_high

union all

select country_iso2, period, 'share of LatAm developers above 100%'
from {{ ref('mart_talent__country_quarter') }}
where share_of_latam_developers_pct > 100.0001
