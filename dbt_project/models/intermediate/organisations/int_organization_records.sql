-- Every record that describes an organisation, from every source, in one shape
-- for entity resolution (int_organizations_resolved): the registry, YC,
-- Epoch's LatAm model builders, Wikidata and OpenAlex's domestic institutions.
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

epoch_developers as (
    -- Epoch lists several organisations per model, each with its own country at
    -- the same position of the Country cell (the two lists unnest in step).
    select
        unnest(organizations) as org,
        unnest(organization_country_iso2s) as own_country_iso2
    from {{ ref('stg_epoch_notable_models__models') }}
),

epoch_orgs as (
    -- One record per LatAm organisation, with its own country (the most
    -- frequent across its models), never a co-developer's. A co-developer
    -- outside LatAm (or whose country Epoch's lists do not line up to give)
    -- has no record: Cadena has no country to give it.
    select
        'epoch:' || org as record_key,
        'epoch_notable_models' as source_name,
        org as source_record_id,
        org as name,
        cast([] as varchar[]) as aliases,
        mode(own_country_iso2) as country_iso2,
        null as website,
        null as wikidata_qid,
        cast([] as varchar[]) as same_as_keys,
        cast([] as varchar[]) as not_same_as_keys
    from epoch_developers
    where org <> '' and own_country_iso2 is not null
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
