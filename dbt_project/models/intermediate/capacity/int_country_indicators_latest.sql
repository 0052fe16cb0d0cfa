-- The most recent year with a value, per country and indicator.
select
    country_iso2,
    indicator_code,
    indicator_name,
    year,
    value
from {{ ref('stg_world_bank__observations') }}
qualify row_number() over (partition by country_iso2, indicator_code order by year desc) = 1
