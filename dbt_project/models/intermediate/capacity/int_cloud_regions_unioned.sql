-- Every region (and AWS Local Zone border group) seen in the four providers'
-- published IP-range files, one row per provider and border group.
{% set providers = ['aws_ip_ranges', 'gcp_ip_ranges', 'azure_service_tags', 'oracle_ip_ranges'] %}
{% for p in providers %}
select * from {{ ref('stg_' ~ p ~ '__regions') }}
{% if not loop.last %}union all{% endif %}
{% endfor %}
