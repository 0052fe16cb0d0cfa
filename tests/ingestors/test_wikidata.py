"""Wikidata: parser on the hand-written sample, SPARQL term types, bad payloads, per-country fetch, offline run."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs

import duckdb
import httpx
import pytest

from ingestors.core.errors import FetchError, PayloadError
from ingestors.core.offline import SAMPLES_DIR
from ingestors.core.pipeline import fetch_snapshot, parse_snapshot, run_source
from ingestors.core.registry import FetchPlan, Record, Reject
from ingestors.core.snapshots import SnapshotStore
from ingestors.domain.countries import latam
from ingestors.sources import wikidata
from ingestors.sources.wikidata import (
    COUNTRY_QIDS,
    INDUSTRY_CLASSES,
    INSTANCE_CLASS_TREES,
    INSTANCE_CLASSES,
    SOURCE,
    build_query,
    parse_date,
)
from tests.ingestors.helpers import parse_files, snapshot_from_files

SAMPLE = SAMPLES_DIR / "wikidata" / "orgs.json"
E = "http://www.wikidata.org/entity/"
DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"
# Offline, every country's request is answered with the one sample (it spans AR, BR, CL and MX).
SAMPLE_FILES = {f"orgs-{c}.json": SAMPLE for c in ("AR", "BR", "CL", "MX", "PE")}


def _sample() -> dict:
    return json.loads(SAMPLE.read_text())


def _answer(bindings: list[dict]) -> bytes:
    return json.dumps({"head": {"vars": list(wikidata.VARS)}, "results": {"bindings": bindings}}).encode()


def _binding(qid: str = "Q7", country: str = "Q155", **terms) -> dict:
    """A minimal binding for the BR file; ``terms`` add or replace (None removes) variables."""
    b = {"org": {"type": "uri", "value": E + qid}, "country": {"type": "uri", "value": E + country},
         "matched_by": {"type": "literal", "value": "headquarters"},
         "label": {"xml:lang": "pt", "type": "literal", "value": "Exemplo Sete"},
         "industries": {"type": "literal", "value": ""}, "instance_of": {"type": "literal", "value": ""},
         "aliases": {"type": "literal", "value": ""}}
    for var, term in terms.items():
        if term is None:
            b.pop(var, None)
        else:
            b[var] = term
    return b


def _live_snapshot(root: Path, files: dict[str, bytes]):
    """A snapshot taken live (``sample`` false), unlike the helpers' sample snapshots."""
    writer = SnapshotStore(root).writer("wikidata", licence="test", sample=False)
    for name, content in files.items():
        writer.add(name, url=wikidata.ENDPOINT, query=None, status=200, headers={}, content=content)
    return writer.commit()


# --- parse ----------------------------------------------------------------------------------


def test_parse_sample(tmp_path: Path) -> None:
    result = parse_files(tmp_path, SOURCE, SAMPLE_FILES)
    rows = {r["qid"]: r for r in result.rows["organizations"]}
    assert sorted(rows) == [f"Q90000010{i}" for i in range(1, 9)]

    # found under BR (by country) and AR (by headquarters): one row, the headquarters country wins
    telesur = {k: v for k, v in rows["Q900000103"].items() if not k.startswith("_")}
    assert telesur == {
        "qid": "Q900000103",
        "label": "Ejemplo Telecomunicaciones del Sur S.A.",
        "description": "empresa argentina de telecomunicaciones (ejemplo)",
        "country_iso2": "AR",
        "hq_city": "Buenos Aires",
        "website": "https://telesur.ejemplo.com.ar/",
        "inception": date(1990, 11, 8),
        "industry_labels": ["telecomunicaciones"],
        "instance_of_labels": ["empresa de telecomunicaciones"],
        "aliases": ["Telesur Ejemplo"],
        "wikipedia_url": "https://es.wikipedia.org/wiki/Ejemplo_Telecomunicaciones_del_Sur",
        "country_iso2_all": ["AR", "BR"],
        "dissolved": None,
        "industry_qids": ["Q418"],
        "instance_of_qids": ["Q2401749"],
        "is_stale": False,
        "stale_from_snapshot": None,
    }
    assert rows["Q900000103"]["_record_url"] == "https://www.wikidata.org/wiki/Q900000103"
    assert rows["Q900000103"]["_record_id"] == "Q900000103"

    nuvem = rows["Q900000101"]
    assert (nuvem["country_iso2"], nuvem["hq_city"], nuvem["inception"]) == ("BR", "Barueri", date(2012, 5, 1))
    assert nuvem["industry_labels"] == ["centro de dados", "computação em nuvem"]  # tab-split, sorted
    assert nuvem["aliases"] == ["ENDSA", "Nuvem Dados"]
    assert nuvem["wikipedia_url"] == "https://pt.wikipedia.org/wiki/Exemplo_Nuvem_Dados"

    institute = rows["Q900000102"]
    assert institute["instance_of_labels"] == ["instituto de pesquisa"]  # the unlabelled class Q999999999 dropped
    assert institute["industry_labels"] == [] and institute["description"] is None and institute["website"] is None
    assert rows["Q900000104"]["industry_labels"] == ["inteligencia artificial", "software"]
    assert rows["Q900000106"]["aliases"] == ["UETM"]  # an alias equal to the label is dropped
    assert rows["Q900000106"]["instance_of_labels"] == ["universidad", "universidad pública"]
    fibra = rows["Q900000108"]
    assert (fibra["dissolved"], fibra["hq_city"], fibra["country_iso2_all"]) == (date(2021, 12, 31), None, ["CL"])
    assert {r["country_iso2"] for r in rows.values()} == {"AR", "BR", "CL", "MX"}  # PE: nothing in the sample

    (q,) = result.quarantine
    assert (q["table_name"], q["record_id"]) == ("organizations", "orgs-CL.json#7")
    assert q["reason"].startswith("org: not a Wikidata entity URI: 'http://www.wikidata.org/entity/statement/")
    assert json.loads(q["raw"])["label"]["value"] == "Ejemplo Nube Austral"


