-- Institutions with AI works co-authored from a LatAm country. Grouping a
-- country's works by institution also returns foreign co-authors: keep
-- institution_country_iso2 = country_iso2 for the country's own.
select
    institution_id,
    display_name as institution_name,
    country_iso2 as queried_country_iso2,
    institution_country_iso2,
    coalesce(institution_country_iso2 = country_iso2, false) as is_domestic,
    institution_type,
    ror,
    ai_works,
    first_year,
    last_year,
    {{ provenance_columns() }}
from {{ source('openalex', 'institutions') }}
