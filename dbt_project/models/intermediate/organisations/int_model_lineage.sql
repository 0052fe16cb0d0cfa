-- Which model builds on which, from the sources: Epoch's "Base model" column
-- (a model name, sometimes several comma-joined) and the Hugging Face Hub's
-- base_model tags ("base_model:meta-llama/Llama-3.1-8B", or with the relation
-- in the middle: "base_model:finetune:...", "base_model:quantized:...",
-- "base_model:adapter:...", "base_model:merge:..."). Each side carries the
-- organisation entity resolution gives it: for Epoch the first organisation
-- of the model's Organization cell (as fct_models attributes it), for the Hub
-- the author of the repository (huggingface:<handle>). One row per model and
-- base model.
with resolved as (
    select record_key, organization_id from {{ ref('int_organizations_resolved') }}
),

epoch as (
    select
        'epoch:' || m.model_name as model_key,
        m.model_name,
        trim(split_part(m.organization_name, ',', 1)) as builder_name,
        trim(b.base_name) as base_model_name,
        m.record_url,
        m.snapshot_id,
        m.retrieved_at
    from {{ ref('stg_epoch_notable_models__models') }} as m
    cross join unnest(string_split(m.base_model, ',')) as b(base_name)
    where m.base_model is not null and trim(b.base_name) <> ''
),

epoch_lineage as (
    select
        e.model_key,
        e.model_name,
        'epoch_notable_models' as source_name,
        rb.organization_id as builder_organization_id,
        coalesce('epoch:' || base.model_name, 'epoch:' || e.base_model_name) as base_model_key,
        e.base_model_name,
        rbase.organization_id as base_organization_id,
        e.record_url as evidence_url,
        e.snapshot_id,
        e.retrieved_at
    from epoch as e
    left join resolved as rb on rb.record_key = 'epoch:' || e.builder_name
    left join {{ ref('stg_epoch_notable_models__models') }} as base on base.model_name = e.base_model_name
    left join resolved as rbase
        on rbase.record_key = 'epoch:' || trim(split_part(base.organization_name, ',', 1))
),

hub as (
    select
        h.model_id,
        h.hub_handle,
        regexp_replace(t.tag, '^base_model:((adapter|finetune|quantized|merge):)?', '') as base_model_id,
        h.record_url,
        h.snapshot_id,
        h.retrieved_at
    from {{ ref('stg_huggingface__models') }} as h
    cross join unnest(h.tags) as t(tag)
    where t.tag like 'base_model:%'
),

hub_lineage as (
    select
        'huggingface:' || h.model_id as model_key,
        h.model_id as model_name,
        'huggingface' as source_name,
        rb.organization_id as builder_organization_id,
        'huggingface:' || h.base_model_id as base_model_key,
        h.base_model_id as base_model_name,
        rbase.organization_id as base_organization_id,
        h.record_url as evidence_url,
        h.snapshot_id,
        h.retrieved_at
    from hub as h
    left join resolved as rb on rb.record_key = 'huggingface:' || h.hub_handle
    left join resolved as rbase on rbase.record_key = 'huggingface:' || split_part(h.base_model_id, '/', 1)
    where h.base_model_id like '%/%'
)

select distinct * from epoch_lineage
union all
select distinct * from hub_lineage