@pytest.mark.parametrize(("value", "expected"), [
    ("2015-03-10T00:00:00Z", date(2015, 3, 10)),
    ("+2015-01-01T00:00:00Z", date(2015, 1, 1)),
    ("+2015-00-00T00:00:00Z", date(2015, 1, 1)),  # Wikibase JSON, year precision
    ("1998-07-00T00:00:00Z", date(1998, 7, 1)),  # month precision
    ("2001-02-03", date(2001, 2, 3)),
    ("-0500-01-01T00:00:00Z", None),  # BCE
    ("0000-01-01T00:00:00Z", None),
    (None, None),
])
def test_parse_date(value, expected) -> None:
    assert parse_date(value) == expected


def test_parse_date_refuses_garbage() -> None:
    with pytest.raises(ValueError, match="not a Wikidata date"):
        parse_date("in the 1990s")


def _parse_one(tmp_path: Path, binding: dict) -> list[Record | Reject]:
    snapshot = snapshot_from_files(tmp_path, "wikidata", {"orgs-BR.json": _answer([binding])})
    return list(SOURCE.parse(snapshot))


def test_sparql_term_types(tmp_path: Path) -> None:
    """uri, plain literal, language-tagged literal and typed literal (incl. the SPARQL 1.0 'typed-literal')."""
    (item,) = _parse_one(tmp_path, _binding(
        website={"type": "uri", "value": "https://sete.exemplo.com.br/"},
        hq_city={"xml:lang": "pt", "type": "literal", "value": "Recife"},
        inception={"datatype": DATETIME, "type": "literal", "value": "2011-04-01T00:00:00Z"},
        dissolved={"datatype": DATETIME, "type": "typed-literal", "value": "2020-01-01T00:00:00Z"},
        description={"xml:lang": "pt", "type": "literal", "value": "  empresa  "},
        industries={"type": "literal", "value": "software\tQ123\t software \t"},
        wikipedia={"type": "uri", "value": "https://pt.wikipedia.org/wiki/Sete"},
    ))
    assert isinstance(item, Record)
    assert item.data["website"] == "https://sete.exemplo.com.br/" and item.data["hq_city"] == "Recife"
    assert (item.data["inception"], item.data["dissolved"]) == (date(2011, 4, 1), date(2020, 1, 1))
    assert item.data["description"] == "empresa" and item.data["industry_labels"] == ["software"]
    assert item.data["country_iso2"] == "BR" and item.data["wikipedia_url"].endswith("/Sete")


def test_an_hq_without_label_is_null(tmp_path: Path) -> None:
    (item,) = _parse_one(tmp_path, _binding(hq_city={"type": "literal", "value": "Q42"}))
    assert isinstance(item, Record) and item.data["hq_city"] is None


