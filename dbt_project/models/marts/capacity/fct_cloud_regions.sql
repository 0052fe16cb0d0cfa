-- Public-cloud regions and AWS Local Zones in LatAm (plus each provider's US
-- reference region, flagged), from the curated catalogue checked against what
-- the providers publish in their IP-range files.
select
    provider || ':' || region_code as cloud_region_id,
    provider,
    region_code,
    region_name,
    kind,
    country_iso2,
    country_iso2 <> 'US' as is_latam,
    country_iso2 = 'US' as is_us_reference,
    city,
    latitude,
    longitude,
    launch_year,
    status,
    is_published_in_ip_ranges,
    ipv4_prefix_count,
    ipv6_prefix_count,
    ip_ranges_published_at,
    catalogue_source_url,
    source_name,
    snapshot_id,
    retrieved_at,
    record_url
from {{ ref('int_cloud_regions_catalogued') }}
