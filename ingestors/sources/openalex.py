"""OpenAlex: AI research output of LatAm countries, the institutions behind it and its researchers.

Endpoints (JSON, CC0): ``GET https://api.openalex.org/works`` with ``filter=`` and
``group_by=``, ``GET https://api.openalex.org/institutions`` with ``filter=``, and
``/topics`` and ``/authors`` for the count of AI researchers.

What counts as AI: works whose *primary topic* lies in the subfield
"Artificial Intelligence" (``primary_topic.subfield.id:1702``, field 17
"Computer Science"). OpenAlex's legacy concepts (``concepts.id:C154945302``)
are deprecated and no longer maintained, so they are not used.

Requests, for the last ten publication years including the current, incomplete
one (:func:`window`). First one per year, for every LatAm country at once (the
49 ISO2 codes in one OR filter, under the 50-value limit)::

    /works?filter=primary_topic.subfield.id:1702,publication_year:2024,
                  authorships.institutions.country_code:AG|AI|...|VI
           &group_by=authorships.institutions.country_code&per_page=200
           -> works-by-country-2024.json

then, per country with AI works in the window (most works first, see
:func:`institution_countries`), its institutions::

    /works?filter=primary_topic.subfield.id:1702,authorships.institutions.country_code:BR,
                  publication_year:2017-2026&group_by=authorships.institutions.lineage
           -> works-by-institution-BR.json

and, once for all countries, the institutions those groups name, 50 ids a
request (the long-documented limit of an OR filter; newer docs say 100)::

    /institutions?filter=openalex:I1|I2|...&select=id,display_name,country_code,type,ror
           -> institutions-1.json, institutions-2.json, ...

Finally the AI researchers, in two requests: the topics of the AI subfield, then
the authors with one of them whose last known institution is in a LatAm country,
grouped by that country (see :func:`fetch_authors`)::

    /topics?filter=subfield.id:1702&select=id,display_name&per_page=100
           -> ai-topics.json
    /authors?filter=topics.id:T10028|T10181|...,last_known_institutions.country_code:AG|AI|...|VI
            &group_by=last_known_institutions.country_code&per_page=200
           -> authors-by-country.json

Snapshots taken before December 2026 hold one yearly file per country instead
(``works-by-year-BR.json``, ``group_by=publication_year`` with the window
filter); the parser still reads them.

A group_by answer is ``{"meta": {"count": .., "groups_count": .., ...}, "results": [],
"group_by": [{"key": .., "key_display_name": .., "count": ..}, ...]}``: ``key``
is the raw value for a plain field (``"2021"``) and the OpenAlex URL for an
entity (``"https://openalex.org/I123"``). Errors are ``{"error": .., "message": ..}``
(with HTTP 4xx, so they normally stop the fetch; a 200 carrying one fails the parse).

Traps:

* a work counts for a country when *any* author is affiliated there, so a
  work co-authored by Brazil and Mexico counts for both: country totals do not
  add up to a LatAm total. Grouping by country counts a work once per country
  in its authorships, exactly as filtering by one country does, so the yearly
  answer gives the same numbers as 49 per-country requests;
* the yearly answer also groups the *foreign* countries of co-authors
  (a Brazil-US paper puts the US in it): only LatAm keys are kept. Its key is
  the raw code (``"BR"``) in older answers and an OpenAlex country URL
  (``https://openalex.org/countries/BR``) in the current API; both are read.
  It holds at most 200 countries, far more than the filter's 49 and their
  co-authors' countries usually make;
* grouping the works of a country by institution also returns the foreign
  institutions that co-authored them (a Brazilian AI paper with an MIT author
  puts MIT in Brazil's list). The institutions lookup gives each its own
  ``institution_country_iso2``; keep ``institution_country_iso2 = country_iso2``
  for a country's own institutions;
* ``lineage`` counts a work for the institution *and* its parents (a CONICET
  institute's paper also counts for CONICET), so institution counts do not add
  up either;
* a group_by answer holds the top 200 groups by count, and ``meta.groups_count``
  only counts the groups *of that page*, not how many there are ("we can only
  report the number of groups in the current page", docs.openalex.org, "Get
  groups of entities"). So ``group_by=authorships.author.id`` cannot count
  distinct authors in one request: that needs cursor paging through every
  author, hundreds of requests a country and year, and would also count the
  foreign co-authors of the country's works. Authors are counted on the
  ``/authors`` endpoint instead, where each group counts author profiles once;
* the window includes the current year, which is incomplete (and OpenAlex
  back-fills recent years for months);
* the researcher count is a *current* count, not a yearly one: an author profile
  carries no year to filter on (``counts_by_year`` counts all their works and
  cannot be filtered or grouped). It counts author profiles whose ``topics``
  (the author's most frequent topics, OpenAlex's code keeps the top 25) include
  a topic of the AI subfield and whose ``last_known_institutions`` (the
  affiliations of their most recent work) include one in the country. An
  author with last known institutions in two countries counts in both, and the
  answer also groups non-LatAm countries, which are dropped. OpenAlex
  disambiguates authors automatically, so one person may have two profiles.
  Each refresh dates the count (``retrieved_at``);
* ``topics.id`` takes at most 100 values in one OR filter (the API's limit), so
  the topics request asks for 100 at most; should the subfield ever hold more,
  two author requests would count some authors twice, so the fetch sends none,
  logs why, and the table comes back empty (which the shrink guard stops).

Limits: OpenAlex has required a (free) API key since 13 February 2026; without
one a client gets a small daily allowance (documented as $0.01-$0.10 of usage,
i.e. 100-1,000 list requests), with one $1 a day (10,000 list requests), and
at most 100 requests per second. A live refresh with a key costs ten yearly
requests, one per country with AI works (at most 49), the institution
lookups (about 40-60) and the two requests for researchers. Without
``OPENALEX_API_KEY`` the fetch stays inside the keyless allowance
(:data:`KEYLESS_BUDGET` requests): the ten yearly answers and the two for
researchers, then the institutions of the countries with most AI works in them, while the
worst case (200 new institutions a country, 50 a lookup) still fits (15
countries, at most 87 requests with the two for researchers, against 89 when
every country's yearly counts took a request of their own and institutions
fitted for 8); it logs which countries it left out and names the key to set.
The researcher count adds two requests to every refresh, with or without a key.
OpenAlex documents the key as an ``api_key=`` query parameter, but every query
parameter lands in the snapshot sidecar, so the key is sent as an
``Authorization: Bearer`` header instead, which OpenAlex also accepts. The
contact e-mail goes in ``mailto=`` (the former "polite pool"; harmless and
identifies us). Requests are spaced to 5 per second.

Offline, the sample transport ignores the query string, so every ``/works``
request gets the same ``works.json``: it holds country, year and institution
groups, and each file only keeps the groups of its own kind (in a sample
snapshot; in a live one a group of the wrong kind is quarantined). Offline
every year therefore shows the same country counts, and the institutions are
asked for the countries of the sample (BR, CL, MX) only, which all show the
same institutions. ``/topics`` and ``/authors`` get ``topics.json`` and
``authors.json``.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlencode

from pydantic import Field

from ingestors.core.config import secret
from ingestors.core.registry import FetchPlan, Record, Reject, Row, Source, Table
from ingestors.domain.countries import by_iso2, latam

log = logging.getLogger(__name__)

NAME = "openalex"
HOST = "api.openalex.org"
WORKS_URL = f"https://{HOST}/works"
INSTITUTIONS_URL = f"https://{HOST}/institutions"
TOPICS_URL = f"https://{HOST}/topics"
AUTHORS_URL = f"https://{HOST}/authors"
ENTITY = "https://openalex.org/"
KEY_ENV = "OPENALEX_API_KEY"

AI_SUBFIELD = "1702"  # OpenAlex subfield "Artificial Intelligence" (field 17, Computer Science)
AI_FILTER = f"primary_topic.subfield.id:{AI_SUBFIELD}"
YEARS = 10
BY_YEAR = "publication_year"
BY_INSTITUTION = "authorships.institutions.lineage"
BY_COUNTRY = "authorships.institutions.country_code"
BY_AUTHOR_COUNTRY = "last_known_institutions.country_code"
MAX_OR_VALUES = 100  # values the API takes in one OR filter (topics.id)
LOOKUP_BATCH = 50  # values in one OR filter
LOOKUP_FIELDS = "id,display_name,country_code,type,ror"
SAMPLE_COUNTRIES = ("BR", "CL", "MX")  # the countries of ingestors/samples/openalex/, fetched offline
KEYLESS_BUDGET = 89  # requests a keyless refresh may send (the allowance is about 100 a day)
AUTHOR_REQUESTS = 2  # the AI subfield's topics, then the authors grouped by country
MAX_GROUPS = 200  # a group_by answer holds at most this many groups

YEAR_TABLE = "works_by_country_year"
INSTITUTION_TABLE = "institutions"
AUTHOR_TABLE = "ai_authors_by_country"
TOPICS_FILE = "ai-topics.json"
AUTHORS_FILE = "authors-by-country.json"

_WORKS_FILE = re.compile(r"^works-by-(year|institution)-([A-Z]{2})\.json$")
_COUNTRY_FILE = re.compile(r"^works-by-country-([12][0-9]{3})\.json$")
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")
_LOOKUP_FILE = re.compile(r"^institutions-([1-9][0-9]*)\.json$")
_INSTITUTION = re.compile(r"^I[1-9][0-9]*$")
_TOPIC = re.compile(r"^T[1-9][0-9]*$")
_YEAR = re.compile(r"^[12][0-9]{3}$")
_WINDOW = re.compile(r"publication_year:([0-9]{4})-([0-9]{4})")


# --- raw table models (the contract with the dbt staging models) -----------------------------


class WorksByCountryYear(Row):
    country_iso2: str = Field(pattern=r"^[A-Z]{2}$")
    year: int = Field(ge=1900, le=2100)
    ai_works: int = Field(ge=0)


class Institution(Row):
    institution_id: str = Field(pattern=r"^I[1-9][0-9]*$")
    display_name: str = Field(min_length=1)
    country_iso2: str = Field(pattern=r"^[A-Z]{2}$")  # the country queried
    ai_works: int = Field(ge=0)  # AI works of that country's window naming the institution or a child
    # Appended to the agreed contract:
    institution_country_iso2: str | None  # the institution's own country (from /institutions)
    institution_type: str | None  # education, company, facility, government, nonprofit, healthcare, ...
    ror: str | None  # https://ror.org/... when OpenAlex knows it
    first_year: int | None  # the publication-year window of ai_works
    last_year: int | None


class AiAuthorsByCountry(Row):
    country_iso2: str = Field(pattern=r"^[A-Z]{2}$")  # of one of the author's last known institutions
    ai_authors: int = Field(ge=0)  # author profiles with an AI topic among their topics, at retrieval
    ai_topics: int = Field(ge=1, le=MAX_OR_VALUES)  # topics of the AI subfield the filter named


# --- fetch ------------------------------------------------------------------------------------


def window(today: date) -> tuple[int, int]:
    """The ten publication years ending with the current (incomplete) one."""
    return today.year - YEARS + 1, today.year


def works_filter(iso2: str, first: int, last: int) -> str:
    return f"{AI_FILTER},authorships.institutions.country_code:{iso2},publication_year:{first}-{last}"


def country_filter(year: int, countries: Iterable[str]) -> str:
    return f"{AI_FILTER},publication_year:{year},{BY_COUNTRY}:{'|'.join(countries)}"


def country_file(year: int) -> str:
    return f"works-by-country-{year}.json"


def works_file(kind: str, iso2: str) -> str:
    return f"works-by-{kind}-{iso2}.json"


def lookup_file(n: int) -> str:
    return f"institutions-{n}.json"


def _short_id(key: Any) -> str | None:
    """``https://openalex.org/I123`` (or ``I123``) -> ``I123``; anything else -> None."""
    if not isinstance(key, str):
        return None
    short = key.rsplit("/", 1)[-1] if key.startswith(ENTITY) else key
    return short if _INSTITUTION.match(short) else None


