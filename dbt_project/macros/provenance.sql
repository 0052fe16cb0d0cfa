{#- The provenance every raw row carries, renamed for the models above staging. -#}
{% macro provenance_columns(alias=none) -%}
    {%- set p = (alias ~ '.') if alias else '' -%}
    {{ p }}_source as source_name,
    {{ p }}_snapshot_id as snapshot_id,
    {{ p }}_retrieved_at as retrieved_at,
    {{ p }}_record_url as record_url
{%- endmacro %}

{#- Carry the renamed provenance columns through a later model. -#}
{% macro select_provenance(alias) -%}
    {{ alias }}.source_name,
    {{ alias }}.snapshot_id,
    {{ alias }}.retrieved_at,
    {{ alias }}.record_url
{%- endmacro %}
