-- Issue 12, defect 2: an Epoch model builder is put in the foundation-models
-- layer only for a foundation-scale model (macro is_foundation_scale_model),
-- not for any notable model (a small image classifier). Fails with every
-- Epoch record the rules put in that layer without one.
select l.record_key
from {{ ref('int_organization_layers_classified') }} as l
where l.record_key like 'epoch:%'
    and l.layer_code = 'foundation_models'
    and not exists (
        select 1
        from {{ ref('stg_epoch_notable_models__models') }} as m, unnest(m.organizations) as t(org)
        where 'epoch:' || t.org = l.record_key and {{ is_foundation_scale_model('m') }}
    )
