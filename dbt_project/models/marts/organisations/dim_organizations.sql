-- One row per canonical organisation: the clusters of entity resolution. A
-- cluster that contains a curated-registry record takes its id and attributes
-- from the registry (registry_status 'registry'); otherwise it is an
-- organisation a source named and no curator has described yet
-- (registry_status 'discovered'), with the records that name it as evidence.
-- Names are never dropped and never merged without a resolution rule.
with records as (
    select
        r.record_key,
        r.organization_id,
        o.source_name,
        o.source_record_id,
        o.name,
        o.country_iso2,
        o.website,
        o.wikidata_qid,
        o.evidence_url
    from {{ ref('int_organizations_resolved') }} as r
    inner join {{ ref('int_organization_records') }} as o using (record_key)
),

clusters as (
    select
        organization_id,
        list_sort(list_distinct(list(source_name))) as sources,
        list_sort(list(record_key)) as source_record_keys,
        count(*) as source_record_count,
        arg_min(name, case source_name when 'curated_registry' then 0 when 'yc' then 1 else 2 end) as name,
        arg_min(country_iso2, case when country_iso2 is null then 9
            when source_name = 'curated_registry' then 0 when source_name = 'yc' then 1 else 2 end) as country_iso2,
        arg_min(website, case when website is null then 9 when source_name = 'curated_registry' then 0 else 1 end)
            as website,
        max(wikidata_qid) as wikidata_qid,
        list_sort(list_distinct(list(evidence_url) filter (where evidence_url is not null))) as evidence_urls
    from records
    group by organization_id
),

registry as (
    select * from {{ ref('stg_curated_registry__organizations') }}
),

yc as (
    select 'yc:' || yc_company_id as record_key, * from {{ ref('stg_yc__companies') }}
),

cluster_yc as (
    select records.organization_id, arg_min(yc, yc.yc_company_id) as yc
    from records inner join yc using (record_key)
    group by records.organization_id
),

cluster_inception as (
    -- Wikidata's inception (P571) states when an organisation was founded
    select records.organization_id, min(year(w.inception)) as inception_year
    from records
    inner join {{ ref('stg_wikidata__organizations') }} as w on records.record_key = 'wikidata:' || w.wikidata_qid
    group by records.organization_id
),

memberships as (
    select organization_id, count(*) filter (where layer_code is not null) as layer_count,
           bool_or(has_ai_signal) as has_ai_signal
    from {{ ref('int_organization_memberships') }}
    group by organization_id
)

select
    c.organization_id,
    coalesce(registry.organization_name, c.name) as organization_name,
    coalesce(registry.aliases, cast([] as varchar[])) as aliases,
    coalesce(
        registry.org_type,
        case
            when cy.yc is not null then 'startup'
            when c.sources = ['investors'] then 'investor'
        end
    ) as org_type,
    case when registry.organization_id is not null then 'registry' else 'discovered' end as registry_status,
    coalesce(registry.hq_country_iso2, c.country_iso2) as hq_country_iso2,
    coalesce(registry.hq_country_iso2, c.country_iso2) in (select country_iso2 from {{ ref('dim_country') }})
        as is_latam,
    registry.hq_city,
    coalesce(registry.website, c.website) as website,
    -- a year a source states as the founding (never YC's launched_at, the directory launch)
    coalesce(registry.founded_year, ci.inception_year) as founded_year,
    coalesce(registry.status, lower(cy.yc.status)) as status,
    coalesce(m.layer_count, 0) > 0 as is_in_ai_value_chain,
    case
        when registry.organization_id is not null and coalesce(m.layer_count, 0) > 0 then 'curated'
        when coalesce(m.layer_count, 0) > 0 then 'classified'
        when m.has_ai_signal then 'unclassified'
        else 'outside_chain'
    end as classification_status,
    coalesce(registry.wikidata_qid, c.wikidata_qid) as wikidata_qid,
    registry.huggingface_handle,
    coalesce(registry.description, cy.yc.one_liner) as description,
    cy.yc.team_size as team_size,
    cy.yc.batch as yc_batch,
    c.sources,
    c.source_record_keys,
    c.source_record_count,
    list_distinct(coalesce(registry.source_urls, cast([] as varchar[])) || c.evidence_urls) as source_urls,
    registry.file_path as registry_file
from clusters as c
left join registry using (organization_id)
left join cluster_yc as cy using (organization_id)
left join cluster_inception as ci using (organization_id)
left join memberships as m using (organization_id)
