-- Every fact of the capacity marts names its source, snapshot, fetch time and record URL.
{% set facts = ["fct_facilities", "fct_internet_exchanges", "fct_submarine_cables", "fct_cable_landings",
                "fct_gpu_clusters", "fct_country_indicators"] %}
{% for fact in facts %}
select '{{ fact }}' as fact_table, count(*) as rows_without_provenance
from {{ ref(fact) }}
where source_name is null or snapshot_id is null or retrieved_at is null or record_url is null
having count(*) > 0
{% if not loop.last %}union all{% endif %}
{% endfor %}
