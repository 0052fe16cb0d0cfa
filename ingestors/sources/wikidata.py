"""Wikidata: organisations of the AI value chain headquartered or registered in LatAm.

Endpoint: the Wikidata Query Service, ``GET https://query.wikidata.org/sparql``
with ``query=<SPARQL>&format=json`` (and ``Accept: application/sparql-results+json``).
The answer is the W3C *SPARQL 1.1 Query Results JSON* document::

    {"head": {"vars": ["org", ...]},
     "results": {"bindings": [{"org": {"type": "uri", "value": "http://www.wikidata.org/entity/Q1"},
                               "label": {"type": "literal", "value": "...", "xml:lang": "pt"},
                               "inception": {"type": "literal", "value": "2015-01-01T00:00:00Z",
                                             "datatype": "http://www.w3.org/2001/XMLSchema#dateTime"},
                               ...}, ...]}}

A variable with no value in a row is simply absent from that binding.

Limits and etiquette: every query is cut off after 60 seconds; each client
(User-Agent + IP) gets 60 seconds of query time per minute, and clients
without a descriptive User-Agent may be refused (the HTTP client always sends
``settings.user_agent``, which names the project and a contact). One query per
LatAm country, spaced by a 1 request/second limit, keeps every query small:
49 requests per live refresh (the countries of ``latam_countries.csv``).

The query (:func:`build_query`), for one country QID:

* an organisation qualifies when its industry (``P452``) is one of
  :data:`INDUSTRY_CLASSES`, or it is an instance (``P31``) of one of
  :data:`INSTANCE_CLASSES`, or an instance of a subclass (``P31/P279*``) of
  one of :data:`INSTANCE_CLASS_TREES`. ``P279*`` is only used for those few
  classes whose instances are routinely typed with a subclass (federal
  universities, research centres, mobile operators); walking the subclass
  tree of broad classes (software, company) would blow the 60 s budget;
* and its headquarters (``P159``) lie in the country (the place's ``P17`` or
  ``P131`` is the country; ``P131`` catches places directly inside a territory
  such as Puerto Rico, whose places carry the United States in ``P17``), or
  the organisation's own ``P17``/``P131`` is the country. ``matched_by`` says
  which (``headquarters`` wins when both hold). Places deeper inside a
  territory are missed unless the organisation itself names the territory;
* the rows are aggregated in SPARQL, ``GROUP BY ?org ?country``: labels of
  industries, classes and aliases are ``GROUP_CONCAT``-ed with a tab (Wikibase
  normalises whitespace in terms, so a label never contains one); the
  headquarters label, website, inception and dissolution date are the ``MIN``
  (deterministic, unlike ``SAMPLE``; the earliest inception wins);
* labels come from the label service in manual mode (the automatic
  ``?xLabel`` mode cannot feed aggregates), in the country's language, then ``mul``, ``es``,
  ``pt``, ``en``; the Wikipedia article is the one in the country's language,
  else English, Spanish, Portuguese; aliases are ``skos:altLabel`` in those
  languages;
* ``ORDER BY ?org`` keeps the answer stable when nothing changed, so an
  unchanged week is usually recognised as such (the order inside a
  ``GROUP_CONCAT`` is not guaranteed; the parser sorts the lists).

Traps:

* an item with no label in any requested language gets its QID as label from
  the label service: such an organisation is quarantined (a label is
  required), and such industry/class labels are dropped from the lists;
* "unknown value" statements come back as ``/.well-known/genid/`` IRIs; the
  query filters them out (``MIN`` would otherwise prefer them);
* dates are ``xsd:dateTime`` at midnight UTC whatever their precision (a
  year-precision inception reads ``2015-01-01T00:00:00Z``): kept as the date;
  a Wikibase-JSON form ``+2015-00-00T00:00:00Z`` is accepted too (``00``
  month/day become ``01``); BCE dates become NULL;
* a timeout arrives either as an HTTP 500 with a Java stack trace (retried by
  the HTTP client, then a ``FetchError``) or as an HTTP 200 whose JSON stops
  midway, followed by ``java.util.concurrent.TimeoutException`` (the parser
  fails the source with a one-line reason); a query error is a stack trace
  starting ``SPARQL-QUERY:``;
* an organisation can qualify under several countries (a HQ in one, ``P17``
  another): the parser aggregates it into one row, deterministically: the
  country matched by headquarters wins, then the first ISO2 code
  alphabetically; ``country_iso2_all`` lists every country it matched.

Offline, the sample transport serves the same one file for every country
(it ignores the query). Each file therefore only contributes the bindings of
its own country, which is all a live answer holds anyway (the query pins
``?country``); bindings of other countries are skipped in a sample snapshot
and quarantined in a live one (where they cannot legitimately occur).

A country that fails alone: when one country's query times out (an HTTP 500
after the retries, or a 200 cut off by a ``TimeoutException``), the other
countries still load. The fetch then copies that country's last good answer
from an earlier snapshot into this one as ``carried-<snapshot>-orgs-<ISO2>.json``;
its rows load flagged ``is_stale`` with the snapshot they come from. With no
earlier good answer it writes ``failed-orgs-<ISO2>.txt`` and the country's
absence is a quarantine row naming it, not a failed source.

Licence: Wikidata's data is CC0.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import Field

from ingestors.core.errors import FetchError
from ingestors.core.registry import FetchPlan, Record, Reject, Row, Source, Table
from ingestors.domain.countries import latam

log = logging.getLogger(__name__)

NAME = "wikidata"
HOST = "query.wikidata.org"
ENDPOINT = f"https://{HOST}/sparql"
ENTITY = "http://www.wikidata.org/entity/"
ITEM_PAGE = "https://www.wikidata.org/wiki/"
FILE_PREFIX = "orgs-"
TABLE = "organizations"
SEPARATOR = "\t"  # GROUP_CONCAT separator; "\\t" in the SPARQL text

# ISO 3166-1 alpha-2 -> Wikidata item of the country or territory, for every row of
# dbt_project/seeds/latam_countries.csv (a test checks that the two stay in step).
COUNTRY_QIDS: dict[str, str] = {
    "AR": "Q414", "BO": "Q750", "BR": "Q155", "CL": "Q298", "CO": "Q739", "EC": "Q736",
    "GY": "Q734", "PY": "Q733", "PE": "Q419", "SR": "Q730", "UY": "Q77", "VE": "Q717",
    "GF": "Q3769", "MX": "Q96", "BZ": "Q242", "CR": "Q800", "SV": "Q792", "GT": "Q774",
    "HN": "Q783", "NI": "Q811", "PA": "Q804", "CU": "Q241", "DO": "Q786", "HT": "Q790",
    "JM": "Q766", "PR": "Q1183", "TT": "Q754", "BS": "Q778", "BB": "Q244", "AG": "Q781",
    "DM": "Q784", "GD": "Q769", "KN": "Q763", "LC": "Q760", "VC": "Q757", "AW": "Q21203",
    "CW": "Q25279", "SX": "Q26273", "BQ": "Q27561", "KY": "Q5785", "TC": "Q18221",
    "VG": "Q25305", "VI": "Q11703", "AI": "Q25228", "MS": "Q13353", "GP": "Q17012",
    "MQ": "Q17054", "MF": "Q126125", "BL": "Q25362",
}

# The language of labels and of the Wikipedia article tried first; Spanish elsewhere.
PRIMARY_LANGUAGE: dict[str, str] = {
    "BR": "pt",
    **dict.fromkeys(("GY", "BZ", "JM", "TT", "BS", "BB", "AG", "DM", "GD", "KN", "LC", "VC",
                     "KY", "TC", "VG", "VI", "AI", "MS"), "en"),
    **dict.fromkeys(("HT", "GF", "GP", "MQ", "MF", "BL"), "fr"),
    **dict.fromkeys(("SR", "AW", "CW", "SX", "BQ"), "nl"),
}
FALLBACK_LANGUAGES = ("es", "pt", "en")

# Classes that make an organisation part of the chain (QID -> English label).
# Matched as industry (P452 = class), directly.
INDUSTRY_CLASSES: dict[str, str] = {
    "Q11660": "artificial intelligence",
    "Q7397": "software",
    "Q880371": "software industry",
    "Q483639": "cloud computing",
    "Q671224": "data center",
    "Q11456": "semiconductor",
    "Q418": "telecommunications",
    "Q11661": "information technology",
}
# Matched as instance of (P31 = class), directly.
INSTANCE_CLASSES: dict[str, str] = {
    "Q1058914": "software company",
    "Q18388277": "technology company",
    "Q671224": "data center",
}
# Matched as instance of a subclass (P31/P279* = class): keep this list short, P279* is costly.
INSTANCE_CLASS_TREES: dict[str, str] = {
    "Q3918": "university",
    "Q31855": "research institute",
    "Q2401749": "telecommunication company",  # ISPs and mobile operators are typed with its subclasses
}

# The variables the parser reads; an answer missing one means the query and the parser disagree.
VARS = ("org", "country", "matched_by", "label", "description", "hq_city", "website", "inception",
        "dissolved", "industries", "instance_of", "aliases", "wikipedia", "industry_qids", "instance_of_qids")

_QID = re.compile(r"^Q[1-9][0-9]*$")
_FILE = re.compile(rf"^{FILE_PREFIX}([A-Z]{{2}})\.json$")
_CARRIED = re.compile(rf"^carried-([^/]+?)-{FILE_PREFIX}([A-Z]{{2}})\.json$")
_FAILED = re.compile(rf"^failed-{FILE_PREFIX}([A-Z]{{2}})\.txt$")
_DATE = re.compile(r"^([+-]?)([0-9]{1,16})-([0-9]{2})-([0-9]{2})(?:T|$)")
_TIMEOUT_MARKERS = (b"java.util.concurrent.TimeoutException", b"QueryTimeoutException")


# --- raw table model (the contract with the dbt staging model) --------------------------------


class Organization(Row):
    qid: str = Field(pattern=r"^Q[1-9][0-9]*$")
    label: str = Field(min_length=1)
    description: str | None
    country_iso2: str = Field(pattern=r"^[A-Z]{2}$")
    hq_city: str | None
    website: str | None
    inception: date | None
    industry_labels: list[str]
    instance_of_labels: list[str]
    aliases: list[str]
    wikipedia_url: str | None
    # Appended to the agreed contract:
    country_iso2_all: list[str]  # every LatAm country the organisation matched, sorted; never empty
    dissolved: date | None  # P576 "dissolved, abolished or demolished date"
    industry_qids: list[str] = []  # the QIDs of industry_labels' items (P452), for rules that match QIDs
    instance_of_qids: list[str] = []  # the QIDs of instance_of_labels' items (P31)
    is_stale: bool = False  # its country's query failed this time: the row comes from an earlier answer
    stale_from_snapshot: str | None = None  # the snapshot that answer was taken in


# --- fetch ------------------------------------------------------------------------------------


def file_name(iso2: str) -> str:
    return f"{FILE_PREFIX}{iso2}.json"


def _values(qids: Mapping[str, str]) -> str:
    return " ".join(f"wd:{q}" for q in qids)


def _languages(iso2: str) -> tuple[str, ...]:
    first = PRIMARY_LANGUAGE.get(iso2, "es")
    return (first, *(lang for lang in FALLBACK_LANGUAGES if lang != first))


def build_query(iso2: str) -> str:
    """The SPARQL query for one country (see the module docstring)."""
    langs = _languages(iso2)
    label_langs = ",".join((langs[0], "mul", *langs[1:]))
    wiki = (langs[0], *(lang for lang in ("en", "es", "pt") if lang != langs[0]))[:3]
    alias_langs = ", ".join(f'"{lang}"' for lang in langs)
    articles = "\n".join(
        f"  OPTIONAL {{ ?wp{i} schema:about ?org ; schema:isPartOf <https://{lang}.wikipedia.org/> . }}"
        for i, lang in enumerate(wiki, 1)
    )
    return f"""#Cadena (LatAm AI value chain): organisations of {iso2}
