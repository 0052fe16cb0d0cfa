"""Entity resolution: one canonical organisation per real-world entity.

Records about organisations arrive from many sources (the curated registry, YC, Wikidata, OpenAlex, Epoch,
PeeringDB, TeleGeography, TOP500, funding sources, Hugging Face). Two records are the same organisation when,
in this order:

1. a curator said so (``same_as``) -- or said not (``not_same_as``, which wins);
2. they share a Wikidata QID (different QIDs: never the same); two records of a source that gives each
   organisation one id (YC, Wikidata, OpenAlex, the registry, SEC CIKs) are never the same;
3. they share a website domain; two websites that cannot be one organisation's (weave.com / getweave.com,
   lantern.so / lantern.dev; fintual.com / fintual.cl can) veto every name rule below -- two YC companies may
   both be called "Lantern";
4. their normalised names (accents, case, punctuation, parentheses and legal suffixes such as S.A. de C.V.,
   Ltda., SpA, S.A.S., S.R.L., Inc., Co., Ltd., A/S removed) or aliases are equal and their countries do not
   disagree;
5. one normalised name is the other's leading words and the rest are generic company words ("olist" /
   "olist servicos digitais", "lumen" / "lumen technologies") or the initials of the name ("corporacion nacional
   de telecomunicaciones" / "... cnt"). In one country any generic word counts; when a country is unknown only
   corporate words do (never a country name: "Claro" is not "Claro Brasil");
6. in the same country, the names are close (rapidfuzz token-sort ratio >= 93).

Countries: a TOP500 site and an Epoch cluster give the country of the machine, not of its owner (NVIDIA's
systems sit in the US, Taiwan and Israel), so such a country never makes two names disagree -- except for a
descriptive name made only of institutional words ("Servicio Meteorológico Nacional" is Argentina's and
Mexico's), which needs its countries to agree.

Matches are closed transitively (union-find); a cluster's canonical id is its curated-registry id when it has
one, else the first record's key. Pure functions only: the dbt model ``int_organizations_resolved`` calls
:func:`resolve`; ``warehouse/benchmarks/resolution_benchmark.py`` scores :func:`decide` on labelled pairs.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from urllib.parse import urlsplit

from rapidfuzz import fuzz

from ingestors.domain.countries import fold

FUZZY_THRESHOLD = 93.0
LEGAL_SUFFIXES = (
    "s a b de c v", "s a p i de c v", "s de r l de c v", "s a de c v", "s de rl de cv", "sa de cv", "s a p i",
    "s a s", "sas", "s r l", "srl", "s p a", "spa", "s a", "sa", "ltda", "ltd", "limitada", "eireli", "s a c",
    "inc", "incorporated", "llc", "corp", "corporation", "gmbh", "plc", "ag", "bv", "me", "co", "pte", "pvt",
    "a s", "nv", "s l", "ep", "s a e s p", "e s p",
)
# Sources that give each organisation one id: two of their records are two organisations.
DISTINCT_ID_SOURCES = frozenset({"yc", "wikidata", "openalex", "curated_registry", "sec_form_d"})
# Sources whose country is where a machine sits, not where its owner is.
SITE_COUNTRY_SOURCES = frozenset({"top500", "epoch_gpu_clusters"})
GENERIC_HOSTS = frozenset({
    "linkedin.com", "facebook.com", "twitter.com", "x.com", "instagram.com", "github.com", "medium.com",
    "youtube.com", "wikipedia.org", "google.com", "sites.google.com", "wix.com", "notion.site", "angel.co",
    "crunchbase.com", "ycombinator.com",
})
# Words that describe a company without naming it: "Olist Serviços Digitais", "Lumen Technologies".
CONNECTORS = frozenset({"de", "do", "da", "dos", "das", "del", "la", "y", "e", "and", "of", "the"})
CORPORATE_WORDS = frozenset({
    "servicos", "servicios", "services", "digitais", "digitales", "digital", "administradora", "general", "fondos",
    "trust", "holding", "holdings", "group", "grupo", "tecnologia", "tecnologias", "technology", "technologies",
    "tech", "participacoes", "sistemas", "systems", "solutions", "soluciones", "solucoes", "international",
    "internacional", "global", "networks", "network", "company", "university", "universidad", "universidade",
    "software", "products", "productos", "produtos", "consortium", "consorcio", "consorzio",
})
GEOGRAPHIC_WORDS = frozenset({
    "latam", "brasil", "brazil", "mexico", "colombia", "chile", "argentina", "peru", "uruguay", "ecuador",
})
GENERIC_WORDS = CONNECTORS | CORPORATE_WORDS | GEOGRAPHIC_WORDS
# A name made only of these describes an institution any country has ("Servicio Meteorológico Nacional").
DESCRIPTIVE_WORDS = CONNECTORS | frozenset({
    "servicio", "service", "nacional", "national", "federal", "estatal", "state", "empresa", "companhia",
    "compania", "corporacion", "instituto", "institute", "universidad", "universidade", "university", "centro",
    "center", "centre", "laboratorio", "laboratory", "ministerio", "ministry", "agencia", "agency", "consejo",
    "council", "banco", "bank", "meteorologico", "meteorological", "telecomunicaciones", "telecomunicacoes",
    "telecommunications", "energia", "electricidad", "petroleos", "investigacion", "pesquisa", "research",
    "ciencia", "ciencias", "science", "tecnologia", "technology", "computacion", "computing",
})
_SUFFIX_RE = re.compile(r"(?:\s+(?:" + "|".join(re.escape(s) for s in LEGAL_SUFFIXES) + r"))+$")


_PARENTHESIS_RE = re.compile(r"\(([^()]*)\)?")
_FORMERLY_RE = re.compile(
    r"^\s*(?:formerly|formally|former|previously|was|antes|ex|fka|f\.?k\.?a\.?)\s+", re.IGNORECASE
)
# A brand written as its domain: 'Peoplebox.ai', 'Konta.com', 'delt.ai' -> the name before the ending.
_DOMAIN_NAME_RE = re.compile(
    r"\b([a-z0-9-]{2,})\.(?:com|ai|io|co|app|la|mx|br|cl|ar|pe|dev|tech|finance|money|trade)\b"
)
_DBA_RE = re.compile(r"\s+(?:d/b/a|dba|doing business as)\s+(.+)$", re.IGNORECASE)


@lru_cache(maxsize=262_144)  # pure; resolution, claim matching and investors normalise the same names again
def normalise_name(name: str | None) -> str:
    """'Scala Data Centers S.A.' -> 'scala data centers'; 'Nu Pagamentos S.A.' -> 'nu pagamentos'.

    A parenthesis is not part of the name: TeleGeography writes 'América Móvil (Claro)' (a brand) and
    'Corporacion Nacional de Telecomunicaciones (CNT)' (an acronym); both normalise to the outer name.
    """
    if not name:
        return ""
    text = _DBA_RE.sub("", _PARENTHESIS_RE.sub(" ", name))
    text = _DOMAIN_NAME_RE.sub(r"\1", fold(text)).replace("&", " and ")
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    text = _SUFFIX_RE.sub("", text).strip()
    return re.sub(r"^the\s+", "", text)


def former_names(name: str | None) -> list[str]:
    """The other names a source writes into a name: 'Telia Ejemplo (formerly Ejemplo Telecom, ETX)' ->
    ['Ejemplo Telecom', 'ETX']; 'Grain Technology, Inc. d/b/a Grain' -> ['Grain']. A rebrand is the same
    organisation; a brand or acronym in a parenthesis is not taken (a brand such as Claro names several
    companies in several countries)."""
    out: list[str] = []
    for inner in _PARENTHESIS_RE.findall(name or ""):
        if _FORMERLY_RE.match(inner):
            out += [part.strip() for part in _FORMERLY_RE.sub("", inner).split(",") if part.strip()]
    out += _DBA_RE.findall(name or "")  # 'Grain Technology, Inc. d/b/a Grain': the trade name
    return out


def domain_label(domain: str | None) -> str | None:
    """The registrable name of a domain: 'fintual.com' and 'fintual.cl' -> 'fintual'; 'nubank.com.br' -> 'nubank'."""
    if not domain:
        return None
    parts = domain.split(".")
    if len(parts) >= 3 and parts[-2] in {"com", "co", "net", "org", "gob", "gov", "edu", "ac", "or"}:
        return parts[-3]
    return parts[-2] if len(parts) >= 2 else parts[0]


# Two-letter endings startups use as generic ones (lantern.so is not the Somali lantern.com).
_VANITY_TLDS = frozenset({"io", "ai", "co", "so", "me", "tv", "ly", "gg", "sh", "to", "fm", "is", "vc", "la", "xyz"})


def same_site(x: str, y: str) -> bool:
    """Whether two different domains may still be one organisation's: the same name under a country ending and
    another ending ('fintual.com' / 'fintual.cl', 'nubank.com.br' / 'nubank.com'); not 'lantern.so' /
    'lantern.dev', nor 'weave.com' / 'getweave.com'."""
    if domain_label(x) != domain_label(y):
        return False
    tlds = {x.rsplit(".", 1)[-1], y.rsplit(".", 1)[-1]}
    return any(len(t) == 2 and t not in _VANITY_TLDS for t in tlds)


def website_domain(url: str | None) -> str | None:
    """'https://www.NotCo.com/en/' -> 'notco.com'; generic hosts give None."""
    if not url:
        return None
    host = urlsplit(url if "://" in url else f"http://{url}").hostname or ""
    host = host.lower().removeprefix("www.")
    if not host or "." not in host or any(host == g or host.endswith("." + g) for g in GENERIC_HOSTS):
        return None
    return host


@dataclass(frozen=True)
class OrgRecord:
    key: str  # "<source>:<id>"
    source: str
    name: str
    country_iso2: str | None = None
    website: str | None = None
    wikidata_qid: str | None = None
    aliases: tuple[str, ...] = ()
    same_as: tuple[str, ...] = ()  # keys of records a curator says are the same
    not_same_as: tuple[str, ...] = ()

    # Computed once per record (cached_property writes the instance's __dict__, which a frozen dataclass
    # allows): blocking and every pairwise decision read them, and normalising a name is not free.
    @cached_property
    def names(self) -> set[str]:
        return {n for n in (normalise_name(x) for x in (self.name, *self.aliases, *former_names(self.name))) if n}

    @cached_property
    def domain(self) -> str | None:
        return website_domain(self.website)


@dataclass(frozen=True)
class Decision:
    is_match: bool
    rule: str
    score: float = 0.0


def decide(a: OrgRecord, b: OrgRecord) -> Decision:
    """Whether two records are the same organisation, and by which rule."""
    if b.key in a.not_same_as or a.key in b.not_same_as:
        return Decision(False, "not_same_as")
    if b.key in a.same_as or a.key in b.same_as:
        return Decision(True, "same_as", 100.0)
    if a.wikidata_qid and b.wikidata_qid:
        same = a.wikidata_qid == b.wikidata_qid
        return Decision(same, "wikidata_qid", 100.0 if same else 0.0)
    if a.domain and a.domain == b.domain:
        return Decision(True, "website_domain", 100.0)
    if a.source == b.source and a.source in DISTINCT_ID_SOURCES:
        return Decision(False, "same_source")
    if a.domain and b.domain and not same_site(a.domain, b.domain):
        return Decision(False, "different_websites")
    agree = countries_agree(a, b)
    if agree and a.names & b.names:
        return Decision(True, "normalised_name", 100.0)
    same_country = bool(a.country_iso2) and a.country_iso2 == b.country_iso2
    if agree:
        words = GENERIC_WORDS if same_country else CONNECTORS | CORPORATE_WORDS
        if any(_leading_words(x, y, words) or _leading_words(y, x, words) for x in a.names for y in b.names):
            return Decision(True, "leading_words", 95.0)
    if same_country:
        score = max((fuzz.token_sort_ratio(x, y) for x in a.names for y in b.names), default=0.0)
        if score >= FUZZY_THRESHOLD:
            return Decision(True, "fuzzy_name", score)
        return Decision(False, "fuzzy_name", score)
    return Decision(False, "no_rule")


def countries_agree(a: OrgRecord, b: OrgRecord) -> bool:
    """Countries disagree only when both are known, differ, and are both where the organisation is -- or the
    name is descriptive (only institutional words), when a site's country counts too."""
    if not (a.country_iso2 and b.country_iso2) or a.country_iso2 == b.country_iso2:
        return True
    if a.source in SITE_COUNTRY_SOURCES or b.source in SITE_COUNTRY_SOURCES:
        return not any(is_descriptive(n) for n in a.names | b.names)
    return False