def _country(key: Any) -> str | None:
    """``"BR"`` or ``https://openalex.org/countries/BR`` -> ``BR``; anything else -> None."""
    last = key.rsplit("/", 1)[-1] if isinstance(key, str) else None
    return last.upper() if last and _COUNTRY.match(last) else None


def _country_counts(body: bytes) -> dict[str, int]:
    try:
        groups = json.loads(body).get("group_by") or []
        return {c: g["count"] for g in groups
                if isinstance(g, dict) and (c := _country(g.get("key"))) and isinstance(g.get("count"), int)}
    except (ValueError, AttributeError, TypeError):
        return {}  # parse() reports the bad payload with its snapshot


def _institution_ids(body: bytes) -> set[str]:
    try:
        groups = json.loads(body).get("group_by") or []
        return {i for g in groups if isinstance(g, dict) and (i := _short_id(g.get("key")))}
    except (ValueError, AttributeError, TypeError):
        return set()  # parse() reports the bad payload with its snapshot


def _topic_ids(body: bytes) -> tuple[list[str], int | None]:
    """The topic ids (``T123``) of a /topics answer and its ``meta.count``; ``([], None)`` when unreadable."""
    try:
        data = json.loads(body)
        ids = [t for r in data.get("results") or [] if isinstance(r, dict) and (t := _short_topic(r.get("id")))]
        count = (data.get("meta") or {}).get("count")
        return ids, count if isinstance(count, int) else None
    except (ValueError, AttributeError, TypeError):
        return [], None  # parse() reports the bad payload with its snapshot