SELECT ?org ?country (MAX(?via) AS ?matched_by)
  (SAMPLE(?orgLabel) AS ?label) (SAMPLE(?orgDescription) AS ?description)
  (MIN(?hqLabel) AS ?hq_city) (MIN(?site) AS ?website)
  (MIN(?founded) AS ?inception) (MIN(?ended) AS ?dissolved)
  (GROUP_CONCAT(DISTINCT ?industryLabel; separator="\\t") AS ?industries)
  (GROUP_CONCAT(DISTINCT ?classLabel; separator="\\t") AS ?instance_of)
  (GROUP_CONCAT(DISTINCT ?alias; separator="\\t") AS ?aliases)
  (SAMPLE(COALESCE(?wp1, ?wp2, ?wp3)) AS ?wikipedia)
  (GROUP_CONCAT(DISTINCT STRAFTER(STR(?industry), "/entity/"); separator="\t") AS ?industry_qids)
  (GROUP_CONCAT(DISTINCT STRAFTER(STR(?class), "/entity/"); separator="\t") AS ?instance_of_qids)
WHERE {{
  {{
    SELECT DISTINCT ?org ?country ?via WHERE {{
      VALUES ?country {{ wd:{COUNTRY_QIDS[iso2]} }}
      {{ VALUES ?industryClass {{ {_values(INDUSTRY_CLASSES)} }} ?org wdt:P452 ?industryClass . }}
      UNION {{ VALUES ?directClass {{ {_values(INSTANCE_CLASSES)} }} ?org wdt:P31 ?directClass . }}
      UNION {{ VALUES ?treeClass {{ {_values(INSTANCE_CLASS_TREES)} }} ?org wdt:P31/wdt:P279* ?treeClass . }}
      {{ ?org wdt:P159 ?hqPlace . ?hqPlace wdt:P17|wdt:P131 ?country . BIND("headquarters" AS ?via) }}
      UNION {{ ?org wdt:P17|wdt:P131 ?country . BIND("country" AS ?via) }}
    }}
  }}
  OPTIONAL {{ ?org wdt:P452 ?industry . }}
  OPTIONAL {{ ?org wdt:P31 ?class . }}
  OPTIONAL {{ ?org wdt:P159 ?hq . FILTER(!CONTAINS(STR(?hq), "/.well-known/genid/")) }}
  OPTIONAL {{ ?org wdt:P856 ?site . FILTER(isIRI(?site) && !CONTAINS(STR(?site), "/.well-known/genid/")) }}
  OPTIONAL {{ ?org wdt:P571 ?founded . FILTER(isLiteral(?founded)) }}
  OPTIONAL {{ ?org wdt:P576 ?ended . FILTER(isLiteral(?ended)) }}
  OPTIONAL {{ ?org skos:altLabel ?alias . FILTER(LANG(?alias) IN ({alias_langs})) }}
{articles}
  SERVICE wikibase:label {{
    bd:serviceParam wikibase:language "{label_langs}" .
    ?org rdfs:label ?orgLabel ; schema:description ?orgDescription .
    ?industry rdfs:label ?industryLabel .
    ?class rdfs:label ?classLabel .
    ?hq rdfs:label ?hqLabel .
  }}
}}
GROUP BY ?org ?country
ORDER BY ?org
"""


def fetch(ctx) -> None:
    for country in latam():
        if country.iso2 not in COUNTRY_QIDS:
            raise FetchError(NAME, ENDPOINT, f"no Wikidata QID for seed country {country.iso2}: "
                                             "add it to wikidata.COUNTRY_QIDS")
    for iso2 in sorted(c.iso2 for c in latam()):
        try:
            body = ctx.get(file_name(iso2), ENDPOINT, params={"query": build_query(iso2), "format": "json"},
                           headers={"Accept": "application/sparql-results+json"})
            reason = "the query timed out on the server (60 s limit)" if timed_out(body) else None
        except FetchError as exc:
            if ctx.offline:
                raise
            reason = str(exc)
        if reason and not ctx.offline:
            _keep_last_good_answer(ctx, iso2, reason)


def timed_out(body: bytes) -> bool:
    return any(marker in body for marker in _TIMEOUT_MARKERS)


def _keep_last_good_answer(ctx, iso2: str, reason: str) -> None:
    """Copy the country's last good answer from an earlier snapshot, or record that there is none."""
    from ingestors.core.snapshots import SnapshotStore

    store = SnapshotStore(ctx.settings.raw_dir)
    for snapshot_id in reversed(store.list(NAME)):
        earlier = store.open(NAME, snapshot_id)
        for name in earlier.names():
            m_carried = _CARRIED.match(name)
            if name == file_name(iso2) or (m_carried and m_carried.group(2) == iso2):
                body = earlier.read_bytes(name)
                if timed_out(body):
                    continue
                origin = m_carried.group(1) if m_carried else snapshot_id
                log.warning("wikidata: %s failed (%s); keeping its answer of snapshot %s", iso2, reason, origin)
                ctx.add_file(f"carried-{origin}-{file_name(iso2)}", body, earlier.url_of(name))
                return
    log.warning("wikidata: %s failed (%s) and no earlier snapshot has a good answer for it", iso2, reason)
    ctx.add_file(f"failed-{FILE_PREFIX}{iso2}.txt", reason.encode(), ENDPOINT)


