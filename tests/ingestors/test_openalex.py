"""OpenAlex: parser on the hand-written samples, bad payloads, grouped fetch, institution lookups, AI researchers,
offline run."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import parse_qs

import duckdb
import httpx
import pytest

from ingestors.core.errors import PayloadError
from ingestors.core.offline import SAMPLES_DIR
from ingestors.core.pipeline import fetch_snapshot, parse_snapshot, run_source
from ingestors.core.registry import FetchPlan
from ingestors.core.snapshots import SnapshotStore
from ingestors.domain.countries import latam
from ingestors.sources import openalex
from ingestors.sources.openalex import SOURCE, _batches, window, works_filter
from tests.ingestors.helpers import parse_files, snapshot_from_files

SAMPLES = SAMPLES_DIR / "openalex"
WORKS, LOOKUP = SAMPLES / "works.json", SAMPLES / "institutions.json"
TOPICS, AUTHORS = SAMPLES / "topics.json", SAMPLES / "authors.json"
# What an offline fetch writes: ten yearly answers and the sample countries' institutions, all the same works.json.
SAMPLE_YEARS = range(2017, 2027)
SAMPLE_FILES = {
    **{openalex.country_file(y): WORKS for y in SAMPLE_YEARS},
    **{f"works-by-institution-{c}.json": WORKS for c in openalex.SAMPLE_COUNTRIES},
    "institutions-1.json": LOOKUP,
    openalex.TOPICS_FILE: TOPICS,
    openalex.AUTHORS_FILE: AUTHORS,
}
# The same, as snapshots taken before December 2026 hold it: one yearly file per country, no authors.
OLD_SAMPLE_FILES = {
    **{f"works-by-{kind}-{c}.json": WORKS for c in openalex.SAMPLE_COUNTRIES for kind in ("year", "institution")},
    "institutions-1.json": LOOKUP,
}


def _groups(groups: list[dict]) -> bytes:
    return json.dumps({"meta": {"count": 1, "groups_count": len(groups)}, "results": [], "group_by": groups}).encode()


def _group(key, count=3, name: str | None = None) -> dict:
    return {"key": key, "key_display_name": name or str(key), "count": count}


# --- parse ----------------------------------------------------------------------------------


def test_parse_samples(tmp_path: Path) -> None:
    result = parse_files(tmp_path, SOURCE, SAMPLE_FILES)
    years = {(r["country_iso2"], r["year"]): r["ai_works"] for r in result.rows["works_by_country_year"]}
    assert len(years) == 50  # 10 years x AR, BR, CL, CO, MX (offline every year gets the same answer)
    assert years[("BR", 2025)] == years[("BR", 2017)] == 1652 and years[("CO", 2020)] == 301
    assert "US" not in {c for c, _ in years}  # a co-author's country abroad
    assert sorted({y for _, y in years}) == list(SAMPLE_YEARS)
    brazil = next(r for r in result.rows["works_by_country_year"] if (r["country_iso2"], r["year"]) == ("BR", 2024))
    assert brazil["_record_id"] == "BR/2024"

    institutions = {(r["country_iso2"], r["institution_id"]): r for r in result.rows["institutions"]}
    assert len(institutions) == 21  # 7 institutions x 3 countries
    usp = {k: v for k, v in institutions[("BR", "I4000000001")].items() if not k.startswith("_")}
    assert usp == {
        "institution_id": "I4000000001",
        "display_name": "Universidade Exemplo de São Paulo",
        "country_iso2": "BR",
        "ai_works": 1526,
        "institution_country_iso2": "BR",
        "institution_type": "education",
        "ror": "https://ror.org/00exmpl01",
        "first_year": None,  # the window is read from the recorded query, absent here
        "last_year": None,
    }
    foreign = institutions[("BR", "I4000000006")]
    assert (foreign["institution_country_iso2"], foreign["ai_works"]) == ("US", 77)  # a co-author abroad
    assert institutions[("CL", "I4000000007")]["institution_type"] == "company"
    assert institutions[("MX", "I4000000002")]["ror"] is None
    assert institutions[("MX", "I4000000003")]["_record_url"] == "https://openalex.org/I4000000003"
    assert institutions[("MX", "I4000000003")]["_record_id"] == "MX/I4000000003"

    # the author id slipped into the institution groups, once per country
    assert sorted((q["table_name"], q["record_id"]) for q in result.quarantine) == [
        ("institutions", f"works-by-institution-{c}.json#22") for c in ("BR", "CL", "MX")]
    assert result.quarantine[0]["reason"] == "key 'https://openalex.org/A5000000001' is not an institution id"

    authors = {r["country_iso2"]: r for r in result.rows["ai_authors_by_country"]}
    assert {c: r["ai_authors"] for c, r in authors.items()} == {
        "BR": 5123, "MX": 2123, "AR": 1123, "CL": 923, "CO": 823, "PE": 223, "UY": 123}  # the US group dropped
    assert {r["ai_topics"] for r in authors.values()} == {4}
    assert authors["BR"]["_record_id"] == "BR"


# --- AI researchers ---------------------------------------------------------------------------


def _topics(ids: list[str], count: int | None = None) -> bytes:
    results = [{"id": f"https://openalex.org/{t}", "display_name": f"Topic {t}"} for t in ids]
    return json.dumps({"meta": {"count": len(ids) if count is None else count}, "results": results,
                       "group_by": []}).encode()


def test_author_groups_of_a_live_answer(tmp_path: Path) -> None:
    writer = SnapshotStore(tmp_path).writer("openalex", licence="test", sample=False)
    writer.add(openalex.country_file(2025), url=openalex.WORKS_URL, status=200, headers={}, query=None,
               content=_groups([_group("BR", 412)]))
    writer.add(openalex.works_file("institution", "BR"), url=openalex.WORKS_URL, status=200, headers={}, query=None,
               content=_groups([_group("https://openalex.org/I77", 12, "Universidad Ejemplo")]))
    writer.add(openalex.TOPICS_FILE, url=openalex.TOPICS_URL, status=200, headers={}, content=_topics(["T1", "T2"]),
               query={"filter": "subfield.id:1702", "select": "id,display_name", "per_page": 100})
    groups = [_group("https://openalex.org/countries/BR", 4100), _group("https://openalex.org/countries/US", 9),
              _group("MX", 1500), _group("https://openalex.org/I9", 2), _group("https://openalex.org/countries/CL", -4),
              "UY"]
    writer.add(openalex.AUTHORS_FILE, url=openalex.AUTHORS_URL, status=200, headers={}, content=_groups(groups),
               query={"filter": openalex.authors_filter(["T1", "T2"], ["BR", "CL", "MX"]),
                      "group_by": openalex.BY_AUTHOR_COUNTRY, "per_page": 200, "mailto": "t@example.org"})
    result = parse_snapshot(SOURCE, writer.commit())
    rows = result.rows["ai_authors_by_country"]
    assert [(r["country_iso2"], r["ai_authors"], r["ai_topics"]) for r in rows] == [("BR", 4100, 2), ("MX", 1500, 2)]
    assert rows[0]["_record_url"] == (
        "https://api.openalex.org/authors?filter=topics.id%3AT1%7CT2%2Clast_known_institutions.country_code%3A"
        "BR%7CCL%7CMX&group_by=last_known_institutions.country_code&per_page=200")
    assert sorted((q["record_id"], q["reason"].split(": ")[0]) for q in result.quarantine) == [
        ("CL", "ai_authors"),  # a negative count
        ("authors-by-country.json#3", "key 'https://openalex.org/I9' is not a country code"),
        ("authors-by-country.json#5", "group is not a JSON object"),
    ]


@pytest.mark.parametrize(("files", "expected"), [
    ({openalex.AUTHORS_FILE: AUTHORS}, "authors-by-country.json: no ai-topics.json beside it"),
    ({openalex.AUTHORS_FILE: AUTHORS, openalex.TOPICS_FILE: _topics(["T1", "T2"], count=130)},
     "ai-topics.json: 2 readable topics of 130 in the AI subfield"),
    ({openalex.AUTHORS_FILE: AUTHORS, openalex.TOPICS_FILE: _topics([])},
     "ai-topics.json: 0 readable topics of 0 in the AI subfield"),
    ({openalex.AUTHORS_FILE: json.dumps({"error": "Invalid query parameters error.",
                                         "message": "topics.id is not a valid field"}).encode(),
      openalex.TOPICS_FILE: TOPICS},
     "authors-by-country.json: the API answered with an error: Invalid query parameters error.; topics.id"),
])
def test_bad_author_answers_fail_the_source(tmp_path: Path, files: dict, expected: str) -> None:
    base = {k: v for k, v in SAMPLE_FILES.items() if k not in (openalex.TOPICS_FILE, openalex.AUTHORS_FILE)}
    snapshot = snapshot_from_files(tmp_path, "openalex", {**base, **files})
    with pytest.raises(PayloadError) as info:
        list(SOURCE.parse(snapshot))
    assert "\n" not in str(info.value)
    assert str(info.value).startswith(f"openalex: bad payload in snapshot {snapshot.snapshot_id}/")
    assert expected in str(info.value)


def test_a_topics_answer_alone_yields_no_authors(tmp_path: Path) -> None:
    """When the subfield had more topics than one OR filter takes, the fetch kept the topics answer and sent no
    authors request: the table is empty (min_rows 0), and the shrink guard stops the load if it had rows."""
    base = {k: v for k, v in SAMPLE_FILES.items() if k != openalex.AUTHORS_FILE}
    result = parse_files(tmp_path, SOURCE, base)
    assert result.rows.get("ai_authors_by_country", []) == [] and result.rows["works_by_country_year"]


def test_parse_snapshots_of_the_per_country_yearly_requests(tmp_path: Path) -> None:
    result = parse_files(tmp_path, SOURCE, OLD_SAMPLE_FILES)
    years = {(r["country_iso2"], r["year"]): r["ai_works"] for r in result.rows["works_by_country_year"]}
    assert len(years) == 30  # 10 years x BR, CL, MX (every country got the same answer)
    assert years[("BR", 2025)] == 1894 and years[("BR", 2016)] == 398 and years[("MX", 2020)] == 874
    assert len(result.rows["institutions"]) == 21 and len(result.quarantine) == 3


def test_country_groups_of_a_live_answer(tmp_path: Path) -> None:
    writer = SnapshotStore(tmp_path).writer("openalex", licence="test", sample=False)
    groups = [_group("US", 900), _group("BR", 412), _group("https://openalex.org/countries/MX", 120),
              _group("uy", 7), _group("2021", 3), _group("BR", -1)]
    filt = openalex.country_filter(2021, ("BR", "MX", "UY"))
    writer.add(openalex.country_file(2021), url=openalex.WORKS_URL, status=200, headers={}, content=_groups(groups),
               query={"filter": filt, "group_by": openalex.BY_COUNTRY, "per_page": 200, "mailto": "t@example.org"})
    items = list(SOURCE.parse(writer.commit()))
    records = [(i.data["country_iso2"], i.data["year"], i.data["ai_works"]) for i in items if hasattr(i, "data")]
    assert records == [("BR", 2021, 412), ("MX", 2021, 120), ("UY", 2021, 7), ("BR", 2021, -1)]
    (reject,) = [i for i in items if not hasattr(i, "data")]
    assert (reject.record_id, reject.reason) == ("works-by-country-2021.json#4", "key '2021' is not a country code")
    assert items[0].record_url == (
        "https://api.openalex.org/works?filter=primary_topic.subfield.id%3A1702%2Cpublication_year%3A2021%2C"
        "authorships.institutions.country_code%3ABR%7CMX%7CUY&group_by=authorships.institutions.country_code"
        "&per_page=200")


def test_parse_reads_the_window_and_url_from_the_sidecar(tmp_path: Path) -> None:
    writer = SnapshotStore(tmp_path).writer("openalex", licence="test", sample=True)
    filt = works_filter("UY", 2017, 2026)
    for kind, by, body in (("year", "publication_year", _groups([_group("2019", 41)])),
                           ("institution", openalex.BY_INSTITUTION,
                            _groups([_group("https://openalex.org/I77", 12, "Universidad Ejemplo")]))):
        writer.add(f"works-by-{kind}-UY.json", url=openalex.WORKS_URL, status=200, headers={}, content=body,
                   query={"filter": filt, "group_by": by, "mailto": "tests@example.org"})
    result = parse_snapshot(SOURCE, writer.commit())
    (year,) = result.rows["works_by_country_year"]
    assert (year["country_iso2"], year["year"], year["ai_works"]) == ("UY", 2019, 41)
    assert year["_record_url"] == (
        "https://api.openalex.org/works?filter=primary_topic.subfield.id%3A1702%2C"
        "authorships.institutions.country_code%3AUY%2Cpublication_year%3A2017-2026&group_by=publication_year")
    (inst,) = result.rows["institutions"]
    assert (inst["first_year"], inst["last_year"], inst["display_name"]) == (2017, 2026, "Universidad Ejemplo")
    assert inst["institution_country_iso2"] is None and inst["institution_type"] is None  # no lookup for it


def test_wrong_kind_groups_are_quarantined_in_a_live_snapshot(tmp_path: Path) -> None:
    writer = SnapshotStore(tmp_path).writer("openalex", licence="test", sample=False)
    for name, groups in (("works-by-year-BR.json", [_group("2020"), _group("https://openalex.org/I9")]),
                         ("works-by-institution-BR.json", [_group("https://openalex.org/I9"), _group("2020")])):
        writer.add(name, url=openalex.WORKS_URL, query=None, status=200, headers={}, content=_groups(groups))
    items = list(SOURCE.parse(writer.commit()))
    assert [(type(i).__name__, i.table) for i in items] == [
        ("Record", "institutions"), ("Reject", "institutions"),
        ("Record", "works_by_country_year"), ("Reject", "works_by_country_year")]
    assert items[1].reason == "key '2020' is not an institution id"
    assert items[3].reason == "key 'https://openalex.org/I9' is not a year"


@pytest.mark.parametrize(("group", "record_id", "reason"), [
    (_group("2020", count="many"), "BR/2020", "ai_works: Input should be a valid integer"),
    (_group("2020", count=-1), "BR/2020", "ai_works: Input should be greater than or equal to 0"),
    (_group("1850", count=1), "BR/1850", "year: Input should be greater than or equal to 1900"),
    ("2020", "works-by-year-BR.json#1", "group is not a JSON object"),
])
def test_bad_groups_are_quarantined(tmp_path: Path, group, record_id: str, reason: str) -> None:
    result = parse_files(tmp_path, SOURCE, {"works-by-year-BR.json": _groups([_group("2021"), group]),
                                            "works-by-institution-BR.json": _groups([_group("https://openalex.org/I1")])})
    assert [r["year"] for r in result.rows["works_by_country_year"]] == [2021]
    (q,) = result.quarantine
    assert q["record_id"] == record_id
    assert q["reason"].startswith(reason)


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("works-by-year-BR.json", b"<html><body>Bad Gateway</body></html>", "not JSON"),
    ("works-by-year-BR.json", json.dumps({"error": "Invalid query parameters error.",
                                          "message": "publication_year is not a valid field"}).encode(),
     "the API answered with an error: Invalid query parameters error.; publication_year is not a valid field"),
    ("works-by-institution-MX.json", json.dumps({"meta": {"count": 3}, "results": []}).encode(),
     'no "group_by" list in the answer'),
    ("works-by-institution-MX.json", b"[]", "expected a JSON object"),
    ("institutions-1.json", json.dumps({"error": "Rate limit exceeded"}).encode(),
     "the API answered with an error: Rate limit exceeded"),
])
def test_wholly_bad_payload_fails_the_source(tmp_path: Path, name: str, content: bytes, expected: str) -> None:
    snapshot = snapshot_from_files(tmp_path, "openalex", {**SAMPLE_FILES, name: content})
    with pytest.raises(PayloadError) as info:
        list(SOURCE.parse(snapshot))
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"openalex: bad payload in snapshot {snapshot.snapshot_id}/{name}: ")
    assert expected in message


@pytest.mark.parametrize(("name", "expected"), [
    ("works-by-year-US.json", "US is not a LatAm country of the seed"),
    ("works-by-topic-BR.json", "unexpected file"),
])
def test_unexpected_files_fail_the_source(tmp_path: Path, name: str, expected: str) -> None:
    snapshot = snapshot_from_files(tmp_path, "openalex", {**SAMPLE_FILES, name: WORKS})
    with pytest.raises(PayloadError, match=expected):
        list(SOURCE.parse(snapshot))


def test_no_ai_works_anywhere_fails_the_source(tmp_path: Path) -> None:
    with pytest.raises(PayloadError, match="table works_by_country_year got 0 rows"):
        parse_files(tmp_path, SOURCE, {"works-by-year-BR.json": _groups([]),
                                       "works-by-institution-BR.json": _groups([])})


# --- fetch ----------------------------------------------------------------------------------


def test_window() -> None:
    assert window(date(2026, 11, 23)) == (2017, 2026)
    assert window(date(2030, 1, 1)) == (2021, 2030)


def test_batches_are_numeric_and_bounded() -> None:
    ids = [f"I{n}" for n in (10, 9, 100, *range(1000, 1120))]
    batches = list(_batches(ids))
    assert [len(b) for b in batches] == [50, 50, 23]
    assert batches[0][:3] == ["I9", "I10", "I100"]


# AI works a year the fake answers for each country: the largest first, then ten or more for the rest, none for
# Saint Barthélemy and Saint Martin (absent from the answer, so never asked about).
LARGEST = ("BR", "MX", "AR", "CL", "CO", "PE", "EC", "UY", "CU", "VE", "CR")
NO_WORKS = ("BL", "MF")


def _yearly_count(iso2: str) -> int:
    if iso2 in LARGEST:
        return 2_000 - 100 * LARGEST.index(iso2)
    return 10 + sorted(c.iso2 for c in latam()).index(iso2)


class FakeOpenAlex:
    """Answers /works group_by and /institutions lookups like OpenAlex would."""

    def __init__(self, topics: int = 60) -> None:
        self.requests: list[httpx.Request] = []
        self.topics = topics  # in the AI subfield

    @staticmethod
    def _country_ids(iso2: str) -> list[int]:
        n = sorted(c.iso2 for c in latam()).index(iso2)
        return [1_000 + 2 * n, 1_001 + 2 * n, 7]  # two of its own, and one shared by every country

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        q = {k: v[0] for k, v in parse_qs(request.url.query.decode()).items()}
        if request.url.path == "/institutions":
            ids = q["filter"].removeprefix("openalex:").split("|")
            results = [{"id": f"https://openalex.org/{i}", "display_name": f"Inst {i}",
                        "country_code": "BR" if i == "I7" else "AR", "type": "education", "ror": None}
                       for i in ids]
            return httpx.Response(200, json={"meta": {"count": len(results)}, "results": results, "group_by": []})
        if request.url.path == "/topics":
            results = [{"id": f"https://openalex.org/T{10_000 + i}", "display_name": f"Topic {i}"}
                       for i in range(self.topics)]
            return httpx.Response(200, json={"meta": {"count": self.topics}, "results": results[:100],
                                             "group_by": []})
        if request.url.path == "/authors":
            asked = q["filter"].split("country_code:")[1].split("|")
            groups = [_group(f"https://openalex.org/countries/{c}", 3 * _yearly_count(c)) for c in asked
                      if c not in NO_WORKS] + [_group("https://openalex.org/countries/ES", 40)]
            return httpx.Response(200, json={"meta": {"count": 9}, "results": [], "group_by": groups})
        if q["group_by"] == openalex.BY_COUNTRY:
            asked = q["filter"].split("country_code:")[1].split("|")
            groups = [_group("US", 5_000)] + [_group(c, _yearly_count(c)) for c in asked if c not in NO_WORKS]
        else:
            iso2 = q["filter"].split("country_code:")[1].split(",")[0]
            groups = [_group(f"https://openalex.org/I{i}", 5, f"Inst I{i}") for i in self._country_ids(iso2)]
        return httpx.Response(200, json={"meta": {"count": 50}, "results": [], "group_by": groups})

    def params(self, path: str) -> list[dict[str, str]]:
        return [{k: v[0] for k, v in parse_qs(r.url.query.decode()).items()}
                for r in self.requests if r.url.path == path]


def _unlimited():
    """The source without its 5 requests/second limit, so the test does not sleep."""
    return dataclasses.replace(SOURCE, plan=FetchPlan(max_requests=SOURCE.plan.max_requests))


def test_fetch_groups_each_year_by_country_then_looks_institutions_up(settings, monkeypatch) -> None:
    monkeypatch.setenv("OPENALEX_API_KEY", "a-key")  # with a key: every country's institutions
    fake = FakeOpenAlex()
    snapshot, requests = fetch_snapshot(_unlimited(), settings, offline=False, transport=httpx.MockTransport(fake))

    countries = sorted(c.iso2 for c in latam())
    with_works = [c for c in countries if c not in NO_WORKS]
    first, last = window(datetime.now(UTC).date())
    works = fake.params("/works")
    yearly, by_inst = works[:last - first + 1], works[last - first + 1:]
    # after the yearly answers, the AI researchers: the subfield's topics, then one grouped authors request
    assert [r.url.path for r in fake.requests[last - first + 1:last - first + 3]] == ["/topics", "/authors"]
    assert fake.params("/topics") == [{"filter": "subfield.id:1702", "select": "id,display_name", "per_page": "100",
                                       "mailto": "tests@example.org"}]
    (authors,) = fake.params("/authors")
    assert authors == {"filter": f"topics.id:{'|'.join(f'T{10_000 + i}' for i in range(60))},"
                                 f"last_known_institutions.country_code:{'|'.join(countries)}",
                       "group_by": "last_known_institutions.country_code", "per_page": "200",
                       "mailto": "tests@example.org"}
    assert yearly == [{"filter": f"primary_topic.subfield.id:1702,publication_year:{y},"
                                 f"authorships.institutions.country_code:{'|'.join(countries)}",
                       "group_by": "authorships.institutions.country_code", "per_page": "200",
                       "mailto": "tests@example.org"} for y in range(first, last + 1)]
    # then the institutions of every country with AI works, most works first
    assert [p["filter"].split("country_code:")[1].split(",")[0] for p in by_inst] == sorted(
        with_works, key=lambda c: (-_yearly_count(c), c))
    assert by_inst[0] == {"filter": f"primary_topic.subfield.id:1702,authorships.institutions.country_code:BR,"
                                    f"publication_year:{first}-{last}",
                          "group_by": "authorships.institutions.lineage", "mailto": "tests@example.org"}

    lookups = fake.params("/institutions")
    unique = 2 * len(with_works) + 1  # 95: two batches of at most 50
    assert [len(p["filter"].split("|")) for p in lookups] == [50, unique - 50]
    assert sorted(i for p in lookups for i in p["filter"].removeprefix("openalex:").split("|")) == sorted(
        {f"I{i}" for c in with_works for i in FakeOpenAlex._country_ids(c)})
    assert all(p["select"] == "id,display_name,country_code,type,ror" and p["mailto"] == "tests@example.org"
               for p in lookups)

    assert requests == len(fake.requests) == 10 + 2 + len(with_works) + 2
    assert all(r.headers["user-agent"] == settings.user_agent for r in fake.requests)
    assert all("api_key" not in str(r.url) for r in fake.requests)
    assert snapshot.file(openalex.country_file(last)).query["group_by"] == "authorships.institutions.country_code"
    assert snapshot.names("institutions-") == ["institutions-1.json", "institutions-2.json"]

    result = parse_snapshot(SOURCE, snapshot)
    assert len(result.rows["works_by_country_year"]) == 10 * len(with_works)  # the US group is dropped
    assert {(r["country_iso2"], r["ai_works"]) for r in result.rows["works_by_country_year"] if r["year"] == last} == {
        (c, _yearly_count(c)) for c in with_works}
    assert len(result.rows["institutions"]) == 3 * len(with_works) and result.quarantine == []
    assert {(r["country_iso2"], r["ai_authors"], r["ai_topics"]) for r in result.rows["ai_authors_by_country"]} == {
        (c, 3 * _yearly_count(c), 60) for c in with_works}  # Spain dropped
    shared = next(r for r in result.rows["institutions"] if r["institution_id"] == "I7" and r["country_iso2"] == "MX")
    assert (shared["institution_country_iso2"], shared["first_year"], shared["last_year"]) == ("BR", first, last)


def test_without_a_key_the_fetch_stays_inside_the_keyless_allowance(settings, monkeypatch, caplog) -> None:
    """About 100 requests a day without OPENALEX_API_KEY: the ten yearly answers, the institutions of the countries
    with most AI works that fit, and a warning that names the key."""
    monkeypatch.delenv("OPENALEX_API_KEY", raising=False)
    fake = FakeOpenAlex()
    with caplog.at_level("WARNING"):
        fetch_snapshot(_unlimited(), settings, offline=False, transport=httpx.MockTransport(fake))
    works = fake.params("/works")
    by_institution = [p["filter"].split("country_code:")[1].split(",")[0] for p in works
                      if p["group_by"] == "authorships.institutions.lineage"]
    assert len(works) - len(by_institution) == 10
    assert by_institution[:len(LARGEST)] == list(LARGEST) and len(by_institution) == 15
    assert len(fake.params("/topics")) == len(fake.params("/authors")) == 1
    assert len(fake.requests) <= openalex.KEYLESS_BUDGET
    assert all("authorization" not in r.headers for r in fake.requests)
    assert "OPENALEX_API_KEY" in caplog.text


def test_institution_countries_fit_the_worst_case() -> None:
    totals = {"BR": 9, "MX": 5, "UY": 5, "AR": 7}
    assert openalex.institution_countries(("AR", "BR", "MX", "UY"), totals, keyless=False) == ("BR", "AR", "MX", "UY")
    many = tuple(sorted(c.iso2 for c in latam()))
    chosen = openalex.institution_countries(many, {}, keyless=True)
    assert len(chosen) == 15 and 10 + 15 + 15 * 200 // 50 == 85 <= openalex.KEYLESS_BUDGET < 10 + 16 + 16 * 200 // 50
    with_authors = openalex.institution_countries(many, {}, keyless=True, years=10 + openalex.AUTHOR_REQUESTS)
    assert len(with_authors) == 15 and 12 + 15 + 15 * 200 // 50 == 87 <= openalex.KEYLESS_BUDGET


def test_a_subfield_with_more_topics_than_one_filter_takes_counts_no_authors(settings, monkeypatch, caplog) -> None:
    """Two OR filters would count an author with topics in both twice: no authors request then, and a warning."""
    monkeypatch.setenv("OPENALEX_API_KEY", "a-key")
    fake = FakeOpenAlex(topics=130)
    with caplog.at_level("WARNING"):
        snapshot, _ = fetch_snapshot(_unlimited(), settings, offline=False, transport=httpx.MockTransport(fake))
    assert len(fake.params("/topics")) == 1 and fake.params("/authors") == []
    assert "AI researchers were not counted" in caplog.text
    result = parse_snapshot(SOURCE, snapshot)
    assert result.rows.get("ai_authors_by_country", []) == [] and result.rows["works_by_country_year"]


def test_fetch_sends_the_api_key_as_a_header_never_in_the_query(settings, monkeypatch) -> None:
    monkeypatch.setenv("OPENALEX_API_KEY", "s3cret-key")
    fake = FakeOpenAlex()
    snapshot, _ = fetch_snapshot(_unlimited(), settings, offline=False, transport=httpx.MockTransport(fake))
    assert fake.requests and all(r.headers["authorization"] == "Bearer s3cret-key" for r in fake.requests)
    assert all("s3cret" not in str(r.url) for r in fake.requests)
    assert "s3cret" not in (snapshot.path / "_snapshot.json").read_text()


def test_plan() -> None:
    assert SOURCE.plan.rate_limits == {"api.openalex.org": 5.0}
    assert SOURCE.plan.limits({"OPENALEX_API_KEY": "k"}) == {"api.openalex.org": 5.0}
    assert (SOURCE.family, SOURCE.cadence, SOURCE.licence) == ("organisations", "monthly", "OpenAlex, CC0")
    assert SOURCE.requires_env == ()  # the key is recommended, not required


# --- offline run ----------------------------------------------------------------------------


def test_offline_run_loads_duckdb(settings) -> None:
    result = run_source(SOURCE, settings, offline=True)
    assert result.status == "loaded"
    # ten years, the AI topics and authors, the institutions of BR, CL and MX, one lookup batch
    assert result.requests == 10 + 2 + 3 + 1
    assert result.rows == {"works_by_country_year": 50, "institutions": 21, "ai_authors_by_country": 7}
    assert result.quarantined == 3
    first, last = window(datetime.now(UTC).date())
    with duckdb.connect(str(settings.working_db), read_only=True) as con:
        assert con.execute("select ai_works from raw_openalex.works_by_country_year "
                           "where country_iso2 = 'CL' and year = 2024").fetchone() == (388,)
        row = con.execute("select display_name, ai_works, institution_country_iso2, first_year, last_year, "
                          "_record_url from raw_openalex.institutions "
                          "where institution_id = 'I4000000005' and country_iso2 = 'CL'").fetchone()
        assert row == ("Universidad Ejemplo de Chile", 534, "CL", first, last, "https://openalex.org/I4000000005")
        domestic = con.execute("select country_iso2, count(*) from raw_openalex.institutions "
                               "where institution_country_iso2 = country_iso2 group by 1 order by 1").fetchall()
        assert domestic == [("BR", 3), ("CL", 1), ("MX", 2)]
        assert con.execute("select ai_authors, ai_topics from raw_openalex.ai_authors_by_country "
                           "where country_iso2 = 'MX'").fetchone() == (2123, 4)

