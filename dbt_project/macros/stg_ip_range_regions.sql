{#- The four cloud IP-range sources share one raw shape; each staging model is this select. -#}
{% macro stg_ip_range_regions(source_name) -%}
select
    provider,
    region_code,
    network_border_group,
    ipv4_prefix_count,
    ipv6_prefix_count,
    services,
    published_at,
    {{ provenance_columns() }}
from {{ source(source_name, 'regions') }}
{%- endmacro %}
