{#-
  The organisations of one value-chain layer with the measures that make sense
  for it. Each mart_layer__<layer> model is one call of this macro.
-#}
{% macro layer_mart(layer_code, measures) -%}
select
    b.membership_id,
    d.organization_id,
    d.organization_name,
    d.org_type,
    d.hq_country_iso2,
    d.hq_city,
    d.is_latam,
    d.website,
    d.founded_year,
    d.status,
    b.sub_layer_code,
    b.assigned_by,
    b.confidence,
    b.evidence_url,
    b.evidence_publication,
    {%- for measure in measures %}
    m.{{ measure }},
    {%- endfor %}
    d.sources
from {{ ref('bridge_organization_layers') }} as b
inner join {{ ref('dim_organizations') }} as d using (organization_id)
left join {{ ref('int_organization_measures') }} as m using (organization_id)
where b.layer_code = '{{ layer_code }}'
{%- endmacro %}
