-- World Bank indicators for LatAm countries, one row per country, indicator and year.
select
    o.country_iso2 || ':' || o.indicator_code || ':' || o.year as indicator_observation_id,
    o.country_iso2,
    o.indicator_code,
    o.indicator_name,
    o.year,
    o.value,
    {{ select_provenance('o') }}
from {{ ref('stg_world_bank__observations') }} as o
inner join {{ ref('dim_country') }} as c using (country_iso2)
