select
    id as ix_id,
    org_id as operator_org_id,
    name as ix_name,
    name_long,
    city,
    upper(country) as country_iso2,
    media,
    website,
    url_stats,
    proto_ipv6,
    net_count,
    fac_count,
    status,
    created as created_at,
    updated as updated_at,
    {{ provenance_columns() }}
from {{ source('peeringdb', 'internet_exchanges') }}
