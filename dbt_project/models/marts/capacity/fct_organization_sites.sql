-- Capacity per organisation, country and site: every site a source names
-- (int_organization_presence_sites), one row per organisation, site and status
-- with the latest figure a source gives for it (by as-of date, then retrieval).
-- A site's older announcements are never added to its newer ones, and a
-- site's MW counts only in the site's own country.
select
    organization_id || '|' || site_key || '|' || site_status as organization_site_id,
    organization_id,
    country_iso2,
    layer_code,
    sub_layer_code,
    presence_kind,
    site_key,
    site_name,
    city,
    site_status,
    mw,
    h100_equivalents,
    confidence,
    as_of,
    source_name,
    snapshot_id,
    retrieved_at,
    evidence_url
from {{ ref('int_organization_presence_sites') }}
where site_key is not null
qualify row_number() over (
    partition by organization_id, site_key, site_status
    order by as_of desc nulls last, retrieved_at desc nulls last, mw desc nulls last
) = 1
