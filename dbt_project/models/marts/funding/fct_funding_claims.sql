-- Every funding claim, the evidence behind fct_funding_rounds: who said an
-- organisation raised what, when, in which currency, and which round it was
-- grouped into. Claims that could not be converted to USD stay here with
-- fx_status giving the reason (and are listed in mart_funding__quarantine).
with samples as (
    select distinct snapshot_id from {{ ref('stg_cadena_meta__load_logs') }} where is_sample
)

select
    c.claim_id,
    r.round_id,
    r.is_headline,
    c.claim_source,
    c.source_rank,
    c.organization_id,
    c.organization_name_stated,
    c.match_rule,
    c.country_iso2_stated,
    c.round_date,
    c.round_type_text,
    c.round_type,
    c.amount,
    c.amount_qualifier,
    c.currency,
    c.amount_usd,
    c.fx_rate,
    c.fx_rate_date,
    c.fx_source,
    c.fx_status,
    c.investors,
    c.lead_investors,
    c.investor_count_stated,
    c.confidence_score,
    c.valuation,
    c.valuation_currency,
    c.valuation_usd,
    c.evidence_text,
    c.evidence_url,
    c.is_licensed,
    c.snapshot_id in (select snapshot_id from samples) as is_sample_data,
    {{ select_provenance('c') }}
from {{ ref('int_funding_claims_converted') }} as c
inner join {{ ref('int_funding_rounds_clustered') }} as r using (claim_id)
