-- What changed, and when: new, changed, removed and returned facilities, cloud regions,
-- GPU offers and prices, cables, organisations, layer memberships and funding rounds, with
-- before and after values and the source that showed the change. The first
-- build records every entity as new. Each snapshot's tracked columns
-- (check_cols in snapshots/_snapshots.yml) are the ones compared: the macro
-- reads them from the snapshot's declaration. `cadena changes --since YYYY-MM-DD`
-- prints the rows since a date.
--
-- Incremental: the change feed only grows, so a build reads the snapshot
-- versions newer than the newest event already recorded (and the earlier
-- versions of those entities, for their "before"), never the whole history.
{{ config(materialized='incremental', unique_key='change_id', on_schema_change='append_new_columns') }}
{%- set since = "(select max(changed_at) from " ~ this ~ ")" if is_incremental() else none %}
with events as (
    {{ snapshot_changes('snap_facilities', 'facility', 'facility_id', 'facility_name', 'source_name', since=since) }}
    union all
    {{ snapshot_changes('snap_cloud_regions', 'cloud_region', 'cloud_region_id', 'region_name',
        "coalesce(source_name, 'cloud_region_catalogue')", since=since) }}
    union all
    {{ snapshot_changes('snap_cloud_gpu_offers', 'gpu_offer', 'offer_id',
        "provider || ' ' || region_code || ' ' || instance_type || ' ' || price_type", 'source_name',
        since=since) }}
    union all
    {{ snapshot_changes('snap_submarine_cables', 'submarine_cable', 'cable_id', 'cable_name', 'source_name',
        since=since) }}
    union all
    {{ snapshot_changes('snap_organizations', 'organization', 'organization_id', 'organization_name',
        "array_to_string(sources, ',')", 'null', since=since) }}
    union all
    {{ snapshot_changes('snap_organization_layers', 'layer_membership', 'membership_id', 'membership_id',
        'assigned_by', 'null', since=since) }}
    union all
    {{ snapshot_changes('snap_funding_rounds', 'funding_round', 'round_id',
        "organization_name || ' ' || round_type || ' ' || cast(round_date as varchar)",
        "array_to_string(sources, ',')", 'null', since=since) }}
)

select
    md5(concat_ws('|', entity_type, entity_id, cast(changed_at as varchar), change_type)) as change_id,
    *
from events
