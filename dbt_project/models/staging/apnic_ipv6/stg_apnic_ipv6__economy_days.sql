-- IPv6 capability and preference of each LatAm economy's users per measured day, as APNIC Labs publishes them.
select
    country_iso2,
    day,
    samples,
    capable_pct,
    preferred_pct,
    capable_pct_30d,
    preferred_pct_30d,
    updated_at as apnic_updated,
    {{ provenance_columns() }}
from {{ source('apnic_ipv6', 'economy_days') }}