def is_descriptive(name: str) -> bool:
    """'servicio meteorologico nacional' -> True; 'petrobras' -> False."""
    words = name.split()
    return bool(words) and all(w in DESCRIPTIVE_WORDS for w in words)


def _leading_words(short: str, long: str, generic: frozenset[str] = GENERIC_WORDS) -> bool:
    """``long`` is ``short`` followed only by ``generic`` words ("servicos digitais", "colombia") or by the
    initials of ``short`` ("corporacion nacional de telecomunicaciones cnt")."""
    if not long.startswith(short + " "):
        return False
    rest = long[len(short):].split()
    initials = "".join(w[0] for w in short.split() if w not in CONNECTORS)
    return all(word in generic for word in rest) or (len(initials) >= 2 and rest == [initials])


@dataclass
class _UnionFind:
    parent: dict[str, str] = field(default_factory=dict)

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)


@dataclass(frozen=True)
class Resolution:
    key: str
    canonical_key: str
    rule: str  # the rule that attached this record to its cluster ("self" for the first)
    score: float


def _candidate_pairs(records: Sequence[OrgRecord]) -> Iterable[tuple[int, int]]:
    """Blocking: only pairs sharing a QID, a domain, a name token, or a curator link are compared."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        if r.wikidata_qid:
            blocks["q:" + r.wikidata_qid].append(i)
        if r.domain:
            blocks["d:" + r.domain].append(i)
        for name in r.names:
            for token in name.split()[:2]:
                if len(token) >= 3:
                    blocks["t:" + token].append(i)
        for other in (*r.same_as, *r.not_same_as):
            blocks["k:" + min(r.key, other) + "|" + max(r.key, other)].append(i)
    index = {r.key: i for i, r in enumerate(records)}
    for r in records:
        for other in r.same_as:
            if other in index:
                blocks["k:" + min(r.key, other) + "|" + max(r.key, other)].append(index[other])
    seen: set[tuple[int, int]] = set()
    for members in blocks.values():
        unique = sorted(set(members))
        if len(unique) > 200:  # a token shared by too many names is no evidence
            continue
        for x, i in enumerate(unique):
            for j in unique[x + 1:]:
                if (i, j) not in seen:
                    seen.add((i, j))
                    yield i, j


def resolve(records: Sequence[OrgRecord], *, canonical_source: str = "curated_registry") -> list[Resolution]:
    """Cluster ``records``; every record gets the canonical key of its cluster."""
    uf, how = _UnionFind(), {}
    forbidden = {pair for a in records for b in a.not_same_as for pair in ((a.key, b), (b, a.key))}
    for i, j in _candidate_pairs(records):
        a, b = records[i], records[j]
        decision = decide(a, b)
        if decision.is_match and (a.key, b.key) not in forbidden:
            uf.union(a.key, b.key)
            how.setdefault(b.key, (decision.rule, decision.score))
            how.setdefault(a.key, (decision.rule, decision.score))
    clusters: dict[str, list[OrgRecord]] = defaultdict(list)
    for r in records:
        clusters[uf.find(r.key)].append(r)
    out = []
    for members in clusters.values():
        curated = [m for m in members if m.source == canonical_source]
        canonical = (curated or members)[0].key
        for m in members:
            rule, score = ("self", 100.0) if len(members) == 1 else how.get(m.key, ("self", 100.0))
            out.append(Resolution(m.key, canonical, rule, score))
    return out
