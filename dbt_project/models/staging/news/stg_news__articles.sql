-- Feed items seen, with whether they looked like funding news and whether the page was read.
select
    article_url,
    feed_url,
    title,
    published_at,
    language,
    looks_like_funding,
    body_fetched,
    event_count,
    {{ provenance_columns() }}
from {{ source('news', 'articles') }}
