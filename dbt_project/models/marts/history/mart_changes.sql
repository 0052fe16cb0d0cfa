-- What changed, and when: new, changed and removed facilities, cloud regions,
-- GPU offers and prices, cables, organisations, layer memberships and funding rounds, with
-- before and after values and the source that showed the change. The first
-- build records every entity as new. `cadena changes --since YYYY-MM-DD`
-- prints the rows since a date.
with events as (
    {{ snapshot_changes('snap_facilities', 'facility', 'facility_id', 'facility_name',
        ['facility_name', 'operator_name', 'country_iso2', 'city', 'net_count', 'ix_count', 'status'], 'source_name') }}
    union all
    {{ snapshot_changes('snap_cloud_regions', 'cloud_region', 'cloud_region_id', 'region_name',
        ['region_name', 'country_iso2', 'launch_year', 'status', 'is_published_in_ip_ranges'],
        "coalesce(source_name, 'cloud_region_catalogue')") }}
    union all
    {{ snapshot_changes('snap_cloud_gpu_offers', 'gpu_offer', 'offer_id',
        "provider || ' ' || region_code || ' ' || instance_type || ' ' || price_type",
        ['gpu_model', 'gpus_per_instance', 'usd_per_hour', 'usd_per_gpu_hour'], 'source_name') }}
    union all
    {{ snapshot_changes('snap_submarine_cables', 'submarine_cable', 'cable_id', 'cable_name',
        ['cable_name', 'length_km', 'rfs_year', 'is_planned', 'latam_countries'], 'source_name') }}
    union all
    {{ snapshot_changes('snap_organizations', 'organization', 'organization_id', 'organization_name',
        ['organization_name', 'org_type', 'hq_country_iso2', 'website', 'status', 'classification_status'],
        "array_to_string(sources, ',')", 'null') }}
    union all
    {{ snapshot_changes('snap_organization_layers', 'layer_membership', 'membership_id', 'membership_id',
        ['layer_code', 'sub_layer_code', 'assigned_by', 'confidence'], 'assigned_by', 'null') }}
    union all
    {{ snapshot_changes('snap_funding_rounds', 'funding_round', 'round_id',
        "organization_name || ' ' || round_type || ' ' || cast(round_date as varchar)",
        ['organization_id', 'round_date', 'round_type', 'amount_original', 'currency', 'amount_usd', 'claims_count',
         'is_conflicting'], "array_to_string(sources, ',')", 'null') }}
)

select
    md5(concat_ws('|', entity_type, entity_id, cast(changed_at as varchar), change_type)) as change_id,
    *
from events
