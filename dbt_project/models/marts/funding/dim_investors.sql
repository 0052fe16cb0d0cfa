-- One row per investor named by any funding claim, with its aliases (every
-- other spelling seen) and activity: rounds, rounds led, and the USD of the
-- rounds it took part in (the whole round, not its unknown share of it); and
-- its type and home country where the investor_types seed cites a page for
-- them (name or alias equal, case- and accent-insensitively, to the resolved
-- name or any spelling seen), else 'unknown' and null.
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
),

typed_names as (
    select
        t.investor_name as typed_name,
        t.investor_type,
        t.home_country_iso2,
        t.source_url,
        t.source_date,
        lower(strip_accents(trim(n))) as name_key
    from {{ ref('investor_types') }} as t,
        unnest([t.investor_name] || coalesce(string_split(t.aliases, '|'), cast([] as varchar[]))) as u(n)
    where trim(n) <> ''
),

typed as (
    select
        a.investor_id,
        min(tn.typed_name) as typed_name
    from (
        select investor_id, unnest([investor_name] || spellings) as spelling from activity
    ) as a
    inner join typed_names as tn on tn.name_key = lower(strip_accents(trim(a.spelling)))
    group by a.investor_id
)

select
    a.investor_id,
    a.investor_name,
    list_filter(a.spellings, lambda x: x <> a.investor_name) as aliases,
    a.round_count,
    a.lead_count,
    a.usd_participated,
    a.latam_round_count,
    a.latam_countries,
    a.first_round_date,
    a.last_round_date,
    coalesce(t.investor_type, 'unknown') as investor_type,
    t.home_country_iso2,
    t.source_url as type_source_url,
    t.source_date as type_source_date
from activity as a
left join typed using (investor_id)
left join {{ ref('investor_types') }} as t on t.investor_name = typed.typed_name
