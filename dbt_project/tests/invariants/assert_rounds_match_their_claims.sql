-- A round's claim count is the number of its claims, and every claim shows its evidence.
select r.round_id, 'claims_count' as problem
from {{ ref('fct_funding_rounds') }} as r
where r.claims_count <> (select count(*) from {{ ref('fct_funding_claims') }} as c where c.round_id = r.round_id)
union all
select claim_id, 'no evidence or provenance'
from {{ ref('fct_funding_claims') }}
where (evidence_url is null and evidence_text is null) or source_name is null or snapshot_id is null
