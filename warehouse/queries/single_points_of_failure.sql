-- Dependency risk: countries whose international connectivity rests on one or
-- two cables, or whose cloud access rests on a single provider.
select
    country_name,
    submarine_cable_count,
    cable_landing_point_count,
    cloud_provider_count,
    ixp_count
from mart_infrastructure__country
where submarine_cable_count between 1 and 2
   or cloud_provider_count = 1
order by submarine_cable_count, cloud_provider_count;
