"""Funding news from RSS/Atom feeds of LatAm tech and business press (English, Spanish, Portuguese).

Endpoints: the feeds listed in ``CADENA_NEWS_FEEDS`` (comma-separated URLs), else :data:`DEFAULT_FEEDS`,
and the article pages their items link to. Each feed is one snapshot file; an item whose title or summary
looks like funding news (:func:`ingestors.domain.funding_text.looks_like_funding`) has its page fetched too, at
most ``CADENA_NEWS_MAX_ARTICLES`` (default 60) new pages a run. A page already in the previous snapshot is
carried over rather than fetched again (articles rarely change and the feeds move on within days). Every
host gets at most one request every :data:`HOST_INTERVAL_S` seconds: the feed list is configurable, so the
pacing is done here rather than by ``FetchPlan.rate_limits``, which only knows fixed hosts. A feed that
cannot be fetched is logged and skipped; the run fails only when none can be. Offline, the two sample
feeds (one RSS 2.0, one Atom) and their article pages in ``ingestors/samples/news/`` are served instead.

The default feeds were checked against public feed-reader configurations (the search tool's code corpus),
not fetched live from here: LatamList, LAVCA, TechCrunch's latin-america tag, iupana, Contxto (its feeds
moved under language prefixes, ``/es/feed/``), Startupeable, Startupi, Startups.com.br, NeoFeed, Brazil
Journal, and Bloomberg Línea in Spanish and Portuguese (an Arc XP feed; configurations disagree between
``/arc/outboundfeeds/rss/?outputType=xml`` and ``/arc/outboundfeeds/rss.xml``, the first is used). The
sample's Atom feed imitates WordPress's ``/feed/atom/`` template at iupana's address; that iupana serves it
was not confirmed.

Parse: every feed item becomes an ``articles`` row; the page (or, when it could not be fetched, the feed's
own content or summary) of an item that looks like funding news is read by
:func:`ingestors.domain.funding_text.extract_events`
and each event becomes a ``funding_events`` row, rounds and look-alikes alike (``is_round`` false with a
``not_round_reason``: acquisitions, IPOs, fund closes, debt, grants, rumours, plans, totals, valuations).
The company is looked for first among the curated registry's organisation names and aliases
(:func:`ingestors.domain.funding_text.load_gazetteer`). Each row keeps the sentence and the ``rule`` that
decided it. The extraction rules (numbers, currencies, the bare-``$`` rule, round types, confidence) are in
that package's module docstrings.

Format traps:

* WordPress adds ``?utm_source=rss&utm_medium=rss&utm_campaign=...`` to item links; tracking parameters
  and fragments are dropped, so the article URL (the key) is the same in every feed and run;
* the same article often appears in two feeds (a site feed and a category or tag feed): kept once;
* bilingual feeds (iupana publishes English and Spanish) declare one language for every item: the
  language is guessed from each item's own text, the feed's declaration used only when that is too short;
* RSS dates are RFC 822 with offsets (``-0300``), Atom dates ISO 8601 with ``published`` and ``updated``;
  feedparser brings both to UTC; an Atom entry without ``published`` is dated by ``updated``, and an item
  with neither by the page's ``article:published_time`` or JSON-LD ``datePublished``;
* summaries are HTML (CDATA) ending in "The post ... appeared first on ..." (Yoast): tags are stripped;
* article bodies: WordPress themes put them in ``<article>`` / ``.entry-content`` (and wrap "trending" and
  related-post cards in ``<article>`` too); pages rendered client-side (Arc XP sites may be) carry the
  text only in a JSON-LD ``NewsArticle.articleBody``; Yoast's JSON-LD is an ``@graph`` without
  ``articleBody``; paywalled pages show a teaser. So the body is the ``<article>`` with the most paragraph
  text (200 characters at least; scripts, navigation, share, comment and related-post blocks removed),
  else JSON-LD ``articleBody``, else ``og:description``;
* a bot wall answers a feed URL with an HTML page and status 200: that feed goes to quarantine naming it
  (the others still load); the run fails only when no feed file is a feed;
* a transfer cut short still parses (feedparser reads what it can) and would load only the first items:
  a feed without its closing ``</rss>`` / ``</feed>`` is left out whole, and the shrink guard
  (``partition_by="feed_url"``) then keeps the last good articles rather than losing that feed.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import time
import xml.sax
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import feedparser
from bs4 import BeautifulSoup
from pydantic import Field

from ingestors.core import config, http
from ingestors.core.errors import FetchError, RecordError
from ingestors.core.registry import FetchPlan, Record, Reject, Row, Source, Table
from ingestors.core.snapshots import SnapshotStore
from ingestors.domain import numbers
from ingestors.domain.funding_text import (
    FundingEvent,
    Gazetteer,
    extract_events,
    guess_language,
    load_gazetteer,
    looks_like_funding,
)

log = logging.getLogger(__name__)

NAME = "news"
FEEDS_ENV = "CADENA_NEWS_FEEDS"
MAX_ARTICLES_ENV = "CADENA_NEWS_MAX_ARTICLES"
MAX_ARTICLES = 60  # new article pages fetched per run
HOST_INTERVAL_S = 2.0  # at most one request every 2 s to any one host
MIN_BODY_CHARS = 200  # less text than this in <article> is a teaser (paywall, client-side rendering)
FEED_PREFIX, ARTICLE_PREFIX = "feed-", "article-"
ARTICLES, EVENTS = "articles", "funding_events"
LANGUAGES = ("en", "es", "pt")

DEFAULT_FEEDS = (
    # English
    "https://latamlist.com/feed/",
    "https://www.lavca.org/feed/",
    "https://techcrunch.com/tag/latin-america/feed/",
    "https://iupana.com/feed/",
    # Spanish
    "https://contxto.com/es/feed/",
    "https://startupeable.com/feed/",
    "https://www.bloomberglinea.com/arc/outboundfeeds/rss/?outputType=xml",
    # Portuguese
    "https://startupi.com.br/feed/",
    "https://startups.com.br/feed/",
    "https://neofeed.com.br/feed/",
    "https://braziljournal.com/feed/",
    "https://www.bloomberglinea.com.br/arc/outboundfeeds/rss/?outputType=xml",
)
SAMPLE_FEEDS = ("https://startupi.com.br/feed/", "https://iupana.com/feed/atom/")
SAMPLE_PAGES = {
    "startupi.com.br/sample-maritaca-ai-capta-r-50-milhoes-serie-a/": "startupi-maritaca-ai.html",
    "startupi.com.br/sample-exemplo-ventures-fecha-fundo/": "startupi-exemplo-fundo.html",
    "iupana.com/2025/01/15/sample-notco-raises-us-30m-series-e/": "iupana-notco.html",
    "iupana.com/2025/01/14/sample-tractian-levanta-us-15-millones/": "iupana-tractian.html",
    "iupana.com/2018/09/24/sample-digital-realty-ascenty/": "iupana-digital-realty-ascenty.html",
    "iupana.com/2022/08/02/sample-semantix-nasdaq/": "iupana-semantix-nasdaq.html",
}
_TRACKING = {"fbclid", "gclid", "mc_cid", "mc_eid", "ref", "amp"}  # and every utm_* parameter
_NOISE = ("related", "share", "sharing", "social", "newsletter", "comment", "subscribe", "advert", "promo",
          "paywall", "tags")
_ARTICLE_TYPES = {"Article", "NewsArticle", "BlogPosting", "ReportageNewsArticle", "AnalysisNewsArticle"}


class Article(Row):
    article_url: str
    feed_url: str
    title: str | None
    published_at: datetime | None  # UTC
    language: str | None  # en | es | pt
    looks_like_funding: bool
    body_fetched: bool
    event_count: int


class FundingEventRow(Row):
    event_id: str  # article_url#index
    article_url: str
    article_title: str | None
    published_date: date | None
    language: str | None
    sentence: str
    company_name: str | None
    amount: float | None  # as stated, in units of the currency: the cap for "up to", a range's lower bound
    amount_low: float | None
    amount_high: float | None
    amount_qualifier: str | None  # exact | approx | up_to | range | at_least
    currency: str | None  # ISO 4217; null when the text does not say which
    amount_text: str | None
    round_type_text: str | None
    lead_investors: list[str]
    investors: list[str]  # every named investor, leads included
    is_round: bool
    not_round_reason: str | None = Field(description="Why is_round is false: acquisition, ipo, fund_close, debt, "
                                         "grant, rumour, plan, aggregate, valuation, implausible or other")
    confidence: float
    valuation: float | None  # the company's valuation where the text states it, in units of valuation_currency
    valuation_currency: str | None  # ISO 4217 code of the valuation
    rule: str  # what decided round or look-alike and how the company was found: "round: levantó; company: subject"


# --- settings and names -----------------------------------------------------------------------


def feed_urls() -> list[str]:
    """``CADENA_NEWS_FEEDS`` (comma-separated), else the default feeds; duplicates dropped."""
    raw = config.secret(FEEDS_ENV)
    urls = [u.strip() for u in raw.split(",") if u.strip()] if raw else list(DEFAULT_FEEDS)
    for url in urls:
        if urlsplit(url).scheme not in ("http", "https"):
            raise FetchError(NAME, url, f"{FEEDS_ENV} holds something that is not an http(s) URL")
    if not urls:
        raise FetchError(NAME, f"${FEEDS_ENV}", f"{FEEDS_ENV} is set but names no feed URL")
    return list(dict.fromkeys(urls))


def max_articles() -> int:
    raw = config.secret(MAX_ARTICLES_ENV)
    if raw is None:
        return MAX_ARTICLES
    if not raw.strip().isdigit():
        raise FetchError(NAME, f"${MAX_ARTICLES_ENV}", f"{MAX_ARTICLES_ENV}={raw!r} is not a whole number")
    return int(raw)


def canonical_url(url: str) -> str:
    """``url`` without tracking parameters (``utm_*``) or fragment: the same article in every feed."""
    parts = urlsplit(url.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not (k.lower().startswith("utm_") or k.lower() in _TRACKING)]
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path, urlencode(query), ""))


def _digest(url: str, n: int) -> str:
    return hashlib.sha256(url.encode()).hexdigest()[:n]


def feed_file(url: str) -> str:
    """``feed-<host>-<hash>.xml``: readable, and distinct for two feeds of one host."""
    return f"{FEED_PREFIX}{urlsplit(url).hostname}-{_digest(url, 8)}.xml"


def article_file(url: str) -> str:
    return f"{ARTICLE_PREFIX}{_digest(canonical_url(url), 16)}.html"


# --- feeds ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedItem:
    """One feed entry, as much of it as the tables need."""

    url: str  # canonical
    title: str | None
    summary: str  # plain text of the entry's summary (RSS description)
    content: str  # plain text of its full content (content:encoded, Atom content), often empty
    published_at: datetime | None
    declared_language: str | None

    @property
    def looks_like_funding(self) -> bool:
        """Judged on the title and summary only: a full text mentions "fund" or "round" for any reason."""
        return looks_like_funding(f"{self.title or ''}\n{self.summary}")


def _cut_short(content: bytes) -> bool:
    """Whether a feed lacks its closing root tag: a truncated transfer, not a sloppy publisher
    (an unescaped ``&`` is common in real feeds and feedparser reads past it)."""
    tail = content.rstrip()[-256:].lower()
    return not any(tag in tail for tag in (b"</rss>", b"</feed>", b"</rdf:rdf>"))


def read_feed(content: bytes):
    """The feedparser result, or None when ``content`` is not an RSS or Atom feed.

    A feed cut off mid-transfer (not well-formed, and its closing root tag missing) is not read:
    feedparser would hand back the items before the break, and a partial feed must not replace a
    whole one. Other XML slips common in real feeds (an unescaped ``&``) are read leniently.
    """
    parsed = feedparser.parse(content)
    cut_off = not any(tag in content[-512:] for tag in (b"</rss>", b"</feed>", b"</rdf:RDF>"))
    if isinstance(parsed.get("bozo_exception"), xml.sax.SAXParseException) and cut_off:
        return None
    return parsed if parsed.get("version") else None


def _language(code: str | None) -> str | None:
    """``pt-BR`` -> ``pt``; None for a language Cadena does not read."""
    short = (code or "").strip().lower()[:2]
    return short if short in LANGUAGES else None


def _utc(parsed: time.struct_time | None) -> datetime | None:
    return datetime(*parsed[:6], tzinfo=UTC) if parsed else None


def _plain(html: str) -> str:
    return BeautifulSoup(html, "html.parser").get_text(" ", strip=True) if html else ""


def feed_item(entry, feed_language: str | None) -> FeedItem | None:
    """The :class:`FeedItem` of a feedparser entry; None when it has no link (nothing to key it by)."""
    link = (entry.get("link") or "").strip()
    if not link:
        return None
    contents = [c.get("value", "") for c in entry.get("content", [])]
    return FeedItem(
        url=canonical_url(link),
        title=(entry.get("title") or "").strip() or None,
        summary=_plain(entry.get("summary", "")),
        content=_plain(max(contents, key=len)) if contents else "",
        published_at=_utc(entry.get("published_parsed") or entry.get("updated_parsed")),
        declared_language=feed_language,
    )


def feed_items(content: bytes) -> list[FeedItem]:
    parsed = read_feed(content)
    if parsed is None:
        return []
    language = _language(parsed.feed.get("language"))
    return [item for entry in parsed.entries if (item := feed_item(entry, language)) is not None]


# --- fetch ------------------------------------------------------------------------------------


class HostPacer:
    """Spaces requests to each host ``interval_s`` apart, whatever hosts the configured feeds name."""

    def __init__(self, interval_s: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = http.wait):
        self.interval_s = interval_s
        self._clock, self._sleep = clock, sleep
        self._next_at: dict[str, float] = {}

    def wait(self, url: str) -> None:
        host = urlsplit(url).hostname or ""
        now = self._clock()
        due = self._next_at.get(host, now)
        if due > now:
            self._sleep(due - now)
            now = due
        self._next_at[host] = now + self.interval_s


def fetch(ctx) -> None:
    """Every configured feed, then the pages of its funding-looking items (see the module docstring)."""
    urls = list(SAMPLE_FEEDS) if ctx.offline else feed_urls()
    budget = max_articles()
    pacer = HostPacer(0.0 if ctx.offline else HOST_INTERVAL_S)
    candidates: list[FeedItem] = []
    failures: list[str] = []
    for url in urls:
        pacer.wait(url)
        try:
            content = ctx.get(feed_file(url), url)
        except FetchError as exc:
            log.warning("%s", exc)
            failures.append(str(exc))
            continue
        candidates += [item for item in feed_items(content) if item.looks_like_funding]
    if len(failures) == len(urls):
        raise FetchError(NAME, urls[0], f"no feed could be fetched ({len(urls)} tried; first: {failures[0]})")
    _fetch_articles(ctx, candidates, pacer, budget)


def _fetch_articles(ctx, candidates: list[FeedItem], pacer: HostPacer, budget: int) -> None:
    """Pages of the funding-looking items, newest first: carried over from the previous snapshot when it
    has them, else fetched while the per-run budget lasts. A page that cannot be had is skipped (its
    article keeps ``body_fetched`` false and is read from the feed's own text)."""
    previous = SnapshotStore(ctx.settings.raw_dir).latest(NAME)
    kept = {f.name: f.url for f in previous.files} if previous else {}
    unique = {item.url: item for item in candidates}.values()
    oldest = datetime.min.replace(tzinfo=UTC)
    for item in sorted(unique, key=lambda i: i.published_at or oldest, reverse=True):
        name = article_file(item.url)
        if kept.get(name) == item.url:
            ctx.add_file(name, previous.read_bytes(name), item.url)
            continue
        if budget <= 0:
            continue
        budget -= 1
        pacer.wait(item.url)
        try:
            ctx.get(name, item.url, conditional=False)
        except FetchError as exc:
            log.warning("%s", exc)


# --- article pages ----------------------------------------------------------------------------


def _json_ld_articles(soup: BeautifulSoup) -> Iterator[dict]:
    """Every schema.org Article-like object in the page's JSON-LD, in page order (``@graph``s and lists
    included); a block that is not JSON is skipped."""
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            data = json.loads(script.string or "")
        except (json.JSONDecodeError, TypeError):
            continue
        yield from _articles_in(data)


def _articles_in(node) -> Iterator[dict]:
    if isinstance(node, list):
        for child in node:
            yield from _articles_in(child)
    elif isinstance(node, dict):
        kinds = node.get("@type")
        if set(kinds if isinstance(kinds, list) else [kinds]) & _ARTICLE_TYPES:
            yield node
        yield from _articles_in(node.get("@graph", []))


def _iso(value) -> datetime | None:
    try:
        return numbers.parse_timestamp("datePublished", value)
    except RecordError:
        return None  # a page's own date is a hint: the feed's date stands


def _meta(soup: BeautifulSoup, key: str) -> str | None:
    tag = soup.find("meta", attrs={"property": key}) or soup.find("meta", attrs={"name": key})
    if tag is None:
        return None
    return (tag.get("content") or "").strip() or None


def _is_noise(tag) -> bool:
    """Share bars, related posts, newsletters, comments: by class or id."""
    names = " ".join([*tag.get("class", []), tag.get("id") or ""]).lower()
    return any(n in names for n in _NOISE)


def _paragraphs(container) -> str:
    for tag in container.find_all(["script", "style", "nav", "aside", "footer", "form", "noscript", "figure"]):
        tag.decompose()
    for tag in container.find_all(_is_noise):
        tag.decompose()
    return "\n".join(t for p in container.find_all("p") if (t := p.get_text(" ", strip=True)))


def _article_text(soup: BeautifulSoup) -> str:
    """The paragraphs of the page's article: the <article> (or ``articleBody`` / ``.entry-content``) with
    the most text, since themes also wrap "trending" and related-post cards in <article>."""
    containers = soup.find_all("article") + soup.find_all(attrs={"itemprop": "articleBody"}) + soup.find_all(
        class_="entry-content")
    return max((_paragraphs(c) for c in containers), key=len, default="")


def article_body(html: bytes) -> tuple[str | None, datetime | None]:
    """The article's text and publication time from its page: <article>, else JSON-LD ``articleBody``,
    else ``og:description``; None for a page with none of them."""
    soup = BeautifulSoup(html, "html.parser")
    ld = list(_json_ld_articles(soup))
    published = _iso(_meta(soup, "article:published_time") or next(
        (a["datePublished"] for a in ld if a.get("datePublished")), ""))
    text = _article_text(soup)
    if len(text) >= MIN_BODY_CHARS:
        return text, published
    body = next((a["articleBody"] for a in ld if isinstance(a.get("articleBody"), str) and a["articleBody"]), None)
    return body or _meta(soup, "og:description") or _meta(soup, "description") or text or None, published


# --- parse ------------------------------------------------------------------------------------


def _event_row(item: FeedItem, n: int, event: FundingEvent, language: str | None,
               published: datetime | None) -> dict:
    return {
        "event_id": f"{item.url}#{n}",
        "article_url": item.url,
        "article_title": item.title,
        "published_date": published.date() if published else None,
        "language": language,
        "sentence": event.sentence,
        "company_name": event.company,
        "amount": event.amount,
        "amount_low": event.amount_low,
        "amount_high": event.amount_high,
        "amount_qualifier": event.amount_qualifier,
        "currency": event.currency,
        "amount_text": event.amount_text,
        "round_type_text": event.round_type_text,
        "lead_investors": list(event.lead_investors),
        "investors": list(event.investors),
        "is_round": event.is_round,
        "not_round_reason": event.not_round_reason,
        "confidence": event.confidence,
        "valuation": event.valuation,
        "valuation_currency": event.valuation_currency,
        "rule": event.rule,
    }


@functools.cache
def _gazetteer() -> Gazetteer | None:
    """The curated registry's names, for naming companies; a registry that does not load only costs that."""
    try:
        return load_gazetteer()
    except Exception as exc:  # noqa: BLE001 - the registry is checked by its own source and `cadena registry check`
        log.warning("news: companies are named without the registry gazetteer (%s)", str(exc).splitlines()[0])
        return None


def _article_records(snapshot, item: FeedItem, feed_url: str, pages: set[str]) -> Iterator[Record]:
    page = article_file(item.url)
    body, page_published = article_body(snapshot.read_bytes(page)) if page in pages else (None, None)
    published = item.published_at or page_published
    text = body or item.content or item.summary
    language = guess_language(f"{item.title or ''}\n{text}") or item.declared_language
    funding = item.looks_like_funding
    events = extract_events(text, language, title=item.title, organisations=_gazetteer()) if funding else []
    yield Record(ARTICLES, {
        "article_url": item.url, "feed_url": feed_url, "title": item.title, "published_at": published,
        "language": language, "looks_like_funding": funding, "body_fetched": page in pages,
        "event_count": len(events),
    }, record_id=item.url, record_url=item.url)
    for n, event in enumerate(events):
        yield Record(EVENTS, _event_row(item, n, event, language, published),
                     record_id=f"{item.url}#{n}", record_url=item.url)


def parse(snapshot) -> Iterator[Record | Reject]:
    names = snapshot.names(FEED_PREFIX)
    if not names:
        raise snapshot.error("no feed file in the snapshot")
    feeds = {name: read_feed(snapshot.read_bytes(name)) for name in names}
    if all(parsed is None for parsed in feeds.values()):
        head = snapshot.read_bytes(names[0])[:40].decode("utf-8", "replace").replace("\n", " ")
        raise snapshot.error(f"no feed file is RSS or Atom; starts {head!r}", file=names[0])
    pages = set(snapshot.names(ARTICLE_PREFIX))
    seen: set[str] = set()
    for name, parsed in feeds.items():
        feed_url = snapshot.url_of(name)
        if parsed is None:
            head = snapshot.read_bytes(name)[:40].decode("utf-8", "replace").replace("\n", " ")
            yield Reject(ARTICLES, feed_url, f"{name}: not an RSS or Atom feed; starts {head!r}", {"file": name})
            continue
        if _cut_short(snapshot.read_bytes(name)):
            # a feed cut short would load only its first items: none are kept, so the shrink guard sees
            # the feed vanish instead of silently losing its tail (feedparser reads what it can)
            yield Reject(ARTICLES, feed_url, f"{name}: the feed is cut short (no closing </rss> or </feed>); "
                                             "left out", {"file": name})
            continue
        language = _language(parsed.feed.get("language"))
        for i, entry in enumerate(parsed.entries):
            item = feed_item(entry, language)
            if item is None:
                yield Reject(ARTICLES, f"{feed_url}#entry-{i}", "feed entry without a link",
                             {"title": entry.get("title"), "id": entry.get("id")})
            elif item.url not in seen:  # the same article in two feeds is kept once
                seen.add(item.url)
                yield from _article_records(snapshot, item, feed_url, pages)


SOURCE = Source(
    name=NAME,
    family="funding",
    title="LatAm tech press funding news",
    endpoint=('RSS/Atom feeds of LatAm tech and business press (`CADENA_NEWS_FEEDS`), funding-looking articles '
              'read with BeautifulSoup; funding events extracted from English, Spanish and Portuguese text'),
    description="Items of RSS/Atom feeds of LatAm tech and business press (en/es/pt) and the funding events "
                "read from the articles that look like funding news: company, amount and currency as stated, "
                "round type, investors, valuation, and the look-alikes (acquisitions, IPOs, fund closes, debt, "
                "grants, rumours, plans, totals) told apart from rounds, each with the rule that decided it.",
    homepage="https://latamlist.com/",
    licence="Articles © their publishers; pages are kept as fetched for provenance, only extracted facts "
            "and one sentence per event are loaded",
    cadence="daily",
    tables=(
        Table(ARTICLES, Article, ("article_url",),
              "One row per feed item (an article seen in several feeds once): whether it looked like funding "
              "news, whether its page was read, how many events it gave.", min_rows=0,
              max_shrink=None, partition_by="feed_url"),  # feeds are rolling windows; a feed must not vanish
        Table(EVENTS, FundingEventRow, ("event_id",),
              "One row per funding statement: rounds (is_round) and look-alikes with not_round_reason; the "
              "amount as stated with its ISO currency, the sentence it came from and a confidence.",
              min_rows=0, max_shrink=None),
    ),
    fetch=fetch,
    parse=parse,
    plan=FetchPlan(
        max_requests=150,  # 12 default feeds and CADENA_NEWS_MAX_ARTICLES (60) pages, with retries
        sample_routes={
            "startupi.com.br/feed/": "startupi-feed.xml",
            "iupana.com/feed/atom/": "iupana-feed-atom.xml",
            **SAMPLE_PAGES,
        },
    ),
)