@pytest.mark.parametrize(("terms", "reason"), [
    ({"org": {"type": "literal", "value": "Q7"}}, "org: expected a URI, got literal"),
    ({"org": {"type": "uri", "value": "https://www.wikidata.org/wiki/Q7"}}, "org: not a Wikidata entity URI"),
    ({"org": None}, "org: not a Wikidata entity URI: None"),
    ({"website": {"type": "literal", "value": "sete.com.br"}}, "website: expected a URI, got literal"),
    ({"inception": {"type": "bnode", "value": "t123"}}, "inception: expected a literal, got bnode"),
    ({"inception": {"datatype": DATETIME, "type": "literal", "value": "soon"}}, "inception: not a Wikidata date"),
    ({"label": {"type": "literal", "value": "Q7"}}, "label: no label in any requested language"),
    ({"label": None}, "label: no label in any requested language"),
    ({"label": "Exemplo"}, "label: not an RDF term"),
])
def test_bad_bindings_are_quarantined(tmp_path: Path, terms: dict, reason: str) -> None:
    (item,) = _parse_one(tmp_path, _binding(**terms))
    assert isinstance(item, Reject) and item.record_id == "orgs-BR.json#0"
    assert item.reason.startswith(reason)


def test_other_countries_are_skipped_offline_and_quarantined_live(tmp_path: Path) -> None:
    files = {"orgs-BR.json": _answer([_binding("Q7"), _binding("Q8", country="Q414")])}
    offline = list(SOURCE.parse(snapshot_from_files(tmp_path / "offline", "wikidata", files)))
    assert [type(i).__name__ for i in offline] == ["Record"]
    live = list(SOURCE.parse(_live_snapshot(tmp_path / "live", files)))
    (reject,) = [i for i in live if isinstance(i, Reject)]
    assert reject.reason == "country: Q414 in the answer for BR (Q155)"


def test_the_first_country_alphabetically_wins_a_tie(tmp_path: Path) -> None:
    both = {"matched_by": {"type": "literal", "value": "country"}}
    files = {"orgs-PE.json": _answer([_binding("Q7", country="Q419", **both)]),
             "orgs-CL.json": _answer([_binding("Q7", country="Q298", **both)])}
    (item,) = SOURCE.parse(snapshot_from_files(tmp_path, "wikidata", files))
    assert (item.data["country_iso2"], item.data["country_iso2_all"]) == ("CL", ["CL", "PE"])


# --- wholly bad payloads --------------------------------------------------------------------

TRUNCATED_BY_TIMEOUT = (
    b'{\n  "head" : {\n    "vars" : [ "org" ]\n  },\n  "results" : {\n    "bindings" : [ {\n'
    b'SPARQL-QUERY: queryStr=SELECT ...\njava.util.concurrent.TimeoutException\n'
    b'\tat java.util.concurrent.FutureTask.get(FutureTask.java:205)\n'
)
MALFORMED_QUERY = (b"SPARQL-QUERY: queryStr=SELECT ?org WHERE {\n"
                   b"java.util.concurrent.ExecutionException: org.openrdf.query.MalformedQueryException: "
                   b"Encountered \" \"}\" \"} \"\" at line 1\n")


@pytest.mark.parametrize(("content", "expected"), [
    (b"<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>", "not JSON"),
    (TRUNCATED_BY_TIMEOUT, "the query timed out on the server (60 s limit)"),
    (MALFORMED_QUERY, "the endpoint answered with an error: SPARQL-QUERY: queryStr=SELECT ?org WHERE {"),
    (b'[{"org": "Q1"}]', 'expected SPARQL JSON results {"head": ..., "results": ...}'),
    (b'{"head": {"vars": ["org"]}, "results": {}}', "SPARQL JSON results without head.vars or results.bindings"),
    (json.dumps({"head": {"vars": ["org", "label"]}, "results": {"bindings": []}}).encode(),
     "the answer lacks variable(s) country, matched_by"),
])
def test_wholly_bad_payload_fails_the_source(tmp_path: Path, content: bytes, expected: str) -> None:
    snapshot = snapshot_from_files(tmp_path, "wikidata", {**SAMPLE_FILES, "orgs-BR.json": content})
    with pytest.raises(PayloadError) as info:
        list(SOURCE.parse(snapshot))
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"wikidata: bad payload in snapshot {snapshot.snapshot_id}/orgs-BR.json: ")
    assert expected in message


def test_unexpected_file_fails_the_source(tmp_path: Path) -> None:
    snapshot = snapshot_from_files(tmp_path, "wikidata", {"orgs-US.json": SAMPLE})
    with pytest.raises(PayloadError, match="orgs-US.json: unexpected file"):
        list(SOURCE.parse(snapshot))


