-- A country's data-center MW is the sum of the latest figure of each of its own
-- sites: never another country's, never a site's older announcement added to
-- its newer one (mart_infrastructure__country against fct_organization_sites).
with expected as (
    select country_iso2, coalesce(sum(mw), 0) as mw
    from {{ ref('fct_organization_sites') }}
    where sub_layer_code = 'data_centers' and site_status = 'operating'
    group by 1
)

select m.country_iso2, m.datacenter_mw_operating, coalesce(e.mw, 0) as expected_mw
from {{ ref('mart_infrastructure__country') }} as m
left join expected as e using (country_iso2)
where abs(m.datacenter_mw_operating - coalesce(e.mw, 0)) > 1e-6
