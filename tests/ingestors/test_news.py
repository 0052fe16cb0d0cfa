"""News feeds: the sample snapshot, feeds and article pages read, fetch paths (configured feeds, the page
budget, dead feeds and pages, carried-over pages, pacing), and the failure paths."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from email.utils import format_datetime
from pathlib import Path

import duckdb
import httpx
import pytest

from ingestors.core.errors import FetchError, PayloadError
from ingestors.core.offline import SAMPLES_DIR
from ingestors.core.pipeline import run_source
from ingestors.sources import news
from tests.conftest import real_capture
from tests.ingestors.helpers import parse_files

SAMPLES = SAMPLES_DIR / "news"
STARTUPI, IUPANA = news.SAMPLE_FEEDS
SAMPLE_FEED_FILES = {STARTUPI: "startupi-feed.xml", IUPANA: "iupana-feed-atom.xml"}
MARITACA = "https://startupi.com.br/sample-maritaca-ai-capta-r-50-milhoes-serie-a/"
FUND = "https://startupi.com.br/sample-exemplo-ventures-fecha-fundo/"
EVENT = "https://startupi.com.br/sample-evento-comunidade-ia-sao-paulo/"
NOTCO = "https://iupana.com/2025/01/15/sample-notco-raises-us-30m-series-e/"
TRACTIAN = "https://iupana.com/2025/01/14/sample-tractian-levanta-us-15-millones/"
OPEN_FINANCE = "https://iupana.com/2025/01/13/sample-open-finance-rules-mexico/"
# Two sample articles retell real exits (their pages name the report they follow): an acquisition and a listing.
ASCENTY = "https://iupana.com/2018/09/24/sample-digital-realty-ascenty/"
SEMANTIX = "https://iupana.com/2022/08/02/sample-semantix-nasdaq/"


@pytest.fixture(autouse=True)
def _quiet_env(monkeypatch):
    """No configured feeds or budget from the developer's environment, and no real sleeping between requests."""
    monkeypatch.delenv(news.FEEDS_ENV, raising=False)
    monkeypatch.delenv(news.MAX_ARTICLES_ENV, raising=False)
    monkeypatch.setattr(news, "HOST_INTERVAL_S", 0.0)


def _sample_snapshot_files() -> tuple[dict[str, Path], dict[str, str]]:
    """The sample as a fetch would store it: file name -> sample file, file name -> URL."""
    files, urls = {}, {}
    for url, sample in SAMPLE_FEED_FILES.items():
        files[news.feed_file(url)] = SAMPLES / sample
        urls[news.feed_file(url)] = url
    for route, sample in news.SAMPLE_PAGES.items():
        url = f"https://{route}"
        files[news.article_file(url)] = SAMPLES / sample
        urls[news.article_file(url)] = url
    return files, urls


def _parse_sample(tmp_path: Path):
    files, urls = _sample_snapshot_files()
    return parse_files(tmp_path, news.SOURCE, files, urls)


def _rows(result, table: str) -> list[dict]:
    return [{k: v for k, v in row.items() if not k.startswith("_")} for row in result.rows[table]]


def rss(*items: tuple[str, str, datetime, str], language: str = "pt-BR") -> bytes:
    """A small WordPress-style RSS 2.0 feed of (title, link, published, description) items."""
    body = "".join(
        f"<item><title>{title}</title><link>{link}</link><pubDate>{format_datetime(when)}</pubDate>"
        f"<description><![CDATA[<p>{text}</p>]]></description></item>"
        for title, link, when, text in items)
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Feed</title>'
            f"<link>https://example.org/</link><language>{language}</language>{body}</channel></rss>").encode()