def _short_topic(key: Any) -> str | None:
    """``https://openalex.org/T123`` (or ``T123``) -> ``T123``; anything else -> None."""
    if not isinstance(key, str):
        return None
    short = key.rsplit("/", 1)[-1] if key.startswith(ENTITY) else key
    return short if _TOPIC.match(short) else None


def authors_filter(topics: Iterable[str], countries: Iterable[str]) -> str:
    return f"topics.id:{'|'.join(topics)},{BY_AUTHOR_COUNTRY}:{'|'.join(countries)}"


def _batches(ids: Iterable[str], size: int = LOOKUP_BATCH) -> Iterator[list[str]]:
    ordered = sorted(ids, key=lambda i: int(i[1:]))
    for start in range(0, len(ordered), size):
        yield ordered[start:start + size]


def fetch(ctx) -> None:
    first, last = window(datetime.now(UTC).date())
    key = secret(KEY_ENV)
    headers = {"Authorization": f"Bearer {key}"} if key else None  # never in params: the sidecar records them
    mailto = {"mailto": ctx.settings.contact}
    latam_codes = tuple(sorted(c.iso2 for c in latam()))
    totals: Counter[str] = Counter()
    for year in range(first, last + 1):
        body = ctx.get(country_file(year), WORKS_URL,
                       params={"filter": country_filter(year, latam_codes), "group_by": BY_COUNTRY,
                               "per_page": MAX_GROUPS, **mailto}, headers=headers)
        totals.update(_country_counts(body))
    fetch_authors(ctx, latam_codes, headers, mailto)
    countries = SAMPLE_COUNTRIES if ctx.offline else latam_codes
    ids: set[str] = set()
    with_works = tuple(c for c in countries if totals[c] > 0)
    chosen = institution_countries(with_works, totals, keyless=not key and not ctx.offline,
                                   years=last - first + 1 + AUTHOR_REQUESTS)
    for iso2 in chosen:
        body = ctx.get(works_file("institution", iso2), WORKS_URL,
                       params={"filter": works_filter(iso2, first, last), "group_by": BY_INSTITUTION, **mailto},
                       headers=headers)
        ids |= _institution_ids(body)
    if len(chosen) < len(with_works):
        log.warning("openalex: no %s set, so institutions were fetched for %s only (the keyless allowance is "
                    "about 100 requests a day); set %s for every country", KEY_ENV, ", ".join(chosen), KEY_ENV)
    for n, batch in enumerate(_batches(ids), 1):
        ctx.get(lookup_file(n), INSTITUTIONS_URL,
                params={"filter": "openalex:" + "|".join(batch), "select": LOOKUP_FIELDS,
                        "per_page": LOOKUP_BATCH, **mailto},
                headers=headers)


