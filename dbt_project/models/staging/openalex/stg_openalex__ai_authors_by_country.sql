-- AI researchers per LatAm country, as OpenAlex counts them today: author profiles with a topic of the
-- Artificial Intelligence subfield among their top topics whose last known institutions include one in the
-- country. A current count dated by the snapshot (author profiles carry no year).
select
    country_iso2,
    ai_authors,
    ai_topics,
    cast(timezone('UTC', _retrieved_at) as date) as as_of,
    {{ provenance_columns() }}
from {{ source('openalex', 'ai_authors_by_country') }}
