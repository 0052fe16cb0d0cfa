-- AI research output per LatAm country and year (OpenAlex works whose primary
-- topic is in the Artificial Intelligence subfield), with the country's top
-- domestic institutions over the whole window.
with top_institutions as (
    select
        queried_country_iso2 as country_iso2,
        list(institution_name order by ai_works desc)[1:5] as top_institutions,
        list(ai_works order by ai_works desc)[1:5] as top_institution_ai_works
    from {{ ref('stg_openalex__institutions') }}
    where is_domestic
    group by 1
)

select
    w.country_iso2 || ':' || w.year as research_output_id,
    w.country_iso2,
    w.year,
    w.ai_works,
    t.top_institutions,
    t.top_institution_ai_works,
    {{ select_provenance('w') }}
from {{ ref('stg_openalex__works_by_country_years') }} as w
inner join {{ ref('dim_country') }} as c using (country_iso2)
left join top_institutions as t using (country_iso2)
