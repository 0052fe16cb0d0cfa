-- USD per unit of each LatAm currency per year, from the World Bank's official
-- exchange rate (PA.NUS.FCRF: local currency units per US$, period average),
-- mapped to a currency through its issuing country (the currencies seed).
select
    c.currency_code as currency,
    o.year,
    1.0 / o.value as usd_per_unit,
    'world_bank:PA.NUS.FCRF' as fx_source,
    o.snapshot_id
from {{ ref('stg_world_bank__observations') }} as o
inner join {{ ref('currencies') }} as c on c.issuer_country_iso2 = o.country_iso2
where o.indicator_code = 'PA.NUS.FCRF' and o.value > 0
