-- Where is LatAm's digital infrastructure? One row per country with anything in it.
select
    country_name,
    facility_count,
    facility_operator_count,
    ixp_count,
    cloud_region_count,
    cloud_provider_count,
    aws_local_zone_count,
    submarine_cable_count,
    cable_landing_point_count,
    gpu_cluster_count,
    round(h100_equivalents) as h100e,
    round(internet_users_pct, 1) as internet_pct,
    internet_users_pct_year
from mart_infrastructure__country
where facility_count + ixp_count + cloud_region_count + submarine_cable_count + gpu_cluster_count > 0
order by facility_count desc, cloud_region_count desc;