def test_an_empty_world_fails_the_source(tmp_path: Path) -> None:
    with pytest.raises(PayloadError, match="table organizations got 0 rows"):
        parse_files(tmp_path, SOURCE, {"orgs-BR.json": _answer([])})


# --- the query ------------------------------------------------------------------------------


def test_country_qids_cover_the_seed() -> None:
    assert set(COUNTRY_QIDS) == {c.iso2 for c in latam()}
    assert len(set(COUNTRY_QIDS.values())) == len(COUNTRY_QIDS)
    assert (COUNTRY_QIDS["BR"], COUNTRY_QIDS["MX"], COUNTRY_QIDS["PR"]) == ("Q155", "Q96", "Q1183")


def test_build_query() -> None:
    q = build_query("BR")
    assert "VALUES ?country { wd:Q155 }" in q
    for qid in (*INDUSTRY_CLASSES, *INSTANCE_CLASSES, *INSTANCE_CLASS_TREES):
        assert f"wd:{qid}" in q
    assert q.count("wdt:P279*") == 1  # only the short list of class trees walks subclasses
    assert 'wikibase:language "pt,mul,es,en"' in q and "<https://pt.wikipedia.org/>" in q
    assert 'separator="\\t"' in q and "GROUP BY ?org ?country" in q and "ORDER BY ?org" in q
    assert 'wikibase:language "es,mul,pt,en"' in build_query("AR")
    assert 'wikibase:language "en,mul,es,pt"' in build_query("JM")


# --- fetch ----------------------------------------------------------------------------------


