-- Where is an H100 hour cheapest in LatAm, and how much more than in the US?
select country_iso2, provider, region_code, instance_type,
       round(cheapest_usd_per_gpu_hour, 2) as usd_per_gpu_hour,
       us_reference_region, round(us_usd_per_gpu_hour, 2) as us_usd_per_gpu_hour,
       round(100 * (us_premium_ratio - 1)) as pct_dearer_than_us
from mart_gpu_prices__country_model
where gpu_model = 'H100'
order by cheapest_usd_per_gpu_hour;
