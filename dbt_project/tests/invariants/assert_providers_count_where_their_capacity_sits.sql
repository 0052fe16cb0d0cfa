-- Presence, not headquarters: the organisation behind every generally available
-- cloud region, every PeeringDB facility and every cable in service landing in
-- a LatAm country counts in that country's hardware layer
-- (int_organization_country_layers.by_presence), whatever its headquarters.
select s.organization_id, s.country_iso2, s.presence_kind
from {{ ref('fct_organization_sites') }} as s
left join {{ ref('int_organization_country_layers') }} as cl
    on cl.organization_id = s.organization_id
    and cl.country_iso2 = s.country_iso2
    and cl.layer_code = 'hardware_infrastructure'
    and cl.by_presence
    and cl.is_counted
where s.site_status = 'operating'
    and s.presence_kind in ('cloud_region', 'facility', 'cable_landing')
    and s.country_iso2 in (select country_iso2 from {{ ref('dim_country') }})
    and cl.organization_id is null
