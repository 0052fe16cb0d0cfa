{#-
  The combination of `columns` is unique (a composite key). Written here, like
  dbt_utils.unique_combination_of_columns, because packages cannot be
  installed without internet.
-#}
{% test unique_combination(model, columns) %}
select {{ columns | join(', ') }}, count(*) as n
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