class FakeWDQS:
    """Answers like the query service: only the bindings of the country the query pins."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        query = parse_qs(request.url.query.decode())["query"][0]
        answer = _sample()
        answer["results"]["bindings"] = [
            b for b in answer["results"]["bindings"]
            if f"VALUES ?country {{ wd:{b['country']['value'].rsplit('/', 1)[1]} }}" in query
        ]
        return httpx.Response(200, json=answer, headers={"content-type": "application/sparql-results+json"})


def _unlimited():
    """The source without its 1 request/second limit, so the test does not sleep."""
    return dataclasses.replace(SOURCE, plan=FetchPlan(max_requests=SOURCE.plan.max_requests))


def test_fetch_asks_once_per_country(settings) -> None:
    fake = FakeWDQS()
    snapshot, requests = fetch_snapshot(_unlimited(), settings, offline=False, transport=httpx.MockTransport(fake))

    countries = sorted(c.iso2 for c in latam())
    assert requests == len(fake.requests) == len(countries) == 49
    assert snapshot.names() == [f"orgs-{c}.json" for c in countries]
    for request, iso2 in zip(fake.requests, countries, strict=True):
        assert (request.url.host, request.url.path) == ("query.wikidata.org", "/sparql")
        params = parse_qs(request.url.query.decode())
        assert params["format"] == ["json"]
        assert f"VALUES ?country {{ wd:{COUNTRY_QIDS[iso2]} }}" in params["query"][0]
        assert request.headers["user-agent"] == settings.user_agent
        assert "tests@example.org" in request.headers["user-agent"]
        assert request.headers["accept"] == "application/sparql-results+json"
    recorded = snapshot.file("orgs-MX.json")
    assert recorded.url == wikidata.ENDPOINT and recorded.query["query"] == build_query("MX")

    result = parse_snapshot(SOURCE, snapshot)  # live: each country answered with its own bindings only
    assert len(result.rows["organizations"]) == 8
    assert [q["record_id"] for q in result.quarantine] == ["orgs-CL.json#2"]


def test_fetch_refuses_a_seed_country_without_qid(settings, monkeypatch) -> None:
    monkeypatch.delitem(COUNTRY_QIDS, "UY")
    with pytest.raises(FetchError, match="no Wikidata QID for seed country UY"):
        fetch_snapshot(_unlimited(), settings, offline=False, transport=httpx.MockTransport(FakeWDQS()))


def test_plan() -> None:
    assert SOURCE.plan.rate_limits == {"query.wikidata.org": 1.0}
    assert (SOURCE.family, SOURCE.cadence, SOURCE.licence) == ("organisations", "weekly", "Wikidata, CC0")


# --- offline run ----------------------------------------------------------------------------


def test_offline_run_loads_duckdb(settings) -> None:
    result = run_source(SOURCE, settings, offline=True)
    assert result.status == "loaded"
    assert result.requests == 49  # every country asks; the one sample answers them all
    assert result.rows == {"organizations": 8} and result.quarantined == 1
    with duckdb.connect(str(settings.working_db), read_only=True) as con:
        row = con.execute(
            "select country_iso2, country_iso2_all, inception, industry_labels, _record_url "
            "from raw_wikidata.organizations where qid = 'Q900000103'").fetchone()
        assert row == ("AR", ["AR", "BR"], date(1990, 11, 8), ["telecomunicaciones"],
                       "https://www.wikidata.org/wiki/Q900000103")
        counts = dict(con.execute("select country_iso2, count(*) from raw_wikidata.organizations "
                                  "group by 1").fetchall())
        assert counts == {"AR": 2, "BR": 2, "CL": 2, "MX": 2}
        assert con.execute("select record_id from meta.quarantine where source = 'wikidata'").fetchall() == [
            ("orgs-CL.json#7",)]


def test_sample_binding_variables_match_the_query() -> None:
    """The sample answers the query the fetch sends: same variables, in the same order."""
    head = _sample()["head"]["vars"]
    select = build_query("BR").split("WHERE")[0]
    assert head == list(wikidata.VARS)
    assert all(f"?{v}" in select for v in head)
    countries = {b["country"]["value"].rsplit("/", 1)[1] for b in _sample()["results"]["bindings"]}
    assert countries == {COUNTRY_QIDS[c] for c in ("AR", "BR", "CL", "MX")}


class FlakyWDQS(FakeWDQS):
    """Like the query service, but the queries of some countries time out (HTTP 500 with a Java trace, or a
    200 cut off by a TimeoutException)."""

    def __init__(self, failing: dict[str, str]) -> None:
        super().__init__()
        self.failing = failing  # iso2 -> "500" or "200"

    def __call__(self, request: httpx.Request) -> httpx.Response:
        query = parse_qs(request.url.query.decode())["query"][0]
        for iso2, how in self.failing.items():
            if f"VALUES ?country {{ wd:{COUNTRY_QIDS[iso2]} }}" in query:
                self.requests.append(request)
                if how == "500":
                    return httpx.Response(500, text="java.util.concurrent.TimeoutException")
                return httpx.Response(200, text='{"head": {"vars": []}, "results": {"bindings": [ '
                                                'java.util.concurrent.TimeoutException')
        return super().__call__(request)


def test_a_country_that_times_out_keeps_its_last_good_rows_flagged_and_fails_alone(settings) -> None:
    first, _ = fetch_snapshot(_unlimited(), settings, offline=False, transport=httpx.MockTransport(FakeWDQS()))
    ar_rows = [r for r in parse_snapshot(SOURCE, first).rows["organizations"] if r["country_iso2"] == "AR"]
    assert ar_rows

    # AR times out (200 cut off), BR answers 500 and has no good answer before: MX and the others still load
    before = {r["qid"] for r in parse_snapshot(SOURCE, first).rows["organizations"] if r["country_iso2"] == "BR"}
    import gzip
    import shutil

    from ingestors.core.snapshots import GZIP
    for name in (first.path / "orgs-BR.json",):  # pretend BR never answered well (in the file's stored form)
        bad = b"java.util.concurrent.TimeoutException"
        name.unlink()  # not through the hard link: the stored payload stays intact
        name.write_bytes(gzip.compress(bad) if first.file(name.name).stored == GZIP else bad)
    flaky = FlakyWDQS({"AR": "200", "BR": "500"})
    second, _ = fetch_snapshot(_unlimited(), settings, offline=False, transport=httpx.MockTransport(flaky))
    assert f"carried-{first.snapshot_id}-orgs-AR.json" in second.names()
    assert "failed-orgs-BR.txt" in second.names()
    result = parse_snapshot(SOURCE, second)
    rows = result.rows["organizations"]
    stale = [r for r in rows if r["is_stale"]]
    assert {r["qid"] for r in stale} == {r["qid"] for r in ar_rows}
    assert all(r["stale_from_snapshot"] == first.snapshot_id for r in stale)
    assert any(r["country_iso2"] == "MX" and not r["is_stale"] for r in rows)
    assert not any(r["country_iso2"] == "BR" for r in rows) and before
    assert any(q["record_id"] == "failed-orgs-BR.txt" and "BR" in q["reason"] for q in result.quarantine)
    shutil.rmtree(second.path)
