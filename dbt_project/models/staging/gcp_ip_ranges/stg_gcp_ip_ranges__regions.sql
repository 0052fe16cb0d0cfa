select
    provider,
    region_code,
    network_border_group,
    ipv4_prefix_count,
    ipv6_prefix_count,
    services,
    published_at,
    {{ provenance_columns() }}
from {{ source('gcp_ip_ranges', 'regions') }}
