-- Banco Central de Chile's dólar observado: Chilean pesos per US dollar (series F073.TCO.PRE.Z.D).
select
    rate_date,
    upper(currency) as currency,
    units_per_usd,
    series,
    {{ provenance_columns() }}
from {{ source('bcch_fx', 'rates') }}
