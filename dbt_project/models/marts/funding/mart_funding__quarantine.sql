-- Funding claims left out of the USD totals, and why: an amount with no
-- currency, a currency Cadena does not know, or no exchange rate for the date.
-- Nothing here is ever counted as zero; fix the source or add the rate.
select
    claim_id,
    round_id,
    claim_source,
    organization_name_stated,
    round_date,
    amount,
    currency,
    fx_status as reason,
    case fx_status
        when 'no_currency' then 'the source gives an amount without a currency'
        when 'unknown_currency' then 'currency ' || currency || ' is not in the currencies seed'
        when 'no_fx_rate' then 'no ECB rate within 7 days before ' || cast(round_date as varchar)
            || ' and no World Bank annual rate for ' || cast(year(round_date) as varchar)
    end as reason_text,
    evidence_url,
    source_name,
    snapshot_id,
    retrieved_at,
    record_url
from {{ ref('fct_funding_claims') }}
where fx_status in ('no_currency', 'unknown_currency', 'no_fx_rate')
