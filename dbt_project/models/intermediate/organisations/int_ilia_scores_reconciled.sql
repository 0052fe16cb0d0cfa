-- One ILIA score per edition, country and dimension, from the values pages publish (ilia_scores seed).
-- Pages round differently (70.5 and 70.56) and one attributes a 2024 score to 2025. The score kept is the most
-- precise published value among those within rounding (0.1) of the median; the spread and the pages stay beside it.
with published as (
    select
        *,
        length(coalesce(nullif(regexp_extract(score_as_published, '[.,](\d+)$', 1), ''), '')) as decimals,
        median(score) over (partition by edition, country_iso2, dimension) as median_score
    from {{ ref('ilia_scores') }}
    where country_iso2 is not null
)

select
    edition,
    country_iso2,
    dimension,
    arg_max(score, decimals) filter (where abs(score - median_score) <= 0.1) as score,
    min(score) as score_low,
    max(score) as score_high,
    -- more apart than rounding to one decimal explains
    max(score) - min(score) > 0.1 as is_conflicting,
    count(*) as published_value_count,
    max(category) as category,
    string_agg(distinct source_url, ' ; ' order by source_url) as source_urls
from published
group by edition, country_iso2, dimension
