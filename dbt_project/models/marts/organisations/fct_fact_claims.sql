-- Facts that sources may state differently, side by side: one row per claim
-- (a source's value for an attribute of a subject), never added up. Claims:
--   * a site's MW per status (registry announcements, each with its date;
--     Epoch's cluster power; TOP500's system power);
--   * a GPU cluster's H100-equivalents (Epoch);
--   * a model's parameters (Epoch);
--   * a cloud region's launch year (the curated catalogue);
--   * an organisation's founding year (registry, Wikidata inception) and
--     headquarters country (registry, YC, Wikidata, PeeringDB, SEC Form D).
-- Headline rule (is_headline, one per subject and attribute): the curator's
-- claim first; then the most recent as-of date; then the stronger confidence
-- (reported, then estimated, then claimed); then the source order below.
-- has_conflict says whether the claims of a subject and attribute disagree.
with resolved as (
    select record_key, organization_id from {{ ref('int_organizations_resolved') }}
),

site_claims as (
    select
        'site' as subject_kind,
        site_key as subject_id,
        site_name as subject_name,
        'mw_' || site_status as attribute,
        mw as value_number,
        cast(null as varchar) as value_text,
        'MW' as unit,
        as_of,
        confidence,
        source_name,
        evidence_url,
        snapshot_id
    from {{ ref('int_organization_presence_sites') }}
    where mw is not null
    union all
    select 'site', site_key, site_name, 'h100_equivalents', h100_equivalents, null, 'H100e', as_of, confidence,
           source_name, evidence_url, snapshot_id
    from {{ ref('int_organization_presence_sites') }}
    where h100_equivalents is not null
),

model_claims as (
    select 'model', 'epoch:' || model_name, model_name, 'parameters', parameters, null, 'parameters',
           publication_date, 'reported', source_name, record_url, snapshot_id
    from {{ ref('stg_epoch_notable_models__models') }}
    where parameters is not null
),

region_claims as (
    select 'cloud_region', provider || ':' || region_code, region_name, 'launch_year', cast(launch_year as double),
           null, 'year', null, 'reported', 'cloud_region_catalogue', catalogue_source_url, null
    from {{ ref('int_cloud_regions_catalogued') }}
    where launch_year is not null
),

organization_claims as (
    select 'organization', r.organization_id, o.organization_name, 'founded_year', cast(o.founded_year as double),
           null, 'year', null, 'reported', 'curated_registry', o.record_url, o.snapshot_id
    from {{ ref('stg_curated_registry__organizations') }} as o
    inner join resolved as r on r.record_key = 'curated_registry:' || o.organization_id
    where o.founded_year is not null
    union all
    select 'organization', r.organization_id, w.organization_name, 'founded_year', cast(year(w.inception) as double),
           null, 'year', null, 'reported', 'wikidata', w.record_url, w.snapshot_id
    from {{ ref('stg_wikidata__organizations') }} as w
    inner join resolved as r on r.record_key = 'wikidata:' || w.wikidata_qid
    where w.inception is not null
    union all
    select 'organization', r.organization_id, rec.name, 'hq_country', null, rec.country_iso2, 'ISO 3166-1 alpha-2',
           null, 'reported', rec.source_name, rec.evidence_url, null
    from {{ ref('int_organization_records') }} as rec
    inner join resolved as r using (record_key)
    where rec.country_iso2 is not null
        and rec.source_name in ('curated_registry', 'yc', 'wikidata', 'peeringdb', 'sec_form_d')
),

unioned as (
    select * from site_claims
    union all select * from model_claims
    union all select * from region_claims
    union all select * from organization_claims
),

ranked as (
    select
        *,
        row_number() over (
            partition by subject_kind, subject_id, attribute
            order by
                case when source_name = 'curated_registry' then 0 else 1 end,
                as_of desc nulls last,
                case confidence when 'reported' then 0 when 'estimated' then 1 when 'claimed' then 2 else 3 end,
                case source_name
                    when 'curated_registry' then 0 when 'wikidata' then 1 when 'yc' then 2 when 'epoch_gpu_clusters' then 3
                    when 'epoch_notable_models' then 4 when 'top500' then 5 when 'peeringdb' then 6 else 9
                end,
                evidence_url
        ) as claim_rank,
        count(distinct coalesce(cast(value_number as varchar), value_text))
            over (partition by subject_kind, subject_id, attribute) > 1 as has_conflict
    from unioned
)

select
    md5(concat_ws('|', subject_kind, subject_id, attribute, source_name, coalesce(evidence_url, ''),
                  coalesce(cast(as_of as varchar), ''), coalesce(cast(value_number as varchar), value_text)))
        as claim_id,
    subject_kind,
    subject_id,
    subject_name,
    attribute,
    value_number,
    value_text,
    unit,
    as_of,
    confidence,
    source_name,
    evidence_url,
    snapshot_id,
    claim_rank,
    claim_rank = 1 as is_headline,
    has_conflict
from ranked
qualify row_number() over (
    partition by subject_kind, subject_id, attribute, source_name, coalesce(evidence_url, ''),
        coalesce(cast(as_of as varchar), ''), coalesce(cast(value_number as varchar), value_text)
    order by claim_rank
) = 1
