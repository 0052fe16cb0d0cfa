-- Every cloud region and Local Zone in LatAm, with the evidence that it runs.
select provider, region_code, region_name, kind, country_iso2, city, launch_year, status,
       is_published_in_ip_ranges, ipv4_prefix_count, snapshot_id, retrieved_at
from fct_cloud_regions
where is_latam
order by country_iso2, provider, region_code;
