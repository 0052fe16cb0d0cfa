-- One row per investor named by any funding claim, with its aliases (every
-- other spelling seen) and activity: rounds, rounds led, and the USD of the
-- rounds it took part in (the whole round, not its unknown share of it).
with bridge as (
    select b.*, r.amount_usd, r.round_date, r.country_iso2, r.is_latam
    from {{ ref('bridge_round_investors') }} as b
    inner join {{ ref('fct_funding_rounds') }} as r using (round_id)
),

activity as (
    select
        investor_id,
        any_value(investor_name) as investor_name,
        list_sort(list_distinct(flatten(list(stated_names)))) as spellings,
        cast(count(*) as integer) as round_count,
        cast(count(*) filter (where is_lead) as integer) as lead_count,
        sum(amount_usd) as usd_participated,
        cast(count(*) filter (where is_latam) as integer) as latam_round_count,
        list_sort(list_distinct(list(country_iso2) filter (where is_latam))) as latam_countries,
        min(round_date) as first_round_date,
        max(round_date) as last_round_date
    from bridge
    group by investor_id
)

select
    investor_id,
    investor_name,
    list_filter(spellings, lambda x: x <> investor_name) as aliases,
    round_count,
    lead_count,
    usd_participated,
    latam_round_count,
    latam_countries,
    first_round_date,
    last_round_date
from activity
