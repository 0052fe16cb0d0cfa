-- Funding events extracted from article text: rounds and the look-alikes told apart from them.
select
    event_id,
    article_url,
    article_title,
    published_date,
    language,
    sentence,
    company_name,
    amount,
    amount_low,
    amount_high,
    amount_qualifier,
    upper(currency) as currency,
    amount_text,
    round_type_text,
    lead_investors,
    investors,
    is_round,
    not_round_reason,
    confidence,
    {{ provenance_columns() }}
from {{ source('news', 'funding_events') }}
