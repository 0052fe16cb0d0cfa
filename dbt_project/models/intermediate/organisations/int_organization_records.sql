-- Every record that describes an organisation, from every source, in one shape
-- for entity resolution (int_organizations_resolved): the registry, YC,
-- Epoch's model builders, Wikidata and OpenAlex's domestic institutions.
with registry as (
    select
        'curated_registry:' || organization_id as record_key,
        'curated_registry' as source_name,
        organization_id as source_record_id,
        organization_name as name,
        aliases,
        hq_country_iso2 as country_iso2,
        website,
        wikidata_qid,
        list_transform(same_as, lambda x: 'curated_registry:' || x) as same_as_keys,
        list_transform(not_same_as, lambda x: 'curated_registry:' || x) as not_same_as_keys
    from {{ ref('stg_curated_registry__organizations') }}
),

yc as (
    select
        'yc:' || yc_company_id as record_key,
        'yc' as source_name,
        cast(yc_company_id as varchar) as source_record_id,
        company_name as name,
        former_names as aliases,
        hq_country_iso2 as country_iso2,
        website,
        null as wikidata_qid,
        cast([] as varchar[]) as same_as_keys,
        cast([] as varchar[]) as not_same_as_keys
    from {{ ref('stg_yc__companies') }}
),

epoch_orgs as (
    -- Epoch joins several organisations with commas in one cell: one record each.
    select
        'epoch:' || org as record_key,
        'epoch_notable_models' as source_name,
        org as source_record_id,
        org as name,
        cast([] as varchar[]) as aliases,
        min(country_iso2s[1]) as country_iso2,
        null as website,
        null as wikidata_qid,
        cast([] as varchar[]) as same_as_keys,
        cast([] as varchar[]) as not_same_as_keys
    from {{ ref('stg_epoch_notable_models__models') }},
        unnest(string_split(organization_name, ',')) as t(raw_org),
        (select trim(raw_org) as org)
    where organization_name is not null and trim(raw_org) <> ''
    group by org
),

wikidata as (
    select
        'wikidata:' || wikidata_qid as record_key,
        'wikidata' as source_name,
        wikidata_qid as source_record_id,
        organization_name as name,
        coalesce(aliases, cast([] as varchar[])) as aliases,
        country_iso2,
        website,
        wikidata_qid,
        cast([] as varchar[]) as same_as_keys,
        cast([] as varchar[]) as not_same_as_keys
    from {{ ref('stg_wikidata__organizations') }}
),

openalex as (
    -- the country's own research institutions (foreign co-authors left out)
    select
        'openalex:' || institution_id as record_key,
        'openalex' as source_name,
        institution_id as source_record_id,
        arg_max(institution_name, ai_works) as name,
        cast([] as varchar[]) as aliases,
        arg_max(institution_country_iso2, ai_works) as country_iso2,
        null as website,
        null as wikidata_qid,
        cast([] as varchar[]) as same_as_keys,
        cast([] as varchar[]) as not_same_as_keys
    from {{ ref('stg_openalex__institutions') }}
    where is_domestic
    group by institution_id
)

select * from registry
union all
select * from yc
union all
select * from epoch_orgs
union all
select * from wikidata
union all
select * from openalex
