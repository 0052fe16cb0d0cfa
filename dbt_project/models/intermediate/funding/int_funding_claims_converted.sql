-- Each claim with its canonical round type and its amount in USD.
--
-- Round type: the stated label, lower-cased and stripped of accents, is matched
-- against the funding_round_type_rules seed (regular expressions in English,
-- Spanish and Portuguese); the lowest priority that matches wins, no label
-- means 'undisclosed'.
--
-- FX, in order: USD as is; a currency with a daily rate (its own central bank
-- or official publisher: BCRA, BCRP, TRM; else the ECB cross rate), at the rate of
-- the round date or the last business day before it (at most 7 days earlier);
-- otherwise the World Bank's annual average for the round's year. A claim
-- with an amount but no usable rate is never given a zero: fx_status says why
-- (no_currency, unknown_currency, no_fx_rate) and mart_funding__quarantine
-- lists it.
with claims as (
    select c.*, m.organization_id, m.organization_key, m.match_rule
    from {{ ref('int_funding_claims') }} as c
    inner join {{ ref('int_funding_claims_matched') }} as m using (claim_id)
),

typed as (
    select
        claims.claim_id,
        coalesce(
            (select arg_min(r.round_type, r.priority)
             from {{ ref('funding_round_type_rules') }} as r
             where regexp_matches(strip_accents(lower(claims.round_type_text)), r.pattern)),
            'undisclosed'
        ) as round_type
    from claims
),

daily as (
    {{ fx_daily_rates('claims', 'claim_id', 'currency', 'round_date') }}
),

rated as (
    select
        claims.*,
        typed.round_type,
        {{ fx_rate_columns('claims', 'currency', 'round_date') }},
        claims.currency in (select currency_code from {{ ref('currencies') }}) as is_known_currency
    from claims
    inner join typed using (claim_id)
    left join daily using (claim_id)
    left join {{ ref('int_fx_rates_annual') }} as annual
        on annual.currency = claims.currency and annual.year = year(claims.round_date)
)

select
    * exclude (is_known_currency),
    case when fx_rate is not null then amount * fx_rate end as amount_usd,
    -- a stated valuation converts at the round's own rate when it is in the round's currency
    case
        when valuation_currency = 'USD' then valuation
        when valuation_currency = currency and fx_rate is not null then valuation * fx_rate
    end as valuation_usd,
    case
        when amount is null then 'undisclosed'
        when currency is null then 'no_currency'
        when not is_known_currency then 'unknown_currency'
        when fx_rate is null then 'no_fx_rate'
        else 'converted'
    end as fx_status
from rated
