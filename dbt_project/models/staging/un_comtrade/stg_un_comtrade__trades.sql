-- LatAm imports and exports of chips (HS 8542), computers (8471) and computer parts (847330) with the World.
select
    country_iso2,
    year,
    flow,
    cmd_code,
    cmd_desc,
    primary_value_usd,
    cif_value_usd,
    fob_value_usd,
    net_weight_kg,
    is_reported,
    classification_code,
    {{ provenance_columns() }}
from {{ source('un_comtrade', 'trade') }}
