-- Issue 12, defect 1: an upgraded GPU cluster counts once. Epoch records an
-- upgrade as a new row naming the earlier one in "Builds Upon" and, once it
-- operates, the earlier row names it in "Superseded by". Fails with every
-- cluster counted (existing or planned) although Epoch says it is superseded,
-- and every pair of counted rows where one builds on the other in the same
-- status (both existing, or both planned: a campus's later phase includes the
-- earlier phase's chips and MW).
with counted as (
    select * from {{ ref('fct_gpu_clusters') }} where is_existing or is_planned
)

select c.gpu_cluster_id, 'counted although Epoch says superseded by ' || s.superseded_by as problem
from counted as c
inner join {{ ref('stg_epoch_gpu_clusters__clusters') }} as s on s.cluster_name = c.cluster_name
where s.superseded_by is not null

union all

select later.gpu_cluster_id, 'counted together with the phase it builds upon, ' || earlier.cluster_name as problem
from counted as later
inner join counted as earlier
    on later.builds_upon = earlier.cluster_name
    and later.country_iso2 = earlier.country_iso2
    and later.is_existing = earlier.is_existing
