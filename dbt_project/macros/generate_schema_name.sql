{#-
  Use the folder's schema name as it is (staging, intermediate, reference,
  main) instead of dbt's default "<target schema>_<custom schema>", so that
  analysts find the marts in DuckDB's default schema `main`.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