# --- parse ------------------------------------------------------------------------------------


class BindingError(Exception):
    """One binding cannot be used; it goes to quarantine with this reason."""


@dataclass(frozen=True)
class _Candidate:
    iso2: str
    matched_by: str
    data: dict[str, Any]


def _results(snapshot, name: str) -> list:
    """The bindings of one answer, or fail the source with a one-line reason."""
    raw = snapshot.read_bytes(name)
    if any(marker in raw for marker in _TIMEOUT_MARKERS):
        raise snapshot.error("the query timed out on the server (60 s limit)", file=name)
    head = raw.lstrip()[:200]
    if head.startswith((b"SPARQL-QUERY", b"java.", b"Exception", b"org.openrdf", b"Invalid")):
        first = head.decode("utf-8", "replace").splitlines()[0][:120]
        raise snapshot.error(f"the endpoint answered with an error: {first}", file=name)
    body = snapshot.read_json(name)
    if not isinstance(body, dict) or not isinstance(body.get("head"), dict) \
            or not isinstance(body.get("results"), dict):
        raise snapshot.error('expected SPARQL JSON results {"head": ..., "results": ...}', file=name)
    variables = body["head"].get("vars")
    bindings = body["results"].get("bindings")
    if not isinstance(variables, list) or not isinstance(bindings, list):
        raise snapshot.error("SPARQL JSON results without head.vars or results.bindings", file=name)
    missing = [v for v in VARS if v not in variables]
    if missing:
        raise snapshot.error(f"the answer lacks variable(s) {', '.join(missing)}: query and parser disagree",
                             file=name)
    return bindings


