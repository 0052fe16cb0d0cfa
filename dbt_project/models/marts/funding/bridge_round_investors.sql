-- Who invested in which round: one row per round and resolved investor, with
-- whether any claim names the investor as a lead.
select
    round_id || ':' || investor_id as round_investor_id,
    round_id,
    investor_id,
    any_value(investor_name) as investor_name,
    bool_or(is_lead) as is_lead,
    list_sort(list_distinct(list(stated_name))) as stated_names,
    cast(count(distinct claim_id) as integer) as claim_count
from {{ ref('int_funding_investors') }}
group by round_id, investor_id
