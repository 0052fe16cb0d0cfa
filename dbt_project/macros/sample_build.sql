{#- One row, one column: is_sample_data, true when the build loaded any hand-written sample snapshot (an offline
    build), so a mart can say its figures are not real. Use as a CTE: `build as ({{ sample_build() }})`. -#}
{% macro sample_build() -%}
    select coalesce(bool_or(is_sample), false) as is_sample_data
    from {{ ref('int_source_loads_latest') }}
{%- endmacro %}