def _term(binding: Mapping[str, Any], var: str) -> Mapping[str, Any] | None:
    term = binding.get(var)
    if term is None:
        return None
    if not isinstance(term, dict) or "type" not in term or not isinstance(term.get("value"), str):
        raise BindingError(f"{var}: not an RDF term")
    return term


def _literal(binding: Mapping[str, Any], var: str) -> str | None:
    term = _term(binding, var)
    if term is None:
        return None
    if term["type"] not in ("literal", "typed-literal"):
        raise BindingError(f"{var}: expected a literal, got {term['type']}")
    return term["value"].strip() or None


def _uri(binding: Mapping[str, Any], var: str) -> str | None:
    term = _term(binding, var)
    if term is None:
        return None
    if term["type"] != "uri":
        raise BindingError(f"{var}: expected a URI, got {term['type']}")
    return term["value"]


def _entity(binding: Mapping[str, Any], var: str) -> str:
    """The QID of a Wikidata entity URI such as ``http://www.wikidata.org/entity/Q155``."""
    value = _uri(binding, var)
    qid = value[len(ENTITY):] if value and value.startswith(ENTITY) else ""
    if not _QID.match(qid):
        raise BindingError(f"{var}: not a Wikidata entity URI: {value!r}")
    return qid


def parse_date(value: str | None) -> date | None:
    """A Wikidata time value as a date: ``2015-01-01T00:00:00Z`` or ``+2015-00-00T00:00:00Z``.

    BCE and out-of-range years become ``None``; an unreadable value raises ``ValueError``.
    """
    if value is None:
        return None
    m = _DATE.match(value.strip())
    if not m:
        raise ValueError(f"not a Wikidata date: {value!r}")
    sign, year, month, day = m.group(1), int(m.group(2)), int(m.group(3)), int(m.group(4))
    if sign == "-" or not 1 <= year <= 9999:
        return None
    return date(year, max(month, 1), max(day, 1))  # 00 = unknown month/day at year precision


