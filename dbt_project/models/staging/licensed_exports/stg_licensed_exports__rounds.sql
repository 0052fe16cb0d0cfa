-- Rounds from the user's licensed exports, mapped onto Cadena's fields.
select
    export_file,
    row_number,
    vendor,
    organization_name,
    organization_website,
    organization_location,
    country_iso2,
    announced_date,
    round_type_text,
    amount,
    upper(currency) as currency,
    amount_usd_stated,
    lead_investors,
    investors,
    source_url,
    licensed,
    {{ provenance_columns() }}
from {{ source('licensed_exports', 'rounds') }}
