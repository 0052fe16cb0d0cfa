{#-
  Change events of one snapshot: a row per version, classified as new (first
  version), changed (a later version; before and after values given as JSON of
  the tracked columns) or removed (the entity disappeared from its source).
-#}
{% macro snapshot_changes(snapshot, entity_type, key, label, tracked, source_expr, snapshot_expr='snapshot_id') -%}
    {%- set state -%}
        to_json(struct_pack({% for c in tracked %}{{ c }} := {{ c }}{{ ',' if not loop.last }}{% endfor %}))
    {%- endset %}
select
    '{{ entity_type }}' as entity_type,
    cast({{ key }} as varchar) as entity_id,
    cast({{ label }} as varchar) as entity_label,
    case
        when dbt_is_deleted = 'True' then 'removed'
        when row_number() over (partition by {{ key }} order by dbt_valid_from) = 1 then 'new'
        else 'changed'
    end as change_type,
    dbt_valid_from as changed_at,
    cast(lag({{ state }}) over (partition by {{ key }} order by dbt_valid_from) as varchar) as before_value,
    case when dbt_is_deleted = 'True' then null else cast({{ state }} as varchar) end as after_value,
    cast({{ source_expr }} as varchar) as source_name,
    cast({{ snapshot_expr }} as varchar) as snapshot_id
from {{ ref(snapshot) }}
{%- endmacro %}