def _date(binding: Mapping[str, Any], var: str) -> date | None:
    try:
        return parse_date(_literal(binding, var))
    except ValueError as exc:
        raise BindingError(f"{var}: {exc}") from None


def _label(binding: Mapping[str, Any], var: str) -> str | None:
    """A label from the label service; a bare QID means the item has none in the languages asked."""
    value = _literal(binding, var)
    return None if value is None or _QID.match(value) else value


def _labels(binding: Mapping[str, Any], var: str, *, drop: str | None = None) -> list[str]:
    """A GROUP_CONCAT-ed list: split, trimmed, without bare QIDs (unlabelled items), sorted."""
    value = _literal(binding, var) or ""
    items = {s.strip() for s in value.split(SEPARATOR)}
    return sorted(s for s in items if s and not _QID.match(s) and s != drop)


def _organisation(binding: Mapping[str, Any], qid: str) -> dict[str, Any]:
    label = _literal(binding, "label")
    if label is None or label == qid:
        raise BindingError("label: no label in any requested language")
    return {
        "qid": qid,
        "label": label,
        "description": _literal(binding, "description"),
        "hq_city": _label(binding, "hq_city"),
        "website": _uri(binding, "website"),
        "inception": _date(binding, "inception"),
        "industry_labels": _labels(binding, "industries"),
        "instance_of_labels": _labels(binding, "instance_of"),
        "aliases": _labels(binding, "aliases", drop=label),
        "wikipedia_url": _uri(binding, "wikipedia"),
        "dissolved": _date(binding, "dissolved"),
        "industry_qids": _qids(binding, "industry_qids"),
        "instance_of_qids": _qids(binding, "instance_of_qids"),
    }


