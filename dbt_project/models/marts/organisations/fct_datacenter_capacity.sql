-- Data-center capacity announcements (MW) by site, operator and status, each
-- with its confidence and source. Sums over different statuses or dates are
-- not capacity: filter on status first.
select
    c.organization_id || '#' || c.announcement_index as capacity_announcement_id,
    c.organization_id,
    o.organization_name,
    c.site,
    c.country_iso2,
    c.city,
    c.mw,
    c.status,
    c.as_of,
    c.confidence,
    c.note,
    c.source_url,
    c.source_publication,
    c.source_date,
    c.source_name,
    c.snapshot_id,
    c.retrieved_at
from {{ ref('stg_curated_registry__capacity_announcements') }} as c
inner join {{ ref('stg_curated_registry__organizations') }} as o using (organization_id)
