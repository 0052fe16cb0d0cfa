-- One row per canonical organisation. For now the curated registry is the
-- canonical list; organisations found only by the automatic sources (YC,
-- Wikidata, OpenAlex, Epoch, Hugging Face) join through entity resolution.
with layers as (
    select organization_id, count(*) as layer_count
    from {{ ref('stg_curated_registry__organization_layers') }}
    group by 1
)

select
    o.organization_id,
    o.organization_name,
    o.aliases,
    o.org_type,
    o.hq_country_iso2,
    o.hq_country_iso2 in (select country_iso2 from {{ ref('dim_country') }}) as is_latam,
    o.hq_city,
    o.website,
    o.founded_year,
    o.status,
    coalesce(l.layer_count, 0) > 0 as is_in_ai_value_chain,
    o.wikidata_qid,
    o.huggingface_handle,
    o.description,
    ['curated_registry'] as sources,
    o.source_urls,
    o.file_path as registry_file,
    o.snapshot_id,
    o.retrieved_at
from {{ ref('stg_curated_registry__organizations') }} as o
left join layers as l using (organization_id)
