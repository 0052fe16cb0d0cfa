-- What the classification rules look at, per organisation record: tags,
-- industries, classes and descriptive text. (The curated registry states its
-- layers directly and needs no rules.)
select
    'yc:' || yc_company_id as record_key,
    coalesce(tags, cast([] as varchar[])) as tags,
    list_distinct(list_filter(
        coalesce(industries, cast([] as varchar[])) || [industry, subindustry], lambda x: x is not null
    )) as industries,
    cast([] as varchar[]) as classes,
    concat_ws(' ', one_liner, long_description) as description
from {{ ref('stg_yc__companies') }}
union all
select
    'epoch:' || t.org as record_key,
    cast([] as varchar[]) as tags,
    cast([] as varchar[]) as industries,
    cast([] as varchar[]) as classes,
    -- Only a builder of a foundation-scale model gets the phrase the foundation
    -- rule reads: a model trained with at least 1e23 FLOP (Epoch's own
    -- "large-scale" threshold, https://epoch.ai/data/large-scale-ai-models) or a
    -- language or multimodal model of at least a billion parameters. Any other
    -- notable model is an AI signal only (a small image classifier is not a
    -- foundation model).
    case
        when bool_or({{ is_foundation_scale_model('m') }})
            then 'foundation model pre-trained by ' || t.org
        else 'machine learning research by ' || t.org
    end as description
from {{ ref('stg_epoch_notable_models__models') }} as m,
    (select unnest(m.organizations) as org, unnest(m.organization_country_iso2s) as own_country_iso2) as t
-- the LatAm builders only: a co-developer elsewhere (or of unknown country) is not classified here
where t.org <> '' and t.own_country_iso2 is not null
group by t.org
union all
select
    'wikidata:' || wikidata_qid as record_key,
    cast([] as varchar[]) as tags,
    coalesce(industry_labels, cast([] as varchar[])) as industries,
    -- labels (in the country's language) and QIDs: rules match either
    coalesce(industry_labels, cast([] as varchar[])) || coalesce(instance_of_labels, cast([] as varchar[]))
        || coalesce(industry_qids, cast([] as varchar[])) || coalesce(instance_of_qids, cast([] as varchar[]))
        as classes,
    coalesce(description, '') as description
from {{ ref('stg_wikidata__organizations') }}
union all
select
    'openalex:' || institution_id as record_key,
    cast([] as varchar[]) as tags,
    cast([] as varchar[]) as industries,
    -- OpenAlex institution types, in the words the Wikidata-class rules use
    [case max(institution_type)
        when 'education' then 'university'
        when 'company' then 'company'
        else 'research institute'
    end] as classes,
    -- an institution publishing AI works shows an AI signal
    'artificial intelligence research' as description
from {{ ref('stg_openalex__institutions') }}
where is_domestic
group by institution_id
