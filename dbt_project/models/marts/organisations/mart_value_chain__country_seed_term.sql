-- The value chain per country read through the seed documents' own taxonomies
-- (the taxonomy_crosswalk seed): organisations per country and seed term.
with members as (
    select distinct b.organization_id, b.layer_code, b.sub_layer_code, d.hq_country_iso2 as country_iso2
    from {{ ref('bridge_organization_layers') }} as b
    inner join {{ ref('dim_organizations') }} as d using (organization_id)
    where d.is_latam
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
