{#-
  None of `columns` is null: the not_null rule for several columns of one model in
  one query (one dbt node instead of one per column: each node costs ~50 ms of dbt
  overhead, the query itself a few). A failure returns the offending rows, so every
  null column shows in them.
-#}
{% test not_null_columns(model, columns) %}
select *
from {{ model }}
where {% for column in columns %}{{ column }} is null{% if not loop.last %} or {% endif %}{% endfor %}
{% endtest %}