def page(paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"<html><body><nav>Menu</nav><article>{body}</article></body></html>".encode()


class FakeWeb:
    """A MockTransport handler serving URLs (query strings ignored) and recording every request."""

    def __init__(self, pages: dict[str, bytes | int], etags: dict[str, str] | None = None):
        self.pages = pages
        self.etags = etags or {}
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        key = f"{request.url.scheme}://{request.url.host}{request.url.path}"
        found = self.pages.get(key, 404)
        if isinstance(found, int):
            return httpx.Response(found, text="nope")
        etag = self.etags.get(key)
        if etag and request.headers.get("if-none-match") == etag:
            return httpx.Response(304)
        return httpx.Response(200, content=found, headers={"etag": etag} if etag else {})

    @property
    def urls(self) -> list[str]:
        return [str(r.url) for r in self.requests]


JAN = datetime(2025, 1, 14, 13, 0, tzinfo=UTC)
ROUND_ITEM = ("Kuali capta R$ 12 milhões em rodada seed", "https://example.org/kuali/?utm_source=rss&utm_medium=rss",
              JAN, "A startup Kuali captou R$ 12 milhões em uma rodada seed liderada pela Ipê Ventures.")
OLDER_ROUND = ("Clinix levanta R$ 4 milhões", "https://example.org/clinix/", datetime(2025, 1, 10, tzinfo=UTC),
               "A startup Clinix levantou R$ 4 milhões em rodada seed.")
EVENT_ITEM = ("Evento reúne startups em Campinas", "https://example.org/evento/", JAN, "Um encontro de comunidade.")


# --- the sample -------------------------------------------------------------------------------


def test_parse_sample_articles(tmp_path):
    result = _parse_sample(tmp_path)
    assert [(q["record_id"], q["reason"]) for q in result.quarantine] == [
        (f"{STARTUPI}#entry-3", "feed entry without a link")]  # the sample's bad record
    rows = {r["article_url"]: r for r in _rows(result, "articles")}
    assert set(rows) == {MARITACA, FUND, EVENT, NOTCO, TRACTIAN, OPEN_FINANCE, ASCENTY,
                         SEMANTIX}  # utm_* parameters dropped
    assert rows[MARITACA] == {
        "article_url": MARITACA, "feed_url": STARTUPI,
        "title": "[sample] Maritaca AI capta R$ 50 milhões em rodada Série A liderada pela Exemplo Ventures",
        "published_at": datetime(2025, 1, 14, 13, 5, 42, tzinfo=UTC), "language": "pt",
        "looks_like_funding": True, "body_fetched": True, "event_count": 2,
    }
    assert rows[TRACTIAN]["language"] == "es"  # a Spanish item in a feed that declares en-US
    assert rows[NOTCO]["language"] == "en"
    assert {url for url, r in rows.items() if not r["looks_like_funding"]} == {EVENT, OPEN_FINANCE}
    assert not rows[EVENT]["body_fetched"] and rows[EVENT]["event_count"] == 0
    assert all(r["title"].startswith("[sample]") for r in rows.values())


def test_parse_sample_events(tmp_path):
    events = {r["event_id"]: r for r in _rows(_parse_sample(tmp_path), "funding_events")}
    assert {k: (e["is_round"], e["not_round_reason"], e["company_name"], e["amount"], e["currency"])
            for k, e in events.items()} == {
        f"{MARITACA}#0": (True, None, "Maritaca AI", 50e6, "BRL"),
        f"{MARITACA}#1": (False, "aggregate", None, 70e6, "BRL"),  # "soma R$ 70 milhões captados desde 2021"
        f"{FUND}#0": (False, "fund_close", "Exemplo Ventures", 300e6, "BRL"),  # from og:description (paywall)
        f"{NOTCO}#0": (True, None, "NotCo", 30e6, "USD"),
        f"{NOTCO}#1": (False, "aggregate", None, 400e6, "USD"),
        f"{TRACTIAN}#0": (True, None, "Tractian", 15e6, "USD"),  # from JSON-LD articleBody
        f"{ASCENTY}#0": (False, "acquisition", "Digital Realty", 1.8e9, "USD"),  # a real deal, retold
        f"{SEMANTIX}#0": (False, "ipo", "Semantix", None, None),  # a real listing (through a SPAC), retold
    }
    maritaca = events[f"{MARITACA}#0"]
    assert maritaca == {
        "event_id": f"{MARITACA}#0", "article_url": MARITACA,
        "article_title": "[sample] Maritaca AI capta R$ 50 milhões em rodada Série A liderada pela Exemplo Ventures",
        "published_date": date(2025, 1, 14), "language": "pt",
        "sentence": "A Maritaca AI, startup de Campinas que desenvolve modelos de linguagem para o português, captou "
                    "R$ 50 milhões em uma rodada Série A liderada pela Exemplo Ventures, com participação da "
                    "Amostra Capital.",
        "company_name": "Maritaca AI", "amount": 50e6, "amount_low": 50e6, "amount_high": 50e6,
        "amount_qualifier": "exact", "currency": "BRL", "amount_text": "R$ 50 milhões", "round_type_text": "Série A",
        "lead_investors": ["Exemplo Ventures"], "investors": ["Exemplo Ventures", "Amostra Capital"],
        "is_round": True, "not_round_reason": None, "confidence": 0.95,
        "valuation": None, "valuation_currency": None,
        "rule": "round: captou; company: gazetteer",  # Maritaca AI is in the curated registry
    }
    assert events[f"{NOTCO}#0"]["round_type_text"] == "Series E"
    assert events[f"{TRACTIAN}#0"]["lead_investors"] == ["Fondo Ejemplo"]  # a fund as lead is not a fund close


def test_offline_run_loads_duckdb(settings):
    result = run_source(news.SOURCE, settings, offline=True)
    assert (result.status, result.rows, result.quarantined, result.requests) == (
        "loaded", {"articles": 8, "funding_events": 8}, 1, 8)  # 2 feeds + 6 pages
    with duckdb.connect(str(settings.working_db), read_only=True) as con:
        assert con.execute("select company_name, amount, currency from raw_news.funding_events where is_round "
                           "order by 1").fetchall() == [
            ("Maritaca AI", 50e6, "BRL"), ("NotCo", 30e6, "USD"), ("Tractian", 15e6, "USD")]
        columns = dict(con.execute("select column_name, data_type from information_schema.columns "
                                   "where table_schema = 'raw_news' and table_name = 'funding_events'").fetchall())
        assert (columns["lead_investors"], columns["published_date"], columns["amount"]) == (
            "VARCHAR[]", "DATE", "DOUBLE")
    again = run_source(news.SOURCE, settings, offline=True)
    assert (again.status, again.requests) == ("unchanged", 2)  # the pages are carried over, not fetched again


def test_plan_serves_every_sample_file():
    routes = news.SOURCE.plan.sample_routes
    assert set(routes.values()) == {p.name for p in SAMPLES.iterdir()}
    assert news.SOURCE.plan.rate_limits == {}  # hosts are configurable: fetch paces them (HostPacer)
    assert news.SOURCE.requires_env == ()
    assert [t.min_rows for t in news.SOURCE.tables] == [0, 0]


# --- the real capture -------------------------------------------------------------------------


def test_real_capture(tmp_path):
    """Feeds captured from the publishers (``feed-*.xml``, with ``urls.txt`` lines ``file url``), when present."""
    folder = real_capture("news")
    urls = dict(line.split(maxsplit=1) for line in (folder / "urls.txt").read_text().splitlines() if line.strip())
    files = {name: folder / name for name in urls}
    result = parse_files(tmp_path, news.SOURCE, files, urls)
    assert result.rows["articles"]
    assert all(r["article_url"].startswith("http") for r in result.rows["articles"])


# --- feeds and pages --------------------------------------------------------------------------


@pytest.mark.parametrize("url, canonical", [
    ("https://startupi.com.br/x/?utm_source=rss&utm_medium=rss&utm_campaign=x", "https://startupi.com.br/x/"),
    ("https://Example.org/a?id=3&utm_term=y#comments", "https://example.org/a?id=3"),
    ("https://example.org/a?fbclid=1&page=2", "https://example.org/a?page=2"),
])
def test_canonical_url(url, canonical):
    assert news.canonical_url(url) == canonical
    assert news.article_file(url) == news.article_file(canonical)


def test_file_names_are_safe_and_distinct():
    names = {news.feed_file(u) for u in news.DEFAULT_FEEDS}
    assert len(names) == len(news.DEFAULT_FEEDS)
    assert all("/" not in n and n.startswith("feed-") and n.endswith(".xml") for n in names)
    assert news.feed_file("https://www.bloomberglinea.com/arc/outboundfeeds/rss/?outputType=xml").startswith(
        "feed-www.bloomberglinea.com-")


def test_article_body_prefers_article_then_json_ld_then_og():
    text, published = news.article_body((SAMPLES / "startupi-maritaca-ai.html").read_bytes())
    assert text.startswith("Texto de exemplo (SAMPLE DATA):")
    assert "Leia também" not in text and "Compartilhe" not in text and "dataLayer" not in text  # noise removed
    assert "Mais lidas" not in text and "Menu" not in text
    assert published == datetime(2025, 1, 14, 13, 5, 42, tzinfo=UTC)
    text, published = news.article_body((SAMPLES / "iupana-tractian.html").read_bytes())
    assert text.splitlines()[1].startswith("Tractian, la empresa")  # JSON-LD articleBody: the page renders in JS
    assert published == datetime(2025, 1, 14, 21, 55, tzinfo=UTC)
    text, _ = news.article_body((SAMPLES / "startupi-exemplo-fundo.html").read_bytes())
    assert text.startswith("Texto de exemplo (SAMPLE DATA): a gestora")  # a paywall teaser: og:description
    assert news.article_body(b"<html><body><p>nothing</p></body></html>") == (None, None)


def test_article_body_takes_the_article_with_most_text():
    html = ("<html><body><article><p>Trending: Fintech levanta US$ 99 millones</p></article>"
            f"<article><div class='entry-content'><p>{'Kuali captou R$ 12 milhões. ' * 10}</p>"
            "<div id='comments'><p>Ótima notícia!</p></div></div></article></body></html>").encode()
    text, _ = news.article_body(html)
    assert text.startswith("Kuali captou") and "Trending" not in text and "Ótima" not in text


def test_article_body_reads_json_ld_graphs_and_lists():
    html = (b'<script type="application/ld+json">[{"@type":"WebSite"},{"@graph":[{"@type":["NewsArticle"],'
            b'"articleBody":"Kuali raised US$ 1M.","datePublished":"2025-02-01T10:00:00-03:00"}]}]</script>'
            b'<script type="application/ld+json">{not json</script>')
    assert news.article_body(html) == ("Kuali raised US$ 1M.", datetime(2025, 2, 1, 13, tzinfo=UTC))


def test_rss_dates_with_offsets_become_utc_and_duplicates_across_feeds_are_kept_once(tmp_path):
    local = datetime(2025, 1, 14, 10, 0, tzinfo=datetime.fromisoformat("2025-01-01T00:00-03:00").tzinfo)
    feed = rss(("Kuali capta R$ 12 milhões", "https://example.org/kuali/", local, "Texto."))
    files = {"feed-a.xml": feed, "feed-b.xml": feed}
    urls = {"feed-a.xml": "https://example.org/feed/", "feed-b.xml": "https://example.org/tag/ia/feed/"}
    result = parse_files(tmp_path, news.SOURCE, files, urls)
    (row,) = result.rows["articles"]
    assert row["published_at"] == datetime(2025, 1, 14, 13, 0, tzinfo=UTC)
    assert result.quarantine == []  # the second sighting is not a duplicate-key error


def test_an_unfetched_page_is_read_from_the_feed_summary(tmp_path):
    result = parse_files(tmp_path, news.SOURCE, {"feed-a.xml": rss(ROUND_ITEM)},
                         {"feed-a.xml": "https://example.org/feed/"})
    (article,) = _rows(result, "articles")
    (event,) = _rows(result, "funding_events")
    assert (article["body_fetched"], article["event_count"]) == (False, 1)
    assert (event["company_name"], event["amount"], event["lead_investors"]) == ("Kuali", 12e6, ["Ipê Ventures"])
    assert event["article_url"] == "https://example.org/kuali/"


# --- failure paths ----------------------------------------------------------------------------


def test_no_feed_in_the_snapshot_fails(tmp_path):
    with pytest.raises(PayloadError, match="no feed file in the snapshot"):
        parse_files(tmp_path, news.SOURCE, {"article-0123.html": b"<html></html>"})


def test_html_in_place_of_every_feed_fails_naming_the_file(tmp_path):
    with pytest.raises(PayloadError) as err:
        parse_files(tmp_path, news.SOURCE, {"feed-a.xml": b"<html><body>Access denied</body></html>"})
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith("news: bad payload in snapshot ")
    assert "/feed-a.xml: no feed file is RSS or Atom; starts '<html><body>Access denied" in message


def test_one_bad_feed_goes_to_quarantine_and_the_others_load(tmp_path):
    files = {"feed-a.xml": rss(EVENT_ITEM), "feed-b.xml": b"<html>Just a moment...</html>"}
    urls = {"feed-a.xml": "https://example.org/feed/", "feed-b.xml": "https://blocked.example.org/feed/"}
    result = parse_files(tmp_path, news.SOURCE, files, urls)
    assert len(result.rows["articles"]) == 1
    (bad,) = result.quarantine
    assert (bad["record_id"], bad["table_name"]) == ("https://blocked.example.org/feed/", "articles")
    assert bad["reason"].startswith("feed-b.xml: not an RSS or Atom feed; starts '<html>Just a moment")


def test_an_entry_without_link_goes_to_quarantine(tmp_path):
    feed = (b'<rss version="2.0"><channel><title>F</title><item><title>Sem link</title></item>'
            b"<item><title>Kash capta</title><link>https://example.org/kash/</link></item></channel></rss>")
    result = parse_files(tmp_path, news.SOURCE, {"feed-a.xml": feed}, {"feed-a.xml": "https://example.org/feed/"})
    assert [r["article_url"] for r in result.rows["articles"]] == ["https://example.org/kash/"]
    (bad,) = result.quarantine
    assert (bad["record_id"], bad["reason"]) == ("https://example.org/feed/#entry-0", "feed entry without a link")


# --- fetch ------------------------------------------------------------------------------------


def test_fetch_reads_the_configured_feeds_and_only_funding_pages(settings, monkeypatch):
    monkeypatch.setenv(news.FEEDS_ENV, "https://a.example.org/feed/, https://b.example.org/feed/atom/")
    web = FakeWeb({
        "https://a.example.org/feed/": rss(ROUND_ITEM, EVENT_ITEM),
        "https://b.example.org/feed/atom/": rss(language="es"),
        "https://example.org/kuali/": page(["A startup Kuali captou R$ 12 milhões em uma rodada seed liderada pela "
                                            "Ipê Ventures, com participação da Canela Ventures. " * 3]),
    })
    result = run_source(news.SOURCE, settings, transport=httpx.MockTransport(web))
    assert web.urls == ["https://a.example.org/feed/", "https://b.example.org/feed/atom/",
                        "https://example.org/kuali/"]  # tracking parameters are not sent; the event page is not read
    assert (result.rows, result.requests) == ({"articles": 2, "funding_events": 1}, 3)


def test_the_default_feeds_without_configuration(settings):
    web = FakeWeb({url.split("?")[0]: rss() for url in news.DEFAULT_FEEDS})
    result = run_source(news.SOURCE, settings, transport=httpx.MockTransport(web))
    assert web.urls == list(news.DEFAULT_FEEDS)
    assert (result.status, result.rows) == ("loaded", {"articles": 0, "funding_events": 0})


def test_the_page_budget_takes_the_newest_first(settings, monkeypatch):
    monkeypatch.setenv(news.FEEDS_ENV, "https://a.example.org/feed/")
    monkeypatch.setenv(news.MAX_ARTICLES_ENV, "1")
    web = FakeWeb({"https://a.example.org/feed/": rss(OLDER_ROUND, ROUND_ITEM),
                   "https://example.org/kuali/": page(["x" * 300]), "https://example.org/clinix/": page(["y" * 300])})
    run_source(news.SOURCE, settings, transport=httpx.MockTransport(web))
    assert web.urls == ["https://a.example.org/feed/", "https://example.org/kuali/"]


def test_dead_feeds_and_pages_are_skipped(settings, monkeypatch):
    monkeypatch.setenv(news.FEEDS_ENV, "https://dead.example.org/feed/,https://a.example.org/feed/")
    web = FakeWeb({"https://dead.example.org/feed/": 403, "https://a.example.org/feed/": rss(ROUND_ITEM),
                   "https://example.org/kuali/": 404})
    result = run_source(news.SOURCE, settings, transport=httpx.MockTransport(web))
    assert result.rows == {"articles": 1, "funding_events": 1}  # the event is read from the feed's summary
    with duckdb.connect(str(settings.working_db), read_only=True) as con:
        assert con.execute("select body_fetched from raw_news.articles").fetchall() == [(False,)]


def test_no_feed_at_all_fails(settings, monkeypatch):
    monkeypatch.setenv(news.FEEDS_ENV, "https://dead.example.org/feed/,https://gone.example.org/feed/")
    with pytest.raises(FetchError, match=r"news: fetch failed for https://dead.example.org/feed/: no feed could "
                                         r"be fetched \(2 tried; first: .*HTTP 404\)"):
        run_source(news.SOURCE, settings, transport=httpx.MockTransport(FakeWeb({})))


def test_pages_are_carried_over_and_feeds_asked_conditionally(settings, monkeypatch):
    monkeypatch.setenv(news.FEEDS_ENV, "https://a.example.org/feed/")
    web = FakeWeb({"https://a.example.org/feed/": rss(ROUND_ITEM), "https://example.org/kuali/": page(["z" * 300])},
                  etags={"https://a.example.org/feed/": '"v1"'})
    first = run_source(news.SOURCE, settings, transport=httpx.MockTransport(web))
    second = run_source(news.SOURCE, settings, transport=httpx.MockTransport(web))
    assert (first.requests, second.requests, second.status) == (2, 1, "unchanged")
    assert web.requests[-1].headers["if-none-match"] == '"v1"'  # answered 304: the feed is reused


@pytest.mark.parametrize("variable, value, reason", [
    (news.FEEDS_ENV, "latamlist.com/feed/", "not an http(s) URL"),
    (news.FEEDS_ENV, " , ", "names no feed URL"),
    (news.MAX_ARTICLES_ENV, "many", "is not a whole number"),
])
def test_bad_settings_fail_clearly(settings, monkeypatch, variable, value, reason):
    monkeypatch.setenv(variable, value)
    web = FakeWeb({})
    with pytest.raises(FetchError, match=re.escape(reason)):
        run_source(news.SOURCE, settings, transport=httpx.MockTransport(web))
    assert web.requests == []  # settings are checked before any request


def test_host_pacer_spaces_requests_per_host():
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    pacer = news.HostPacer(2.0, clock=lambda: now[0], sleep=sleep)
    pacer.wait("https://a.example.org/feed/")
    pacer.wait("https://b.example.org/feed/")  # another host: no wait
    now[0] += 0.5
    pacer.wait("https://a.example.org/article/")
    assert slept == [1.5]
