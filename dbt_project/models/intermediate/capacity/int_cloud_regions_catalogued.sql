-- The curated region catalogue joined to what the providers publish. A
-- catalogue region matches an observed code either by its own code or by one of
-- its aliases (Azure's service-tag file abbreviates: brazilse, chilec, ...).
with catalogue as (
    select * from {{ ref('cloud_region_catalogue') }}
),

codes as (
    select provider, region_code, region_code as observed_code from catalogue
    union
    select provider, region_code, trim(alias) as observed_code
    from catalogue, unnest(string_split(coalesce(aliases, ''), '|')) as t(alias)
    where trim(alias) <> ''
),

observed as (
    select
        codes.provider,
        codes.region_code,
        cast(sum(o.ipv4_prefix_count) as bigint) as ipv4_prefix_count,
        cast(sum(o.ipv6_prefix_count) as bigint) as ipv6_prefix_count,
        max(o.published_at) as published_at,
        max(o.snapshot_id) as snapshot_id,
        max(o.retrieved_at) as retrieved_at,
        max(o.record_url) as record_url,
        max(o.source_name) as source_name
    from codes
    inner join {{ ref('int_cloud_regions_unioned') }} as o
        on o.provider = codes.provider
        and o.network_border_group = codes.observed_code
    group by 1, 2
)

select
    catalogue.provider,
    catalogue.region_code,
    catalogue.region_name,
    catalogue.kind,
    catalogue.country_iso2,
    catalogue.city,
    catalogue.latitude,
    catalogue.longitude,
    catalogue.launch_year,
    catalogue.status,
    catalogue.source_url as catalogue_source_url,
    observed.region_code is not null as is_published_in_ip_ranges,
    coalesce(observed.ipv4_prefix_count, 0) as ipv4_prefix_count,
    coalesce(observed.ipv6_prefix_count, 0) as ipv6_prefix_count,
    observed.published_at as ip_ranges_published_at,
    observed.source_name,
    observed.snapshot_id,
    observed.retrieved_at,
    observed.record_url
from catalogue
left join observed
    on observed.provider = catalogue.provider
    and observed.region_code = catalogue.region_code