def fetch_authors(ctx, countries: tuple[str, ...], headers: Mapping[str, str] | None,
                  mailto: Mapping[str, str]) -> None:
    """The AI researchers of every LatAm country in two requests: the AI subfield's topics, then the author
    profiles naming one of them, grouped by the country of their last known institutions."""
    body = ctx.get(TOPICS_FILE, TOPICS_URL,
                   params={"filter": f"subfield.id:{AI_SUBFIELD}", "select": "id,display_name",
                           "per_page": MAX_OR_VALUES, **mailto}, headers=headers)
    topics, count = _topic_ids(body)
    if not topics or (count or 0) > len(topics):
        log.warning("openalex: the AI subfield lists %s topics, %d readable (one OR filter takes %d), so AI "
                    "researchers were not counted", count, len(topics), MAX_OR_VALUES)
        return
    ctx.get(AUTHORS_FILE, AUTHORS_URL,
            params={"filter": authors_filter(topics, countries), "group_by": BY_AUTHOR_COUNTRY,
                    "per_page": MAX_GROUPS, **mailto}, headers=headers)


def institution_countries(countries: tuple[str, ...], totals: Mapping[str, int], *, keyless: bool,
                          years: int = YEARS) -> tuple[str, ...]:
    """The countries whose institutions are fetched, most AI works first: all of them with a key; without one,
    as many as fit :data:`KEYLESS_BUDGET` in the worst case (the ``years`` requests sent before them, the yearly
    ones and the two for researchers, come first)."""
    ordered = tuple(sorted(countries, key=lambda c: (-totals.get(c, 0), c)))
    if not keyless:
        return ordered
    chosen: list[str] = []
    for iso2 in ordered:
        k = len(chosen) + 1
        worst_lookups = -(-k * MAX_GROUPS // LOOKUP_BATCH)
        if years + k + worst_lookups > KEYLESS_BUDGET:
            break
        chosen.append(iso2)
    return tuple(chosen)


# --- parse ------------------------------------------------------------------------------------


def _body(snapshot, name: str, field: str) -> dict:
    body = snapshot.read_json(name)
    if not isinstance(body, dict):
        raise snapshot.error("expected a JSON object", file=name)
    if body.get("error") or (body.get("message") and field not in body):
        reason = "; ".join(str(body[k]) for k in ("error", "message") if body.get(k))
        raise snapshot.error(f"the API answered with an error: {reason}"[:300], file=name)
    if not isinstance(body.get(field), list):
        raise snapshot.error(f'no "{field}" list in the answer', file=name)
    return body


def _query_url(snapshot, name: str) -> str:
    """The API request a file answers, without the contact address."""
    f = snapshot.file(name)
    query = {k: v for k, v in f.query.items() if k != "mailto"}
    return f"{f.url}?{urlencode(query)}" if query else f.url


def _window_of(snapshot, name: str) -> tuple[int | None, int | None]:
    m = _WINDOW.search(str(snapshot.file(name).query.get("filter", "")))
    return (int(m.group(1)), int(m.group(2))) if m else (None, None)


def _lookups(snapshot, names: list[str]) -> dict[str, Mapping[str, Any]]:
    found: dict[str, Mapping[str, Any]] = {}
    for name in names:
        for item in _body(snapshot, name, "results")["results"]:
            if isinstance(item, dict) and (iid := _short_id(item.get("id"))):
                found[iid] = item
    return found


def _year(key: Any) -> int | None:
    """``"2021"`` (or a URL ending in ``/2021``) -> 2021."""
    last = key.rsplit("/", 1)[-1] if isinstance(key, str) else None
    return int(last) if last and _YEAR.match(last) else None


def _groups(snapshot, name: str, kind: str, iso2: str, lookups: Mapping[str, Mapping[str, Any]]
            ) -> Iterator[Record | Reject]:
    body = _body(snapshot, name, "group_by")
    table = YEAR_TABLE if kind == "year" else INSTITUTION_TABLE
    url = _query_url(snapshot, name)
    first, last = _window_of(snapshot, name)
    for i, group in enumerate(body["group_by"]):
        record_id = f"{name}#{i}"
        if not isinstance(group, dict):
            yield Reject(table, record_id, "group is not a JSON object", group)
            continue
        key, count = group.get("key"), group.get("count")
        year, institution = _year(key), _short_id(key)
        if kind == "year":
            mine, other_kind = year, (isinstance(key, str) and key.startswith(ENTITY)) or _country(key) is not None
        else:
            mine, other_kind = institution, year is not None or _country(key) is not None
        if mine is None:
            if other_kind and snapshot.sample:
                continue  # offline: one sample answers both kinds of request
            wanted = "a year" if kind == "year" else "an institution id"
            yield Reject(table, record_id, f"key {key!r} is not {wanted}", group)
            continue
        if kind == "year":
            yield Record(YEAR_TABLE, {"country_iso2": iso2, "year": year, "ai_works": count},
                         record_id=f"{iso2}/{year}", record_url=url)
            continue
        info = lookups.get(institution, {})
        country = info.get("country_code")
        yield Record(
            INSTITUTION_TABLE,
            {
                "institution_id": institution,
                "display_name": group.get("key_display_name") or info.get("display_name"),
                "country_iso2": iso2,
                "ai_works": count,
                "institution_country_iso2": country.upper() if isinstance(country, str) and country else None,
                "institution_type": info.get("type") or None,
                "ror": info.get("ror") or None,
                "first_year": first,
                "last_year": last,
            },
            record_id=f"{iso2}/{institution}",
            record_url=f"{ENTITY}{institution}",
        )


def _latam_groups(snapshot, name: str, table: str, *, ignore_key=None) -> Iterator[Reject | tuple[str, dict]]:
    """The groups of a grouped answer (``group_by``), as (ISO2, group) for each LatAm country. A group that is not
    an object, or whose key is not a country code (unless ``ignore_key`` says to pass over it), is a Reject;
    other countries (foreign co-authors, a second institution abroad) are dropped."""
    body = _body(snapshot, name, "group_by")
    known = by_iso2()
    for i, group in enumerate(body["group_by"]):
        record_id = f"{name}#{i}"
        if not isinstance(group, dict):
            yield Reject(table, record_id, "group is not a JSON object", group)
            continue
        key = group.get("key")
        iso2 = _country(key)
        if iso2 is None:
            if not (ignore_key and ignore_key(key)):
                yield Reject(table, record_id, f"key {key!r} is not a country code", group)
            continue
        if iso2 in known:
            yield iso2, group


def _country_groups(snapshot, name: str, year: int) -> Iterator[Record | Reject]:
    """The LatAm countries' AI works in one year's answer grouped by country (foreign co-authors' countries
    are dropped)."""
    url = _query_url(snapshot, name)

    def other_sample_answer(key) -> bool:  # offline: one sample answers every kind of request
        return snapshot.sample and (_year(key) is not None or (isinstance(key, str) and key.startswith(ENTITY)))

    for item in _latam_groups(snapshot, name, YEAR_TABLE, ignore_key=other_sample_answer):
        if isinstance(item, Reject):
            yield item
            continue
        iso2, group = item
        yield Record(YEAR_TABLE, {"country_iso2": iso2, "year": year, "ai_works": group.get("count")},
                     record_id=f"{iso2}/{year}", record_url=url)


def _ai_topics(snapshot) -> int:
    """How many AI topics the authors request named: the topics answer, which must be complete."""
    if TOPICS_FILE not in snapshot.names():
        raise snapshot.error(f"no {TOPICS_FILE} beside it", file=AUTHORS_FILE)
    body = _body(snapshot, TOPICS_FILE, "results")
    topics = {t for r in body["results"] if isinstance(r, dict) and (t := _short_topic(r.get("id")))}
    count = (body.get("meta") or {}).get("count")
    if not topics or (isinstance(count, int) and count > len(topics)):
        raise snapshot.error(f"{len(topics)} readable topics of {count} in the AI subfield", file=TOPICS_FILE)
    return len(topics)


def _author_groups(snapshot) -> Iterator[Record | Reject]:
    """Author profiles with an AI topic per LatAm country of their last known institutions (other countries
    dropped)."""
    topics = _ai_topics(snapshot)
    url = _query_url(snapshot, AUTHORS_FILE)
    for item in _latam_groups(snapshot, AUTHORS_FILE, AUTHOR_TABLE):
        if isinstance(item, Reject):
            yield item
            continue
        iso2, group = item
        yield Record(AUTHOR_TABLE, {"country_iso2": iso2, "ai_authors": group.get("count"), "ai_topics": topics},
                     record_id=iso2, record_url=url)


def parse(snapshot) -> Iterator[Record | Reject]:
    works: list[tuple[str, str, str]] = []
    by_country: list[tuple[str, int]] = []
    lookup_names: list[str] = []
    authors = False
    for name in snapshot.names():
        if name == AUTHORS_FILE:
            authors = True
        elif name == TOPICS_FILE:
            continue  # read with the authors answer; alone (the subfield had too many topics) it yields nothing
        elif m := _COUNTRY_FILE.match(name):
            by_country.append((name, int(m.group(1))))
        elif m := _WORKS_FILE.match(name):
            if m.group(2) not in by_iso2():
                raise snapshot.error(f"{m.group(2)} is not a LatAm country of the seed", file=name)
            works.append((name, m.group(1), m.group(2)))
        elif _LOOKUP_FILE.match(name):
            lookup_names.append(name)
        else:
            raise snapshot.error("unexpected file", file=name)
    lookups = _lookups(snapshot, lookup_names)
    for name, year in by_country:
        yield from _country_groups(snapshot, name, year)
    for name, kind, iso2 in works:
        yield from _groups(snapshot, name, kind, iso2, lookups)
    if authors:
        yield from _author_groups(snapshot)


SOURCE = Source(
    name=NAME,
    family="organisations",
    title="OpenAlex AI research output",
    endpoint='`api.openalex.org/works`, AI subfield: grouped by country once a year, by institution per LatAm '
             'country; `/authors` with an AI topic, grouped by country',
    description="Works in OpenAlex's Artificial Intelligence subfield with an author in each LatAm "
                "country, per publication year (last ten years, one grouped request a year) and per institution, "
                "and the author profiles with an AI topic per country of their last known institution.",
    homepage="https://openalex.org",
    licence="OpenAlex, CC0",
    cadence="monthly",
    tables=(
        Table(YEAR_TABLE, WorksByCountryYear, ("country_iso2", "year"),
              "AI works (primary topic in subfield 1702) with at least one author affiliated in the "
              "country, per publication year; a co-authored work counts for every country.",
              partition_by="country_iso2"),
        Table(INSTITUTION_TABLE, Institution, ("institution_id", "country_iso2"),
              "The top 200 institutions (with their child institutions) on a country's AI works of the "
              "window, foreign co-authors included: institution_country_iso2 tells them apart."),
        Table(AUTHOR_TABLE, AiAuthorsByCountry, ("country_iso2",),
              "Author profiles with a topic of the AI subfield among their top topics, per country of their last "
              "known institutions, as of the snapshot (a current count: authors carry no year). An author with "
              "last known institutions in two countries counts in both.",
              min_rows=0),  # snapshots before December 2026 hold no authors answer
    ),
    fetch=fetch,
    parse=parse,
    plan=FetchPlan(
        max_requests=250,  # ten yearly requests, one per LatAm country, the lookups, two for authors, and retries
        rate_limits={HOST: 5.0},  # OpenAlex allows far more; stay gentle
        key_env=KEY_ENV,
        # The query string is ignored offline: one works.json answers every /works request (see parse).
    ),
)
