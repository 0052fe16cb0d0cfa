"""PeeringDB: parser on the hand-written samples, bad payloads, paged fetch, offline run, real captures."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs

import duckdb
import httpx
import pytest

from ingestors.core.errors import PayloadError
from ingestors.core.offline import SAMPLES_DIR
from ingestors.core.pipeline import fetch_snapshot, run_source
from ingestors.core.registry import FetchPlan, Record
from ingestors.domain.countries import latam
from ingestors.sources import peeringdb
from ingestors.sources.peeringdb import MAX_ID_CHARS, PAGE_LIMIT, SOURCE, _batches
from tests.conftest import real_capture
from tests.ingestors.helpers import parse_files, snapshot_from_files

SAMPLES = SAMPLES_DIR / "peeringdb"
SAMPLE_FILES = {f"{obj}.page-1.json": SAMPLES / f"{obj}.json" for obj in ("fac", "ix", "ixfac", "org")}


def _page(rows: list[dict]) -> bytes:
    return json.dumps({"data": rows, "meta": {}}).encode()


def _sample_rows(obj: str) -> list[dict]:
    return json.loads((SAMPLES / f"{obj}.json").read_text())["data"]


def _with(name: str, content: bytes) -> dict:
    """The sample files with one of them replaced (or added)."""
    return {**SAMPLE_FILES, name: content}


# --- parse ----------------------------------------------------------------------------------


def test_parse_samples(tmp_path: Path) -> None:
    result = parse_files(tmp_path, SOURCE, SAMPLE_FILES)
    counts = {table: len(rows) for table, rows in result.rows.items()}
    assert counts == {"facilities": 7, "internet_exchanges": 4, "ix_facilities": 6, "organizations": 8}

    fac = {r["id"]: r for r in result.rows["facilities"]}
    barueri = fac[3101]
    assert barueri["name"] == "Nuvem SP1 - Barueri"
    assert barueri["country"] == "BR"
    assert barueri["latitude"] == pytest.approx(-23.501) and isinstance(barueri["latitude"], float)
    assert barueri["created"] == datetime(2020, 2, 11, 15, 4, 22, tzinfo=UTC)
    assert barueri["clli"] is None  # "" means missing
    assert fac[3102]["property"] is None  # null means missing too
    assert fac[3104]["latitude"] is None and fac[3104]["property"] is None
    assert fac[3105]["campus_id"] == 701
    assert barueri["_record_url"] == "https://www.peeringdb.com/fac/3101"
    assert barueri["_record_id"] == "fac/3101"

    ix = {r["id"]: r for r in result.rows["internet_exchanges"]}
    assert ix[4103]["proto_ipv6"] is False and ix[4101]["url_stats"].startswith("https://")
    assert ix[4102]["url_stats"] is None

    link = next(r for r in result.rows["ix_facilities"] if r["id"] == 5103)
    assert (link["ix_id"], link["fac_id"], link["_record_url"]) == (4103, 3103, "https://www.peeringdb.com/ix/4103")

    org = {r["id"]: r for r in result.rows["organizations"]}
    assert org[9104]["country"] == "US"  # the foreign owner of LatAm facilities is kept
    assert org[9102]["country"] is None and org[9102]["website"] == "https://quetzal-dc.example.mx"

    (q,) = result.quarantine
    assert (q["table_name"], q["record_id"]) == ("facilities", "fac/3108")
    assert q["reason"].startswith("latitude:")
    assert json.loads(q["raw"])["latitude"] == "-33.4S"


def test_parse_quarantines_single_bad_rows(tmp_path: Path) -> None:
    rows = _sample_rows("fac")[:3]
    rows[0] = {**rows[0], "name": ""}  # a name that is empty
    rows[1] = {**rows[1], "country": "Brazil"}  # not an ISO2 code
    files = _with("fac.page-1.json", _page([*rows, "not an object"]))
    result = parse_files(tmp_path, SOURCE, files)
    assert [r["id"] for r in result.rows["facilities"]] == [rows[2]["id"]]
    reasons = {q["record_id"]: q["reason"] for q in result.quarantine}
    assert reasons[f"fac/{rows[0]['id']}"].startswith("name:")
    assert reasons[f"fac/{rows[1]['id']}"].startswith("country:")
    assert reasons["fac.page-1.json#3"] == "row is not a JSON object"


def _assert_one_line_payload_error(exc: PayloadError, snapshot_id: str, file: str) -> str:
    message = str(exc)
    assert "\n" not in message
    assert message.startswith("peeringdb: bad payload in snapshot ")
    assert f"{snapshot_id}/{file}" in message
    return message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"<!DOCTYPE html><html><body>502 Bad Gateway</body></html>", "not JSON"),
        (json.dumps([{"id": 1}]).encode(), 'expected the envelope {"data": [...], "meta": {}}'),
        (json.dumps({"meta": {}}).encode(), 'no "data" list in the envelope'),
        (json.dumps({"data": [], "meta": {"error": "Rate limited"}}).encode(),
         "the API answered with an error: Rate limited"),
    ],
)
def test_wholly_bad_payload_fails_the_source(tmp_path: Path, content: bytes, expected: str) -> None:
    snapshot = snapshot_from_files(tmp_path, "peeringdb", _with("ix.page-1.json", content))
    with pytest.raises(PayloadError) as info:
        list(SOURCE.parse(snapshot))
    assert expected in _assert_one_line_payload_error(info.value, snapshot.snapshot_id, "ix.page-1.json")


def test_required_field_gone_fails_the_source(tmp_path: Path) -> None:
    rows = [{k: v for k, v in r.items() if k != "org_id"} for r in _sample_rows("fac")]
    snapshot = snapshot_from_files(tmp_path, "peeringdb", _with("fac.page-1.json", _page(rows)))
    with pytest.raises(PayloadError) as info:
        list(SOURCE.parse(snapshot))
    message = _assert_one_line_payload_error(info.value, snapshot.snapshot_id, "fac.page-1.json")
    assert message.endswith("field(s) org_id absent from every row")


def test_unexpected_file_fails_the_source(tmp_path: Path) -> None:
    snapshot = snapshot_from_files(tmp_path, "peeringdb", {**SAMPLE_FILES, "carrier.page-1.json": _page([])})
    with pytest.raises(PayloadError, match="unexpected file"):
        list(SOURCE.parse(snapshot))


# --- fetch ----------------------------------------------------------------------------------


def test_batches_keep_id_lists_short() -> None:
    ids = list(range(100_000, 100_600))
    batches = list(_batches(ids))
    assert len(batches) > 1
    assert all(len(b.replace(",", "%2C")) <= MAX_ID_CHARS for b in batches)
    assert [int(i) for b in batches for i in b.split(",")] == ids
    assert list(_batches([])) == []


class FakePeeringDB:
    """Answers /api/{obj} like PeeringDB would, honouring limit/skip and the __in filters."""

    def __init__(self, n_fac: int, n_ix: int):
        fac_template, ix_template = _sample_rows("fac")[0], _sample_rows("ix")[0]
        self.tables = {
            "fac": [{**fac_template, "id": 10_000 + i, "org_id": 500_000 + i % 7} for i in range(n_fac)],
            "ix": [{**ix_template, "id": 200_000 + i, "org_id": 600_000 + i} for i in range(n_ix)],
        }
        link = _sample_rows("ixfac")[0]
        self.tables["ixfac"] = [{**link, "id": 900_000 + i, "ix_id": ix["id"], "fac_id": 10_000}
                                for i, ix in enumerate(self.tables["ix"])]
        org = _sample_rows("org")[0]
        org_ids = {r["org_id"] for r in self.tables["fac"] + self.tables["ix"]}
        self.tables["org"] = [{**org, "id": i} for i in sorted(org_ids)]
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        obj = request.url.path.rsplit("/", 1)[-1]
        q = {k: v[0] for k, v in parse_qs(request.url.query.decode()).items()}
        rows = self.tables[obj]
        for field, param in (("id", "id__in"), ("ix_id", "ix_id__in")):
            if param in q:
                wanted = {int(i) for i in q[param].split(",")}
                rows = [r for r in rows if r[field] in wanted]
        skip, limit = int(q["skip"]), int(q["limit"])
        return httpx.Response(200, json={"data": rows[skip:skip + limit], "meta": {}})

    def params(self, obj: str) -> list[dict[str, str]]:
        return [{k: v[0] for k, v in parse_qs(r.url.query.decode()).items()}
                for r in self.requests if r.url.path == f"/api/{obj}"]


def _unlimited(source=SOURCE):
    """The source without its 20 requests/minute limit, so the test does not sleep."""
    return dataclasses.replace(source, plan=FetchPlan())


def test_fetch_pages_filters_and_batches(settings) -> None:
    fake = FakePeeringDB(n_fac=PAGE_LIMIT + 3, n_ix=PAGE_LIMIT + 10)
    snapshot, requests = fetch_snapshot(_unlimited(), settings, offline=False, transport=httpx.MockTransport(fake))

    countries = ",".join(sorted(c.iso2 for c in latam()))
    assert "BR" in countries.split(",") and len(countries.split(",")) == len(latam())
    for obj in ("fac", "ix"):
        pages = fake.params(obj)
        assert [p["skip"] for p in pages] == ["0", "250"]
        assert all(p == {"country__in": countries, "depth": "0", "limit": "250", "skip": p["skip"]} for p in pages)

    ixfac = fake.params("ixfac")
    assert len(ixfac) == 2  # 260 six-digit ids do not fit one URL
    assert sorted(int(i) for p in ixfac for i in p["ix_id__in"].split(",")) == [r["id"] for r in fake.tables["ix"]]
    org = fake.params("org")
    asked = sorted(int(i) for p in org for i in p["id__in"].split(","))
    assert asked == [r["id"] for r in fake.tables["org"]]
    assert all(len(str(r.url)) < 1500 for r in fake.requests)
    assert all("authorization" not in r.headers for r in fake.requests)

    assert requests == len(fake.requests) == 2 + 2 + len(ixfac) + len(org)
    assert snapshot.names() == sorted(
        ["fac.page-1.json", "fac.page-2.json", "ix.page-1.json", "ix.page-2.json"]
        + [f"ixfac.b{n}.page-1.json" for n in range(1, len(ixfac) + 1)]
        + [f"org.b{n}.page-1.json" for n in range(1, len(org) + 1)]
    )
    assert snapshot.file("fac.page-2.json").query["skip"] == 250

    rows = {}
    for item in SOURCE.parse(snapshot):
        assert isinstance(item, Record)
        rows[item.table] = rows.get(item.table, 0) + 1
    assert rows == {"facilities": 253, "internet_exchanges": 260, "ix_facilities": 260,
                    "organizations": len(fake.tables["org"])}


def test_fetch_sends_the_api_key(settings) -> None:
    keyed = dataclasses.replace(settings, peeringdb_api_key="s3cret")
    fake = FakePeeringDB(n_fac=2, n_ix=1)
    snapshot, _ = fetch_snapshot(_unlimited(), keyed, offline=False, transport=httpx.MockTransport(fake))
    assert len(fake.requests) == 4
    assert all(r.headers["authorization"] == "Api-Key s3cret" for r in fake.requests)
    sidecar = (snapshot.path / "_snapshot.json").read_text()
    assert "s3cret" not in sidecar


def test_fetch_stops_on_a_bad_page(settings) -> None:
    """An HTML page ends the paging; parse then names the file."""
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text="<html>maintenance</html>")

    snapshot, requests = fetch_snapshot(_unlimited(), settings, offline=False, transport=httpx.MockTransport(handler))
    assert requests == 2 and snapshot.names() == ["fac.page-1.json", "ix.page-1.json"]
    with pytest.raises(PayloadError, match="fac.page-1.json: not JSON"):
        list(SOURCE.parse(snapshot))


def test_plan() -> None:
    assert SOURCE.plan.rate_limits == {"www.peeringdb.com": pytest.approx(20 / 60)}
    assert peeringdb.OBJECTS["ixfac"].required == ("id", "ix_id", "fac_id", "status", "created", "updated")


# --- offline run ----------------------------------------------------------------------------


def test_offline_run_loads_duckdb(settings) -> None:
    result = run_source(SOURCE, settings, offline=True)
    assert result.status == "loaded"
    assert result.requests == 4  # one short page per object type: paging stops at once
    assert result.quarantined == 1
    con = duckdb.connect(str(settings.working_db), read_only=True)
    try:
        counts = {t: con.execute(f"select count(*) from raw_peeringdb.{t}").fetchone()[0]
                  for t in ("facilities", "internet_exchanges", "ix_facilities", "organizations")}
        assert counts == {"facilities": 7, "internet_exchanges": 4, "ix_facilities": 6, "organizations": 8}
        assert con.execute("select record_id from meta.quarantine where source = 'peeringdb'").fetchall() == [
            ("fac/3108",)]
        row = con.execute("select org_name, latitude, created, _source from raw_peeringdb.facilities "
                          "where id = 3103").fetchone()
        assert row[0] == "Northwind Colocation, Inc." and row[1] == pytest.approx(20.593) and row[3] == "peeringdb"
    finally:
        con.close()


# --- real captures --------------------------------------------------------------------------

REAL_COUNTS = {
    "beta_api_pages_anon_2026-04-16": {"facilities": 500, "internet_exchanges": 500, "ix_facilities": 500,
                                       "organizations": 500},
    "prod_api_pages_anon_2026-04-16": {"organizations": 500},
}


@pytest.mark.parametrize("capture", sorted(REAL_COUNTS))
def test_real_capture(tmp_path: Path, capture: str) -> None:
    root = real_capture("peeringdb", capture)
    files = {f"{obj}.{page.stem}.json": page
             for obj in peeringdb.OBJECTS for page in sorted((root / obj).glob("page-*.json"))}
    snapshot = snapshot_from_files(tmp_path, "peeringdb", files)
    rows: dict[str, int] = {}
    for item in SOURCE.parse(snapshot):
        assert isinstance(item, Record)
        rows[item.table] = rows.get(item.table, 0) + 1
    assert rows == REAL_COUNTS[capture]
    if set(rows) == {t.name for t in SOURCE.tables}:  # a complete snapshot: validate as a run would
        result = parse_files(tmp_path / "full", SOURCE, files)
        assert {t: len(r) for t, r in result.rows.items()} == REAL_COUNTS[capture]
        assert result.quarantine == []
