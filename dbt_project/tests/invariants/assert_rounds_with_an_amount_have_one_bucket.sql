-- Every round with a USD amount sits in exactly one size bucket, and a round without one in none.
select r.round_id, r.amount_usd, r.amount_bucket
from {{ ref('fct_funding_rounds') }} as r
left join {{ ref('funding_amount_buckets') }} as b on b.amount_bucket = r.amount_bucket
where (r.amount_usd is null) <> (r.amount_bucket is null)
   or (b.amount_bucket is not null and (r.amount_usd < b.min_usd or r.amount_usd >= coalesce(b.max_usd, 'infinity')))
