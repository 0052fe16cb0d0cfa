-- AI researchers per LatAm country and year, from the history Cadena keeps of OpenAlex's current count
-- (snap_ai_researchers). OpenAlex answers only "how many today", so each year's figure is the version current at
-- the year's end (for the year in progress, now). A country whose count was removed by the year's end has no
-- figure for it; the series starts with the first refresh that loaded the count, and earlier years are absent,
-- not zero.
with versions as (
    select
        country_iso2,
        ai_authors,
        as_of,
        snapshot_id,
        retrieved_at,
        record_url,
        dbt_valid_from,
        coalesce(dbt_valid_to, 'infinity'::timestamp) as valid_to,
        dbt_is_deleted = 'True' as is_removal
    from {{ ref('snap_ai_researchers') }}
),

year_ends as (
    -- every year from a country's first recorded count to the current one, and the moment its figure is read at
    select
        country_iso2,
        year,
        least(make_timestamp(year, 12, 31, 23, 59, 59.999999), current_localtimestamp()) as read_at
    from (
        select country_iso2, unnest(range(min(year(dbt_valid_from)), year(current_date) + 1)) as year
        from versions
        group by country_iso2
    )
),

build as ({{ sample_build() }})

select
    y.country_iso2 || ':' || y.year as country_year_id,
    y.country_iso2,
    y.year,
    v.ai_authors as ai_researchers,
    v.as_of as counted_on,
    y.year = year(current_date) as is_current_year,
    v.snapshot_id,
    v.retrieved_at,
    v.record_url,
    build.is_sample_data
from year_ends as y
inner join versions as v
    on v.country_iso2 = y.country_iso2 and v.dbt_valid_from <= y.read_at and y.read_at < v.valid_to
cross join build
where not v.is_removal
