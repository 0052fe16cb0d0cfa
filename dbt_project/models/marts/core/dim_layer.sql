-- The canonical value-chain layers, with their sub-layers (one row per
-- layer when it has none).
select
    l.layer_code,
    l.layer_name,
    l.stream,
    l.stream_order,
    l.description,
    s.sub_layer_code,
    s.sub_layer_name,
    l.layer_code || coalesce('/' || s.sub_layer_code, '') as layer_key
from {{ ref('value_chain_layers') }} as l
left join {{ ref('value_chain_sub_layers') }} as s using (layer_code)
