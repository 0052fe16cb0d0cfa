-- Every record that names an organisation, from every source, in one shape for
-- entity resolution (int_organizations_resolved): the registry, YC, Epoch's
-- model builders and cluster owners, Wikidata, OpenAlex's domestic institutions,
-- PeeringDB facility and IXP operators, TOP500 sites, TeleGeography cable
-- owners, cloud provider codes, funded companies (news, SEC Form D, exports),
-- investors and Hugging Face authors. A name that matches no registry record
-- stays an organisation of its own (dim_organizations.registry_status =
-- 'discovered'), with this record as its evidence.
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
        list_transform(not_same_as, lambda x: 'curated_registry:' || x) as not_same_as_keys,
        record_url as evidence_url
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
        cast([] as varchar[]) as not_same_as_keys,
        yc_url as evidence_url
    from {{ ref('stg_yc__companies') }}
),

epoch_developers as (
    -- Epoch lists several organisations per model, each with its own country at
    -- the same position of the Country cell (the two lists unnest in step).
    select
        unnest(organizations) as org,
        unnest(organization_country_iso2s) as own_country_iso2,
        record_url
    from {{ ref('stg_epoch_notable_models__models') }}
),

epoch_orgs as (
    -- One record per organisation, with its own country (the most frequent
    -- across its models), never a co-developer's: a European institute that
    -- co-wrote a model with an Argentine lab keeps its own country, and one
    -- whose country Epoch's lists do not line up to give has none (null).
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
        cast([] as varchar[]) as not_same_as_keys,
        min(record_url) as evidence_url
    from epoch_developers
    where org <> ''
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
        cast([] as varchar[]) as not_same_as_keys,
        record_url as evidence_url
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
        cast([] as varchar[]) as not_same_as_keys,
        min(record_url) as evidence_url
    from {{ ref('stg_openalex__institutions') }}
    where is_domestic
    group by institution_id
),

peeringdb as (
    -- operators of the LatAm facilities and IXPs PeeringDB lists
    select
        'peeringdb:' || o.org_id as record_key,
        'peeringdb' as source_name,
        cast(o.org_id as varchar) as source_record_id,
        o.org_name as name,
        list_filter([o.aka], lambda x: x is not null and x <> '') as aliases,
        o.country_iso2,
        o.website,
        null as wikidata_qid,
        cast([] as varchar[]) as same_as_keys,
        cast([] as varchar[]) as not_same_as_keys,
        o.record_url as evidence_url
    from {{ ref('stg_peeringdb__organizations') }} as o
    where o.org_id in (
        select f.operator_org_id from {{ ref('stg_peeringdb__facilities') }} as f
        inner join {{ ref('latam_countries') }} as c on c.iso2 = f.country_iso2
        union
        select x.operator_org_id from {{ ref('stg_peeringdb__internet_exchanges') }} as x
        inner join {{ ref('latam_countries') }} as c on c.iso2 = x.country_iso2
    )
),

cluster_owners as (
    -- Epoch writes one owner per cluster (sometimes several, comma-joined); the country is the owner's only when
    -- all its clusters are in one country
    select
        'epoch_cluster_owner:' || owner_name as record_key,
        'epoch_gpu_clusters' as source_name,
        owner_name as source_record_id,
        owner_name as name,
        cast([] as varchar[]) as aliases,
        case when count(distinct country_iso2s[1]) = 1 then min(country_iso2s[1]) end as country_iso2,
        null as website,
        null as wikidata_qid,
        cast([] as varchar[]) as same_as_keys,
        cast([] as varchar[]) as not_same_as_keys,
        min(record_url) as evidence_url
    from {{ ref('stg_epoch_gpu_clusters__clusters') }},
        unnest(string_split(owner, ',')) as t(raw_owner),
        (select trim(raw_owner) as owner_name)
    where owner is not null and owner_name <> ''
    group by owner_name
),

top500_sites as (
    select
        'top500:' || coalesce(cast(site_id as varchar), site) as record_key,
        'top500' as source_name,
        coalesce(cast(site_id as varchar), site) as source_record_id,
        arg_max(site, list_edition) as name,
        cast([] as varchar[]) as aliases,
        arg_max(country_iso2, list_edition) as country_iso2,
        null as website,
        null as wikidata_qid,
        cast([] as varchar[]) as same_as_keys,
        cast([] as varchar[]) as not_same_as_keys,
        arg_max(record_url, list_edition) as evidence_url
    from {{ ref('stg_top500__systems') }}
    where is_latam and site is not null
    group by 1, 2, 3
),

cable_owners as (
    -- owners of cables that land in LatAm; TeleGeography gives no country for an owner
    select
        'telegeography:' || owner_name as record_key,
        'telegeography' as source_name,
        owner_name as source_record_id,
        owner_name as name,
        cast([] as varchar[]) as aliases,
        null as country_iso2,
        null as website,
        null as wikidata_qid,
        cast([] as varchar[]) as same_as_keys,
        cast([] as varchar[]) as not_same_as_keys,
        min(c.record_url) as evidence_url
    from {{ ref('stg_telegeography__cables') }} as c,
        unnest(c.owners) as t(owner_name)
    where owner_name is not null and trim(owner_name) <> ''
        and c.cable_id in (
            select l.cable_id from {{ ref('stg_telegeography__cable_landings') }} as l
            inner join {{ ref('stg_telegeography__landing_points') }} as lp using (landing_point_id)
            where lp.is_latam
        )
    group by owner_name
),

