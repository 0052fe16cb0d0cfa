-- How much of each published country total the deal-level data accounts for:
-- per LatAm country, year and Our World in Data series, the USD of the equity
-- rounds Cadena knows for organisations in the AI value chain against OWID's
-- private AI investment figure, and their ratio (coverage_ratio; 1 = the deals
-- add up to the published total, above 1 = Cadena counts more than the series
-- does). OWID's series are built from their own company lists and
-- definitions, so the ratio is a check on coverage, not an audit. OWID states
-- both series in constant 2021 US$ (deflated by the US CPI) while deal USD are
-- nominal at the round date's rate: for recent years that alone moves the
-- ratio by a few percent to a fifth.
with deals as (
    select
        country_iso2,
        year(round_date) as year,
        sum(amount_usd) filter (where len(layer_codes) > 0) as deal_usd,
        cast(count(*) filter (where len(layer_codes) > 0) as integer) as deal_round_count,
        cast(count(*) filter (where len(layer_codes) > 0 and amount_usd is null) as integer) as deal_undisclosed_count,
        sum(amount_usd) as deal_usd_any_organization
    from {{ ref('fct_funding_rounds') }}
    where is_latam and coalesce(is_equity, true)
    group by 1, 2
),

owid as (
    select
        series as owid_series,
        country_iso2,
        year,
        sum(value) as owid_usd,
        any_value(unit) as owid_unit,
        any_value(snapshot_id) as owid_snapshot_id
    from {{ ref('stg_owid_ai_investment__observations') }}
    where country_iso2 is not null
    group by 1, 2, 3
),

series as (
    select distinct owid_series from owid
),

grid as (
    select country_iso2, year, owid_series from deals cross join series
    union
    select country_iso2, year, owid_series from owid
)

select
    g.country_iso2 || ':' || g.year || ':' || g.owid_series as reconciliation_id,
    g.country_iso2,
    c.name_en as country_name,
    cast(g.year as integer) as year,
    g.owid_series,
    coalesce(d.deal_usd, 0) as deal_usd,
    coalesce(d.deal_round_count, 0) as deal_round_count,
    coalesce(d.deal_undisclosed_count, 0) as deal_undisclosed_count,
    coalesce(d.deal_usd_any_organization, 0) as deal_usd_any_organization,
    o.owid_usd,
    o.owid_unit,
    case when o.owid_usd > 0 then coalesce(d.deal_usd, 0) / o.owid_usd end as coverage_ratio,
    o.owid_snapshot_id
from grid as g
inner join {{ ref('dim_country') }} as c using (country_iso2)
left join deals as d on d.country_iso2 = g.country_iso2 and d.year = g.year
left join owid as o on o.country_iso2 = g.country_iso2 and o.year = g.year and o.owid_series = g.owid_series
