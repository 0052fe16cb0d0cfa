-- The quarterly funding mart and the country x layer mart agree per layer; concentration stays in range;
-- every investor of a round is a known investor.
with by_quarter as (
    select layer_code, sum(usd_raised) as usd, sum(round_count) as rounds
    from {{ ref('mart_funding__country_layer_quarter') }}
    where layer_code <> 'unclassified'
    group by 1
),
by_layer as (
    select layer_code, sum(funding_usd_all_time) as usd, sum(funding_rounds_all_time) as rounds
    from {{ ref('mart_value_chain__country_layer') }}
    where funding_rounds_all_time > 0
    group by 1
)
select coalesce(q.layer_code, l.layer_code) as layer_code, 'quarters and layers disagree' as problem
from by_quarter as q full outer join by_layer as l on q.layer_code = l.layer_code
where q.rounds is distinct from l.rounds or abs(coalesce(q.usd, 0) - coalesce(l.usd, 0)) > 0.01
union all
select country_layer_id, 'concentration out of range'
from {{ ref('mart_value_chain__country_layer') }}
where funding_usd_all_time > 0
  and not (funding_hhi between 0 and 10000 and funding_top3_share between 0 and 1.0000001)
union all
select investor_id, 'investor not in dim_investors'
from {{ ref('bridge_round_investors') }}
where investor_id not in (select investor_id from {{ ref('dim_investors') }})
