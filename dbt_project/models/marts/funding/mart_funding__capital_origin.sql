-- Foreign vs local capital: per LatAm country of the company, round type and
-- year, the rounds and their USD by where the investors come from. Each
-- investor of a round is placed by its home country (dim_investors, from the
-- cited investor_types seed): 'local' (the company's country), 'other_latam'
-- (another LatAm country), 'outside_latam', or 'unknown' (untyped). A round
-- counts once in each origin among its investors, so the origins of one
-- country-type-year do not add up to its total: rounds_total and usd_total
-- give the total. USD is the whole round's, not the origin's unknown share.
-- Rounds naming no investor count only in the totals.
with rounds as (
    select round_id, country_iso2, round_type, year(round_date) as round_year, amount_usd
    from {{ ref('fct_funding_rounds') }}
    where is_latam and round_date is not null
),

placed as (
    select
        r.round_id,
        b.is_lead,
        case
            when i.home_country_iso2 is null then 'unknown'
            when i.home_country_iso2 = r.country_iso2 then 'local'
            when i.home_country_iso2 in (select country_iso2 from {{ ref('dim_country') }}) then 'other_latam'
            else 'outside_latam'
        end as capital_origin
    from rounds as r
    inner join {{ ref('bridge_round_investors') }} as b using (round_id)
    inner join {{ ref('dim_investors') }} as i using (investor_id)
),

by_origin as (
    select round_id, capital_origin, bool_or(is_lead) as has_lead, cast(count(*) as integer) as investor_count
    from placed
    group by round_id, capital_origin
),

totals as (
    select country_iso2, round_type, round_year, cast(count(*) as integer) as rounds_total,
        coalesce(sum(amount_usd), 0) as usd_total
    from rounds
    group by all
),

origins as (
    select unnest(['local', 'other_latam', 'outside_latam', 'unknown']) as capital_origin
)

select
    t.country_iso2 || ':' || t.round_type || ':' || t.round_year || ':' || o.capital_origin as capital_origin_id,
    t.country_iso2,
    c.name_en as country_name,
    t.round_type,
    cast(t.round_year as integer) as round_year,
    o.capital_origin,
    cast(count(b.round_id) as integer) as round_count,
    cast(count(b.round_id) filter (where b.has_lead) as integer) as led_round_count,
    coalesce(sum(r.amount_usd) filter (where b.round_id is not null), 0) as usd_of_rounds,
    cast(coalesce(sum(b.investor_count), 0) as integer) as investor_participations,
    t.rounds_total,
    t.usd_total
from totals as t
cross join origins as o
inner join {{ ref('dim_country') }} as c using (country_iso2)
left join rounds as r
    on r.country_iso2 = t.country_iso2 and r.round_type = t.round_type and r.round_year = t.round_year
left join by_origin as b on b.round_id = r.round_id and b.capital_origin = o.capital_origin
group by t.country_iso2, c.name_en, t.round_type, t.round_year, o.capital_origin, t.rounds_total, t.usd_total
