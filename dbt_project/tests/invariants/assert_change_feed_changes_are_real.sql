-- Issue 12, defect 3: a "changed" event shows a difference, and an entity
-- back after a removal is "returned", not "changed". Fails with every changed
-- event whose before and after are identical (the feed compared fewer
-- columns than the snapshot tracks) and every changed event that directly
-- follows a removal of the same entity.
with events as (
    select
        *,
        lag(change_type) over (partition by entity_type, entity_id order by changed_at) as previous_type
    from {{ ref('mart_changes') }}
)

select entity_type, entity_id, changed_at, 'identical before and after' as problem
from events
where change_type = 'changed' and before_value is not distinct from after_value

union all

select entity_type, entity_id, changed_at, 'changed right after removed' as problem
from events
where change_type = 'changed' and previous_type = 'removed'
