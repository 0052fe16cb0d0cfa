-- One row per LatAm country or territory, from the latam_countries seed.
select
    iso2 as country_iso2,
    iso3 as country_iso3,
    name_en,
    name_es,
    name_pt,
    subregion,
    is_sovereign
from {{ ref('latam_countries') }}
