-- Funding per LatAm country, value-chain layer and quarter: rounds, USD raised
-- and the spread of disclosed round sizes (p25, median, p75). A round counts in every layer its organisation sits
-- in (so layers do not add up to a country total); rounds of organisations in
-- no layer count under 'unclassified'. Rounds without a USD amount count in
-- round_count and undisclosed_round_count but not in the sums.
with rounds as (
    select r.*, layer_code
    from {{ ref('fct_funding_rounds') }} as r,
        unnest(case when len(r.layer_codes) = 0 then ['unclassified'] else r.layer_codes end) as t(layer_code)
    where r.is_latam
)

select
    r.country_iso2 || ':' || r.layer_code || ':' || r.round_quarter as country_layer_quarter_id,
    r.country_iso2,
    c.name_en as country_name,
    r.layer_code,
    coalesce(l.layer_name, 'Not classified in a layer') as layer_name,
    r.round_quarter,
    cast(date_trunc('quarter', min(r.round_date)) as date) as quarter_start,
    cast(count(*) as integer) as round_count,
    cast(count(*) filter (where r.amount_usd is null) as integer) as undisclosed_round_count,
    coalesce(sum(r.amount_usd), 0) as usd_raised,
    quantile_cont(r.amount_usd, 0.25) as p25_round_usd,
    median(r.amount_usd) as median_round_usd,
    quantile_cont(r.amount_usd, 0.75) as p75_round_usd,
    cast(count(distinct r.organization_id) as integer) as organization_count,
    bool_or(r.is_sample_data) as is_sample_data
from rounds as r
inner join {{ ref('dim_country') }} as c using (country_iso2)
left join {{ ref('value_chain_layers') }} as l using (layer_code)
group by r.country_iso2, c.name_en, r.layer_code, l.layer_name, r.round_quarter