def _qids(binding: Mapping[str, Any], var: str) -> list[str]:
    """A GROUP_CONCAT-ed list of QIDs (the label-free twin of industries / instance_of), sorted."""
    items = {s.strip() for s in (_literal(binding, var) or "").split(SEPARATOR)}
    return sorted((s for s in items if _QID.match(s)), key=lambda q: int(q[1:]))


def _iso2_of(snapshot, name: str) -> str:
    m = _FILE.match(name)
    if not m or m.group(1) not in COUNTRY_QIDS:
        raise snapshot.error("unexpected file: expected orgs-<LatAm ISO2>.json", file=name)
    return m.group(1)


def parse(snapshot) -> Iterator[Record | Reject]:
    candidates: dict[str, list[_Candidate]] = {}
    names = snapshot.names()
    carried = {m.group(2): (name, m.group(1)) for name in names if (m := _CARRIED.match(name))}
    for name in names:
        if m := _FAILED.match(name):
            why = snapshot.read_bytes(name).decode()[:200]
            yield Reject(TABLE, name, f"{m.group(1)}: the country's query failed and no earlier snapshot has a good "
                                      f"answer, so it has no rows this time ({why})", {"country_iso2": m.group(1)})
            continue
        stale_from = None
        if m := _CARRIED.match(name):
            iso2, stale_from = m.group(2), m.group(1)
        else:
            iso2 = _iso2_of(snapshot, name)
            if iso2 in carried and timed_out(snapshot.read_bytes(name)):
                continue  # its rows come from the carried answer
        wanted = COUNTRY_QIDS[iso2]
        for i, binding in enumerate(_results(snapshot, name)):
            record_id = f"{name}#{i}"
            if not isinstance(binding, dict):
                yield Reject(TABLE, record_id, "binding is not a JSON object", binding)
                continue
            try:
                country = _entity(binding, "country")
                if country != wanted:
                    if snapshot.sample:
                        continue  # offline: the one sample file answers every country
                    raise BindingError(f"country: {country} in the answer for {iso2} ({wanted})")
                qid = _entity(binding, "org")
                data = {**_organisation(binding, qid), "is_stale": stale_from is not None,
                        "stale_from_snapshot": stale_from}
                matched_by = _literal(binding, "matched_by") or "country"
            except BindingError as exc:
                yield Reject(TABLE, record_id, str(exc), binding)
                continue
            candidates.setdefault(qid, []).append(_Candidate(iso2, matched_by, data))
    for qid in sorted(candidates, key=lambda q: int(q[1:])):
        found = sorted(candidates[qid], key=lambda c: (c.data["is_stale"], c.matched_by != "headquarters", c.iso2))
        yield Record(
            TABLE,
            {**found[0].data, "country_iso2": found[0].iso2,
             "country_iso2_all": sorted({c.iso2 for c in found})},
            record_id=qid,
            record_url=f"{ITEM_PAGE}{qid}",
        )