cloud_providers as (
    -- the price and IP-range sources name a provider by code (aws, gcp, azure, oracle)
    select
        'cloud_provider:' || provider as record_key,
        'cloud_providers' as source_name,
        provider as source_record_id,
        organization_name as name,
        cast([] as varchar[]) as aliases,
        null as country_iso2,
        null as website,
        null as wikidata_qid,
        list_filter(['curated_registry:' || registry_organization_id], lambda x: x is not null) as same_as_keys,
        cast([] as varchar[]) as not_same_as_keys,
        null as evidence_url
    from {{ ref('cloud_providers') }}
),

news_companies as (
    select
        'news:' || lower(trim(company_name)) as record_key,
        'news' as source_name,
        lower(trim(company_name)) as source_record_id,
        arg_min(company_name, published_date) as name,
        cast([] as varchar[]) as aliases,
        null as country_iso2,
        null as website,
        null as wikidata_qid,
        cast([] as varchar[]) as same_as_keys,
        cast([] as varchar[]) as not_same_as_keys,
        arg_min(article_url, published_date) as evidence_url
    from {{ ref('stg_news__funding_events') }}
    where is_round and company_name is not null and trim(company_name) <> ''
    group by 1, 2, 3
),

form_d_issuers as (
    select
        'sec_form_d:' || cik as record_key,
        'sec_form_d' as source_name,
        cast(cik as varchar) as source_record_id,
        arg_max(entity_name, filing_date) as name,
        cast([] as varchar[]) as aliases,
        arg_max(country_iso2, filing_date) as country_iso2,
        null as website,
        null as wikidata_qid,
        list_filter(['curated_registry:' || max(matched_registry_id)], lambda x: x is not null) as same_as_keys,
        cast([] as varchar[]) as not_same_as_keys,
        arg_max(record_url, filing_date) as evidence_url
    from {{ ref('stg_sec_form_d__offerings') }}
    where not coalesce(is_pooled_investment_fund, false)
    group by cik
),

export_companies as (
    select
        'licensed_exports:' || lower(trim(organization_name)) || coalesce('@' || country_iso2, '') as record_key,
        'licensed_exports' as source_name,
        lower(trim(organization_name)) || coalesce('@' || country_iso2, '') as source_record_id,
        min(organization_name) as name,
        cast([] as varchar[]) as aliases,
        country_iso2,
        min(organization_website) as website,
        null as wikidata_qid,
        cast([] as varchar[]) as same_as_keys,
        cast([] as varchar[]) as not_same_as_keys,
        min(coalesce(source_url, record_url)) as evidence_url
    from {{ ref('stg_licensed_exports__rounds') }}
    where organization_name is not null and trim(organization_name) <> ''
    group by 1, 2, 3, country_iso2
),

investor_names as (
    select unnest(list_concat(investors, lead_investors)) as investor_name, article_url as evidence_url
    from {{ ref('stg_news__funding_events') }}
    where is_round
    union all
    select unnest(list_concat(investors, lead_investors)), coalesce(source_url, record_url)
    from {{ ref('stg_licensed_exports__rounds') }}
    union all
    select unnest(list_concat(investors, lead_investors)), record_url
    from {{ ref('stg_curated_registry__funding_rounds') }}
),

investors as (
    select
        'investor:' || lower(trim(investor_name)) as record_key,
        'investors' as source_name,
        lower(trim(investor_name)) as source_record_id,
        min(trim(investor_name)) as name,
        cast([] as varchar[]) as aliases,
        null as country_iso2,
        null as website,
        null as wikidata_qid,
        cast([] as varchar[]) as same_as_keys,
        cast([] as varchar[]) as not_same_as_keys,
        min(evidence_url) as evidence_url
    from investor_names
    where investor_name is not null and trim(investor_name) <> ''
    group by 1, 2, 3
),

hub_authors as (
    -- authors of the Hub models loaded, and of the base models they name (base_model:<author>/<model> tags)
    select
        'huggingface:' || handle as record_key,
        'huggingface' as source_name,
        handle as source_record_id,
        handle as name,
        cast([] as varchar[]) as aliases,
        null as country_iso2,
        null as website,
        null as wikidata_qid,
        list_filter(['curated_registry:' || max(organization_id)], lambda x: x is not null) as same_as_keys,
        cast([] as varchar[]) as not_same_as_keys,
        'https://huggingface.co/' || handle as evidence_url
    from (
        select hub_handle as handle, organization_id from {{ ref('stg_huggingface__models') }}
        union all
        select
            split_part(regexp_replace(t.tag, '^base_model:((adapter|finetune|quantized|merge):)?', ''), '/', 1),
            null
        from {{ ref('stg_huggingface__models') }}
        cross join unnest(tags) as t(tag)
        where t.tag like 'base_model:%/%'
        union all
        select huggingface_handle, organization_id from {{ ref('stg_curated_registry__organizations') }}
        where huggingface_handle is not null
    )
    where handle is not null and handle <> ''
    group by handle
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
union all
select * from peeringdb
union all
select * from cluster_owners
union all
select * from top500_sites
union all
select * from cable_owners
union all
select * from cloud_providers
union all
select * from news_companies
union all
select * from form_d_issuers
union all
select * from export_companies
union all
select * from investors
union all
select * from hub_authors
