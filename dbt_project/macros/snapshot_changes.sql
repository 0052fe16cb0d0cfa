{#-
  The columns a snapshot tracks: its `check_cols`, read from the snapshot's own
  declaration (snapshots/_snapshots.yml) in the graph, so the change feed
  compares exactly what the history records and the two cannot drift.
-#}
{% macro snapshot_check_cols(snapshot) -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'snapshot' and node.name == snapshot -%}
            {%- set cols = node.config.check_cols -%}
            {%- if cols is string or not cols -%}
                {{ exceptions.raise_compiler_error("snapshot " ~ snapshot ~ " must list its check_cols") }}
            {%- endif -%}
            {{ return(cols) }}
        {%- endif -%}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error("no snapshot named " ~ snapshot) }}
{%- endmacro %}

{#-
  Change events of one snapshot: a row per version, classified as
  new (first version), changed (a later version; before and after values
  are JSON of every tracked column), removed (the entity disappeared from its
  source) or returned (it came back after a removal; before is its state when
  it left).

  With `since` (an incremental build: the newest change already in the
  mart), only the entities with a version after it are read, and only their
  events after it are returned: a refresh costs what changed, not all the
  history that has accumulated.
-#}
{% macro snapshot_changes(snapshot, entity_type, key, label, source_expr, snapshot_expr='snapshot_id',
                          since=none) -%}
    {%- set tracked = snapshot_check_cols(snapshot) -%}
    {%- set state -%}
        to_json(struct_pack({% for c in tracked %}{{ c }} := {{ c }}{{ ',' if not loop.last }}{% endfor %}))
    {%- endset %}
select * from (
select
    '{{ entity_type }}' as entity_type,
    cast({{ key }} as varchar) as entity_id,
    cast({{ label }} as varchar) as entity_label,
    case
        when dbt_is_deleted = 'True' then 'removed'
        when row_number() over (partition by {{ key }} order by dbt_valid_from) = 1 then 'new'
        when lag(dbt_is_deleted) over (partition by {{ key }} order by dbt_valid_from) = 'True' then 'returned'
        else 'changed'
    end as change_type,
    dbt_valid_from as changed_at,
    cast(lag({{ state }}) over (partition by {{ key }} order by dbt_valid_from) as varchar) as before_value,
    case when dbt_is_deleted = 'True' then null else cast({{ state }} as varchar) end as after_value,
    cast({{ source_expr }} as varchar) as source_name,
    cast({{ snapshot_expr }} as varchar) as snapshot_id
from {{ ref(snapshot) }}
{%- if since %}
where {{ key }} in (select {{ key }} from {{ ref(snapshot) }} where dbt_valid_from > {{ since }})
{%- endif %}
) as versions
{%- if since %}
where changed_at > {{ since }}
{%- endif %}
{%- endmacro %}
