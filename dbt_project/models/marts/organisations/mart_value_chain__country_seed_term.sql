-- The value chain per country read through the seed documents' own taxonomies
-- (the taxonomy_crosswalk seed): organisations per country and seed term,
-- counted as mart_value_chain__country_layer counts them.
with members as (
    -- the counting rule of int_organization_country_layers (hardware where capacity sits, the rest at HQ)
    select distinct organization_id, layer_code, sub_layer_code, country_iso2
    from {{ ref('int_organization_country_layers') }}
    where is_counted
)

select
    c.country_iso2 || ':' || x.seed_document || ':' || x.seed_term || ':' || x.layer_code as country_seed_term_id,
    c.country_iso2,
    x.seed_document,
    x.seed_term,
    x.layer_code,
    x.sub_layer_code,
    count(distinct m.organization_id) as organization_count
from {{ ref('dim_country') }} as c
cross join {{ ref('taxonomy_crosswalk') }} as x
left join members as m
    on m.country_iso2 = c.country_iso2
    and m.layer_code = x.layer_code
    and (x.sub_layer_code is null or m.sub_layer_code = x.sub_layer_code)
group by all
