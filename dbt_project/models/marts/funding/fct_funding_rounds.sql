-- One row per funding round: the claims of int_funding_rounds_clustered
-- merged. Amount, date and type come from the round's headline claim (the
-- best-ranked source with a USD amount; see int_funding_rounds_clustered);
-- every claim stays in fct_funding_claims. Organisation, country and layers
-- come from dim_organizations when the round's organisation is known there.
with claims as (
    select * from {{ ref('fct_funding_claims') }}
),

headline as (
    select * from claims where is_headline
),

merged as (
    select
        round_id,
        cast(count(*) as integer) as claims_count,
        list_sort(list_distinct(list(claim_source))) as sources,
        list_sort(list_distinct(list(evidence_url) filter (where evidence_url is not null))) as source_urls,
        min(amount_usd) as amount_usd_min,
        max(amount_usd) as amount_usd_max,
        max(valuation_usd) as valuation_usd,
        any_value(country_iso2_stated) filter (where country_iso2_stated is not null) as country_iso2_stated,
        bool_or(is_licensed) as is_licensed,
        bool_or(is_sample_data) as is_sample_data
    from claims
    group by round_id
),

investors as (
    -- resolved names (int_funding_investors), so 'Kaszek Ventures' and 'Kaszek' are one
    select
        round_id,
        list_sort(list_distinct(list(investor_name) filter (where is_lead))) as lead_investors,
        list_sort(list_distinct(list(investor_name))) as investors
    from {{ ref('int_funding_investors') }}
    group by round_id
),

conflicts as (
    select distinct round_id, is_conflicting from {{ ref('int_funding_rounds_clustered') }}
),

layers as (
    select organization_id, list_sort(list_distinct(list(layer_code))) as layer_codes
    from {{ ref('bridge_organization_layers') }}
    group by organization_id
)

select
    h.round_id,
    h.organization_id,
    coalesce(o.organization_name, h.organization_name_stated) as organization_name,
    coalesce(o.hq_country_iso2, m.country_iso2_stated) as country_iso2,
    coalesce(o.hq_country_iso2, m.country_iso2_stated) in (select country_iso2 from {{ ref('dim_country') }})
        as is_latam,
    coalesce(l.layer_codes, cast([] as varchar[])) as layer_codes,
    h.round_date,
    year(h.round_date) || 'Q' || quarter(h.round_date) as round_quarter,
    h.round_type,
    t.round_type_label,
    t.is_equity,
    b.amount_bucket,
    h.amount as amount_original,
    h.currency,
    h.amount_usd,
    h.fx_rate,
    h.fx_rate_date,
    h.fx_source,
    case when h.fx_status = 'converted' then 'converted' when h.fx_status = 'undisclosed' then 'undisclosed'
         else 'no_fx_rate' end as amount_status,
    h.fx_status,
    m.claims_count,
    c.is_conflicting,
    m.amount_usd_min,
    m.amount_usd_max,
    m.valuation_usd,
    m.sources,
    m.source_urls,
    coalesce(i.lead_investors, cast([] as varchar[])) as lead_investors,
    coalesce(i.investors, cast([] as varchar[])) as investors,
    h.claim_id as headline_claim_id,
    h.claim_source as headline_source,
    h.match_rule,
    h.confidence_score,
    m.is_licensed,
    m.is_sample_data
from headline as h
inner join merged as m using (round_id)
inner join conflicts as c using (round_id)
left join investors as i using (round_id)
left join {{ ref('dim_organizations') }} as o using (organization_id)
left join layers as l using (organization_id)
left join {{ ref('funding_round_types') }} as t on t.round_type = h.round_type
left join {{ ref('funding_amount_buckets') }} as b
    on h.amount_usd >= b.min_usd and (b.max_usd is null or h.amount_usd < b.max_usd)
