-- The connectivity lens: per LatAm country and year, how much of the population a mobile network of each
-- generation reaches (ITU via OWID), how many users can use IPv6 (APNIC Labs), and the World Bank's take-up series
-- (Internet users, fixed broadband and mobile subscriptions), with the World's coverage the same year beside them,
-- and the speeds M-Lab's NDT tests measured (its archive ends in March 2024).
with ipv6 as (
    select
        country_iso2,
        year(day) as year,
        sum(capable_pct * samples) / nullif(sum(samples), 0) as ipv6_capable_pct,
        sum(preferred_pct * samples) / nullif(sum(samples), 0) as ipv6_preferred_pct,
        count(*) as ipv6_measured_days,
        sum(samples)::bigint as ipv6_samples,
        max(retrieved_at) as retrieved_at
    from {{ ref('stg_apnic_ipv6__economy_days') }}
    group by 1, 2
),

speeds as (
    select
        country_iso2,
        year(day) as year,
        sum(download_median_mbps * download_samples) / nullif(sum(download_samples), 0) as download_median_mbps,
        sum(upload_median_mbps * upload_samples) / nullif(sum(upload_samples), 0) as upload_median_mbps,
        sum(download_min_rtt_median_ms * download_samples) / nullif(sum(download_samples), 0)
            as min_rtt_median_ms,
        count(*) as speed_test_days,
        sum(download_samples)::bigint as download_tests,
        max(day) as speed_last_day,
        max(retrieved_at) as retrieved_at
    from {{ ref('stg_mlab_speeds__country_days') }}
    where download_median_mbps is not null and download_samples > 0
    group by 1, 2
),

coverage_all as (
    select
        entity,
        country_iso2,
        year,
        max(population_covered_pct) filter (where generation = '2G') as coverage_2g_pct,
        max(population_covered_pct) filter (where generation = '3G') as coverage_3g_pct,
        max(population_covered_pct) filter (where generation = '4G') as coverage_4g_pct,
        max(population_covered_pct) filter (where generation = '5G') as coverage_5g_pct,
        max(retrieved_at) as retrieved_at
    from {{ ref('stg_owid_mobile_coverage__coverage') }}
    group by 1, 2, 3
),

coverage as (
    select * from coverage_all where country_iso2 is not null
),

world as (
    select year, coverage_4g_pct, coverage_5g_pct from coverage_all where entity = 'World'
),

take_up as (
    select
        country_iso2,
        year,
        max(value) filter (where indicator_code = 'IT.NET.USER.ZS') as internet_users_pct,
        max(value) filter (where indicator_code = 'IT.NET.BBND.P2') as fixed_broadband_per_100_people,
        max(value) filter (where indicator_code = 'IT.CEL.SETS.P2') as mobile_subscriptions_per_100_people,
        max(retrieved_at) as retrieved_at
    from {{ ref('stg_world_bank__observations') }}
    where indicator_code in ('IT.NET.USER.ZS', 'IT.NET.BBND.P2', 'IT.CEL.SETS.P2')
    group by 1, 2
),

spine as (
    select country_iso2, year from ipv6
    union
    select country_iso2, year from coverage
    union
    select country_iso2, year from speeds
    union
    select country_iso2, year from take_up
    where coalesce(internet_users_pct, fixed_broadband_per_100_people, mobile_subscriptions_per_100_people)
        is not null
),

build as ({{ sample_build() }})

select
    s.country_iso2,
    c.name_en as country_name,
    c.subregion,
    s.year,
    cv.coverage_2g_pct,
    cv.coverage_3g_pct,
    cv.coverage_4g_pct,
    cv.coverage_5g_pct,
    100 - cv.coverage_4g_pct as population_without_4g_pct,
    w.coverage_4g_pct as world_coverage_4g_pct,
    w.coverage_5g_pct as world_coverage_5g_pct,
    v6.ipv6_capable_pct,
    v6.ipv6_preferred_pct,
    v6.ipv6_measured_days,
    v6.ipv6_samples,
    sp.download_median_mbps,
    sp.upload_median_mbps,
    sp.min_rtt_median_ms,
    sp.speed_test_days,
    sp.download_tests,
    sp.speed_last_day,
    t.internet_users_pct,
    t.fixed_broadband_per_100_people,
    t.mobile_subscriptions_per_100_people,
    cv.coverage_4g_pct - t.internet_users_pct as coverage_4g_minus_internet_use_pp,
    greatest(v6.retrieved_at, cv.retrieved_at, t.retrieved_at, sp.retrieved_at) as data_retrieved_at,
    build.is_sample_data
from spine as s
inner join {{ ref('dim_country') }} as c using (country_iso2)
left join ipv6 as v6 using (country_iso2, year)
left join coverage as cv using (country_iso2, year)
left join take_up as t using (country_iso2, year)
left join speeds as sp using (country_iso2, year)
left join world as w on w.year = s.year
cross join build
