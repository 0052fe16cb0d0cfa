-- Every statement that an organisation raised money, from every funding
-- source, in one shape and in the currency the source states: a "claim".
-- Claims are matched to organisations (int_funding_claims_matched), converted
-- to USD (int_funding_claims_converted) and grouped into rounds
-- (int_funding_rounds_clustered). source_rank orders the sources for the
-- round's headline amount (1 = preferred); see the funding section of the
-- analyst guide for the rule.
with registry as (
    select
        'curated_registry:' || organization_id || '#' || round_index as claim_id,
        'curated_registry' as claim_source,
        1 as source_rank,
        o.organization_name as organization_name_stated,
        r.organization_id as organization_id_hint,
        o.hq_country_iso2 as country_iso2_stated,
        r.round_date,
        r.round_type as round_type_text,
        r.amount,
        case when r.amount is not null then 'exact' end as amount_qualifier,
        r.currency,
        list_distinct(r.lead_investors || r.investors) as investors,
        r.lead_investors,
        cast(null as bigint) as investor_count_stated,
        case r.confidence when 'reported' then 0.9 when 'claimed' then 0.7 when 'estimated' then 0.6 end
            as confidence_score,
        nullif(concat_ws(': ', r.source_publication, r.note), '') as evidence_text,
        coalesce(r.source_url, r.record_url) as evidence_url,
        false as is_licensed,
        {{ select_provenance('r') }}
    from {{ ref('stg_curated_registry__funding_rounds') }} as r
    inner join {{ ref('stg_curated_registry__organizations') }} as o using (organization_id)
),

licensed as (
    select
        'licensed_exports:' || export_file || '#' || row_number as claim_id,
        'licensed_exports' as claim_source,
        2 as source_rank,
        organization_name as organization_name_stated,
        null as organization_id_hint,
        country_iso2 as country_iso2_stated,
        announced_date as round_date,
        round_type_text,
        coalesce(amount, amount_usd_stated) as amount,
        case when coalesce(amount, amount_usd_stated) is not null then 'exact' end as amount_qualifier,
        case when amount is not null then currency when amount_usd_stated is not null then 'USD' end as currency,
        list_distinct(lead_investors || investors) as investors,
        lead_investors,
        cast(null as bigint) as investor_count_stated,
        0.85 as confidence_score,
        vendor || ' export ' || export_file || ', row ' || row_number as evidence_text,
        coalesce(source_url, record_url) as evidence_url,
        true as is_licensed,
        source_name,
        snapshot_id,
        retrieved_at,
        record_url
    from {{ ref('stg_licensed_exports__rounds') }}
),

news as (
    select
        'news:' || event_id as claim_id,
        'news' as claim_source,
        3 as source_rank,
        company_name as organization_name_stated,
        null as organization_id_hint,
        null as country_iso2_stated,
        published_date as round_date,
        round_type_text,
        amount,
        amount_qualifier,
        currency,
        list_distinct(lead_investors || investors) as investors,
        lead_investors,
        cast(null as bigint) as investor_count_stated,
        confidence as confidence_score,
        valuation,
        valuation_currency,
        sentence as evidence_text,
        article_url as evidence_url,
        false as is_licensed,
        source_name,
        snapshot_id,
        retrieved_at,
        record_url
    from {{ ref('stg_news__funding_events') }}
    where is_round and company_name is not null and published_date is not null
),

sec_latest as (
    -- amendments collapse to the latest state of each offering
    select *
    from {{ ref('stg_sec_form_d__offerings') }}
    where not is_pooled_investment_fund  -- a VC fund raising its own fund is not a round
    qualify row_number() over (partition by offering_key order by filing_date desc, accession_number desc) = 1
),

sec as (
    select
        'sec_form_d:' || offering_key as claim_id,
        'sec_form_d' as claim_source,
        4 as source_rank,
        entity_name as organization_name_stated,
        matched_registry_id as organization_id_hint,
        country_iso2 as country_iso2_stated,
        coalesce(sale_date, filing_date) as round_date,
        'Form D ' || case when is_equity then 'equity' when is_debt then 'debt' else 'other' end || ' offering'
            as round_type_text,
        nullif(total_amount_sold, 0) as amount,
        case when nullif(total_amount_sold, 0) is not null then 'exact' end as amount_qualifier,
        'USD' as currency,
        cast([] as varchar[]) as investors,
        cast([] as varchar[]) as lead_investors,
        total_number_already_invested as investor_count_stated,
        0.95 as confidence_score,
        'Form D ' || submission_type || ' filed ' || cast(filing_date as varchar) || ': sold ' || coalesce(total_amount_sold::varchar, '?')
            || ' of ' || coalesce(total_offering_amount::varchar, 'an indefinite amount') || ' USD offered'
            as evidence_text,
        record_url as evidence_url,
        false as is_licensed,
        source_name,
        snapshot_id,
        retrieved_at,
        record_url
    from sec_latest
)

select * from registry
union all by name
select * from licensed
union all by name
select * from news
union all by name
select * from sec
