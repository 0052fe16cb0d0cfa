select
    qid as wikidata_qid,
    label as organization_name,
    description,
    country_iso2,
    country_iso2_all,
    hq_city,
    website,
    inception,
    dissolved,
    industry_labels,
    instance_of_labels,
    aliases,
    wikipedia_url,
    is_stale,
    stale_from_snapshot,
    {{ provenance_columns() }}
from {{ source('wikidata', 'organizations') }}
