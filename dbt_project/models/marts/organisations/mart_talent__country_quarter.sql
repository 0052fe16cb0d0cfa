-- The talent lens: GitHub developers, repositories, organisations and pushes per LatAm country and quarter,
-- per 1,000 people, year on year, as a share of LatAm and against the United States.
with graph as (
    select
        economy_code,
        country_iso2,
        year,
        quarter,
        max(value) filter (where metric = 'developers') as developers,
        max(value) filter (where metric = 'repositories') as repositories,
        max(value) filter (where metric = 'organizations') as organizations,
        max(value) filter (where metric = 'git_pushes') as git_pushes,
        max(snapshot_id) as snapshot_id,
        max(retrieved_at) as retrieved_at
    from {{ ref('stg_github_innovation_graph__economy_quarters') }}
    group by economy_code, country_iso2, year, quarter
),

latam as (
    select * from graph where country_iso2 is not null
),

us as (
    select year, quarter, developers from graph where economy_code = 'US'
),

region as (
    select year, quarter, sum(developers) as latam_developers from latam group by 1, 2
),

population as (
    select country_iso2, year, value as population
    from {{ ref('stg_world_bank__observations') }}
    where indicator_code = 'SP.POP.TOTL'
),

build as ({{ sample_build() }})

select
    g.country_iso2,
    c.name_en as country_name,
    c.subregion,
    g.year,
    g.quarter,
    g.year || '-Q' || g.quarter as period,
    g.developers,
    g.repositories,
    g.organizations,
    g.git_pushes,
    p.population,
    p.year as population_year,
    1000.0 * g.developers / nullif(p.population, 0) as developers_per_1000_people,
    100.0 * (g.developers - prev.developers) / nullif(prev.developers, 0) as developers_yoy_growth_pct,
    100.0 * g.developers / nullif(r.latam_developers, 0) as share_of_latam_developers_pct,
    1.0 * g.developers / nullif(us.developers, 0) as developers_vs_us_ratio,
    'github_innovation_graph' as source_name,
    g.snapshot_id,
    g.retrieved_at,
    build.is_sample_data
from latam as g
inner join {{ ref('dim_country') }} as c using (country_iso2)
left join latam as prev
    on prev.country_iso2 = g.country_iso2 and prev.year = g.year - 1 and prev.quarter = g.quarter
left join region as r on r.year = g.year and r.quarter = g.quarter
left join us on us.year = g.year and us.quarter = g.quarter
asof left join population as p on p.country_iso2 = g.country_iso2 and p.year <= g.year
cross join build
