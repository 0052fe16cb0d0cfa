-- One row per LatAm country and canonical layer, and every layer membership keeps its evidence.
select 'country x layer rows' as problem, count(*) as found
from {{ ref('mart_value_chain__country_layer') }}
having count(*) <> (select count(*) from {{ ref('dim_country') }})
                  * (select count(distinct layer_code) from {{ ref('dim_layer') }})
union all
select 'membership without evidence', count(*)
from {{ ref('bridge_organization_layers') }}
where evidence_url is null and evidence_publication is null
having count(*) > 0
