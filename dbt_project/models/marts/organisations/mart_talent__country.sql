-- The talent lens, one row per LatAm country: the two communities Cadena can count, side by side. AI researchers
-- (OpenAlex author profiles with an AI topic, by the country of their last known institution, a current count)
-- and software developers (GitHub Innovation Graph, the latest quarter), each per million people and as a share
-- of LatAm, with the country's AI works of the latest complete year for scale.
with researchers as (
    select * from {{ ref('stg_openalex__ai_authors_by_country') }}
),

region as (
    select sum(ai_authors) as latam_ai_authors from researchers
),

developers as (
    select country_iso2, period, developers, developers_per_1000_people
    from {{ ref('mart_talent__country_quarter') }}
    where developers is not null
    qualify row_number() over (partition by country_iso2 order by year desc, quarter desc) = 1
),

works as (
    -- the latest complete publication year: the current one is partial and OpenAlex back-fills it for months
    select country_iso2, year, ai_works
    from {{ ref('fct_research_output') }}
    where year < year(current_date)
    qualify row_number() over (partition by country_iso2 order by year desc) = 1
),

population as (
    select country_iso2, value as population, year as population_year
    from {{ ref('stg_world_bank__observations') }}
    where indicator_code = 'SP.POP.TOTL' and value is not null
    qualify row_number() over (partition by country_iso2 order by year desc) = 1
),

build as ({{ sample_build() }})

select
    c.country_iso2,
    c.name_en as country_name,
    c.subregion,
    r.ai_authors as ai_researchers,
    r.as_of as ai_researchers_as_of,
    r.ai_topics as ai_topics_counted,
    1e6 * r.ai_authors / nullif(p.population, 0) as ai_researchers_per_million_people,
    100.0 * r.ai_authors / nullif(region.latam_ai_authors, 0) as share_of_latam_ai_researchers_pct,
    d.period as github_period,
    d.developers as github_developers,
    d.developers_per_1000_people,
    1000.0 * r.ai_authors / nullif(d.developers, 0) as ai_researchers_per_1000_developers,
    w.year as ai_works_full_year,
    w.ai_works as ai_works_in_full_year,
    p.population,
    p.population_year,
    r.record_url as ai_researchers_query_url,
    r.snapshot_id as openalex_snapshot_id,
    r.retrieved_at as openalex_retrieved_at,
    build.is_sample_data
from {{ ref('dim_country') }} as c
left join researchers as r using (country_iso2)
left join developers as d using (country_iso2)
left join works as w using (country_iso2)
left join population as p using (country_iso2)
cross join region
cross join build