SOURCE = Source(
    name=NAME,
    family="organisations",
    title="Wikidata organisations",
    endpoint='`query.wikidata.org/sparql`, one query per LatAm country for organisations in chain industries',
    description="Companies, universities and research institutes of the AI value chain (AI, software, "
                "cloud, data centers, semiconductors, telecoms) headquartered or registered in LatAm, "
                "from the Wikidata Query Service, one SPARQL query per country.",
    homepage="https://www.wikidata.org",
    licence="Wikidata, CC0",
    cadence="weekly",
    tables=(
        Table(TABLE, Organization, ("qid",),
              "One Wikidata organisation (QID) with its labels, industries, classes, headquarters city, "
              "website, dates and Wikipedia article; country_iso2 is the country it is headquartered in "
              "(else registered in), country_iso2_all every LatAm country it matched."),
    ),
    fetch=fetch,
    parse=parse,
    plan=FetchPlan(
        max_requests=120,  # one query per LatAm country (49), one retry each
        rate_limits={HOST: 1.0},  # be gentle: queries share a 60 s-per-minute budget per client
        # The query string is ignored offline: one sample answers every country (see parse).
        sample_routes={f"{HOST}/sparql": "orgs.json"},
        # A query may run up to the service's 60 s limit, and each retry re-runs it.
        timeout_s=65.0,
        attempts=2,
    ),
)
