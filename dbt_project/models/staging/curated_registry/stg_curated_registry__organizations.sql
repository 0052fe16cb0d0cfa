select
    organization_id,
    name as organization_name,
    aliases,
    org_type,
    hq_country_iso2,
    hq_city,
    website,
    founded as founded_year,
    status,
    wikidata_qid,
    huggingface_handle,
    description,
    same_as,
    not_same_as,
    source_urls,
    file_path,
    {{ provenance_columns() }}
from {{ source('curated_registry', 'organizations') }}
