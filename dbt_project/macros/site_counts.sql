{#- Facilities come from PeeringDB and from the registry, which do not link their sites to each other, so one
    building can be in both. A count of facilities is the larger of the two sources' counts of distinct sites (a
    lower bound), never their sum. `condition` selects the facility rows counted (rows of
    int_organization_presence_sites or fct_organization_sites, with their site_key). -#}
{% macro facility_count(condition) -%}
    greatest(
        count(distinct site_key) filter (where site_key like 'peeringdb:%' and ({{ condition }})),
        count(distinct site_key) filter (where site_key not like 'peeringdb:%' and ({{ condition }}))
    )
{%- endmacro %}

{#- Distinct sites in a group of int_organization_presence_sites rows, for an aggregate grouped by presence_kind:
    facilities by facility_count(), other kinds (one source each) by a plain distinct count. -#}
{% macro distinct_sites(condition='true') -%}
    case when presence_kind = 'facility' then {{ facility_count(condition) }}
    else count(distinct site_key) filter (where {{ condition }}) end
{%- endmacro %}
