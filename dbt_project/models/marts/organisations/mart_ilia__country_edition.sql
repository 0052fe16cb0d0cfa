-- ILIA's overall score per country and edition beside Cadena's own measures of the same country, and how the
-- countries ILIA scored rank on each. Cadena's measures are today's (latest year or quarter), not as of the edition.
with ilia as (
    select
        *,
        rank() over (partition by edition order by score desc) as ilia_rank,
        count(*) over (partition by edition) as countries_scored
    from {{ ref('int_ilia_scores_reconciled') }}
    where dimension = 'overall'
),

population as (
    select country_iso2, value as population
    from {{ ref('int_country_indicators_latest') }}
    where indicator_code = 'SP.POP.TOTL'
),

research as (
    select country_iso2, year as ai_works_year, ai_works
    from {{ ref('fct_research_output') }}
    qualify row_number() over (partition by country_iso2 order by year desc) = 1
),

talent as (
    select country_iso2, period as github_period, developers_per_1000_people
    from {{ ref('mart_talent__country_quarter') }}
    qualify row_number() over (partition by country_iso2 order by year desc, quarter desc) = 1
),

organisations as (
    select hq_country_iso2 as country_iso2, count(*) as value_chain_organization_count
    from {{ ref('dim_organizations') }}
    where is_in_ai_value_chain
    group by 1
),

measures as (
    select
        i.*,
        r.ai_works_year,
        r.ai_works,
        1e6 * r.ai_works / nullif(p.population, 0) as ai_works_per_million_people,
        t.github_period,
        t.developers_per_1000_people,
        coalesce(o.value_chain_organization_count, 0) as value_chain_organization_count,
        infra.datacenter_mw_operating,
        infra.cloud_region_count,
        infra.h100_equivalents,
        infra.grid_carbon_intensity_g_co2e_per_kwh
    from ilia as i
    left join population as p using (country_iso2)
    left join research as r using (country_iso2)
    left join talent as t using (country_iso2)
    left join organisations as o using (country_iso2)
    left join {{ ref('mart_infrastructure__country') }} as infra using (country_iso2)
),

build as ({{ sample_build() }})

select
    m.country_iso2,
    c.name_en as country_name,
    m.edition,
    m.score as ilia_score,
    m.score_low as ilia_score_low,
    m.score_high as ilia_score_high,
    m.is_conflicting as ilia_is_conflicting,
    m.published_value_count as ilia_published_value_count,
    m.category as ilia_category,
    m.ilia_rank,
    m.countries_scored as ilia_countries_scored,
    m.source_urls as ilia_source_urls,
    m.ai_works_year,
    m.ai_works,
    m.ai_works_per_million_people,
    rank() over (partition by m.edition order by m.ai_works_per_million_people desc nulls last)
        as ai_works_per_million_rank,
    m.github_period,
    m.developers_per_1000_people,
    rank() over (partition by m.edition order by m.developers_per_1000_people desc nulls last)
        as developers_per_1000_rank,
    m.value_chain_organization_count,
    rank() over (partition by m.edition order by m.value_chain_organization_count desc)
        as value_chain_organization_rank,
    m.datacenter_mw_operating,
    m.cloud_region_count,
    m.h100_equivalents,
    m.grid_carbon_intensity_g_co2e_per_kwh,
    build.is_sample_data
from measures as m
inner join {{ ref('dim_country') }} as c using (country_iso2)
cross join build
