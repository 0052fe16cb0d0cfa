{#- Distinct sites in a group of int_organization_presence_sites rows, for an aggregate grouped by presence_kind.
    Facilities come from PeeringDB and from the registry, which do not link their sites to each other, so one
    building can be in both: a group of facilities counts the larger of the two sources' counts (a lower bound on
    distinct sites), never their sum. Other kinds of site have one source each. `condition` narrows the rows
    counted (e.g. operating sites only). -#}
{% macro distinct_sites(condition='true') -%}
    case when presence_kind = 'facility' then greatest(
        count(distinct site_key) filter (where site_key like 'peeringdb:%' and ({{ condition }})),
        count(distinct site_key) filter (where site_key not like 'peeringdb:%' and ({{ condition }}))
    ) else count(distinct site_key) filter (where {{ condition }}) end
{%- endmacro %}
