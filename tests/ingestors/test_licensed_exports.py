"""Licensed exports: Crunchbase, Dealroom and column-mapped CSVs from a local folder, quarantine, skip, offline."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import duckdb
import httpx
import pytest

from ingestors.core.errors import FetchError, PayloadError, SourceSkipped
from ingestors.core.offline import SAMPLES_DIR
from ingestors.core.pipeline import run_source
from ingestors.sources import licensed_exports as lic
from tests.ingestors.helpers import parse_files

SAMPLES = SAMPLES_DIR / "licensed_exports"
CRUNCHBASE_FILE = "crunchbase-funding-rounds-sample.csv"
DEALROOM_FILE = "dealroom-companies-sample.csv"
CUSTOM_FILE = "angel-network-deals.csv"
SAMPLE_FILES = (CUSTOM_FILE, lic.COLUMN_MAP, CRUNCHBASE_FILE, DEALROOM_FILE)


@pytest.fixture(autouse=True)
def _no_exports_env(monkeypatch):
    monkeypatch.delenv(lic.DIR_ENV, raising=False)


def _no_network(request: httpx.Request) -> httpx.Response:  # pragma: no cover - must not be called
    raise AssertionError(f"unexpected request to {request.url}")


def _parse(tmp_path: Path, files: dict[str, bytes | Path]):
    return parse_files(tmp_path, lic.SOURCE, files)


def _sample(*names: str) -> dict[str, bytes | Path]:
    return {name: SAMPLES / name for name in names}


def _table(header: list[str], *rows: dict[str, str], before: tuple[str, ...] = ()) -> bytes:
    out = io.StringIO(newline="")
    out.writelines(f"{line}\n" for line in before)
    writer = csv.DictWriter(out, fieldnames=header, restval="", extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _crunchbase_header() -> list[str]:
    return (SAMPLES / CRUNCHBASE_FILE).read_text(encoding="utf-8").splitlines()[0].split(",")


def _crunchbase_row(**changes: str) -> dict[str, str]:
    row = {"Transaction Name": "Seed Round - Ejemplo Uno", "Organization Name": "Ejemplo Uno",
           "Funding Type": "Seed", "Money Raised": "1000000", "Money Raised Currency": "USD",
           "Money Raised (in USD)": "1000000", "Announced Date": "2025-04-01",
           "Organization Location": "Quito, Pichincha, Ecuador, South America"}
    return {**row, **changes}


def _dealroom_row(**changes: str) -> dict[str, str]:
    row = {"ID": "1", "Name": "Ejemplo Dos", "Dealroom URL": "https://app.dealroom.co/companies/ejemplo_dos",
           "HQ country": "Costa Rica", "HQ city": "San José", "Each round type": "SEED;SERIES A",
           "Each round amount": "0.5;3", "Each round currency": "USD;USD", "Each round date": "feb/2023;oct/2024",
           "Each round investors": "Fondo Uno++Fondo Dos;Fondo Tres"}
    return {**row, **changes}


DEALROOM_HEADER = ["ID", "Name", "Dealroom URL", "Website", "HQ country", "HQ city", "Each round type",
                   "Each round amount", "Each round currency", "Each round date", "Each round investors"]


def _rows(result) -> dict[tuple[str, int], dict]:
    return {(r["export_file"], r["row_number"]): r for r in result.rows["rounds"]}


def _reasons(result) -> list[tuple[str, str]]:
    return [(q["record_id"], q["reason"]) for q in result.quarantine]


# --- the sample -------------------------------------------------------------------------------


def test_parse_sample_crunchbase(tmp_path):
    result = _parse(tmp_path, _sample(CRUNCHBASE_FILE))
    rows = _rows(result)
    assert sorted(rows) == [(CRUNCHBASE_FILE, n) for n in (1, 2, 3, 4)]
    assert {k: v for k, v in rows[(CRUNCHBASE_FILE, 2)].items() if not k.startswith("_")} == {
        "export_file": CRUNCHBASE_FILE,
        "row_number": 2,
        "vendor": "crunchbase",
        "organization_name": "Exemplo Dados",
        "organization_website": "https://www.exemplo-dados.example",
        "organization_location": "São Paulo, Sao Paulo, Brazil, South America",
        "country_iso2": "BR",
        "announced_date": date(2024, 11, 5),
        "round_type_text": "Seed",
        "amount": 8_500_000.0,
        "currency": "BRL",
        "amount_usd_stated": 1_530_000.0,
        "lead_investors": ["Exemplo Capital"],
        "investors": ["Exemplo Capital", "Anjo Exemplo"],
        "source_url": "https://www.crunchbase.com/funding_round/exemplo-dados-seed--1b2c3d4e",
        "licensed": True,
    }
    assert rows[(CRUNCHBASE_FILE, 2)]["_record_id"] == f"{CRUNCHBASE_FILE}:row 3"
    assert rows[(CRUNCHBASE_FILE, 3)]["country_iso2"] == "MX"  # "Mexico City, Distrito Federal, Mexico, North America"
    labs = rows[(CRUNCHBASE_FILE, 4)]
    assert labs["organization_location"] == "Austin, Texas, United States, North America"
    assert labs["country_iso2"] is None
    assert (labs["lead_investors"], labs["round_type_text"]) == ([], "Grant")
    assert _reasons(result) == [
        (f"{CRUNCHBASE_FILE}:row 6", "Money Raised Currency: not a 3-letter ISO 4217 code: 'R$'"),
        (f"{CRUNCHBASE_FILE}:row 7", "Organization Name is empty"),
    ]


def test_parse_sample_dealroom(tmp_path):
    result = _parse(tmp_path, _sample(DEALROOM_FILE))
    rows = _rows(result)
    assert [(r["organization_name"], r["round_type_text"]) for r in result.rows["rounds"]] == [
        ("Ejemplo IA Chile", "SEED"), ("Ejemplo IA Chile", "SERIES A"), ("Exemplo Robótica", "SEED"),
        ("Exemplo Robótica", "EARLY VC"), ("Exemplo Robótica", "SERIES A"), ("Example Data Argentina", "SERIES A"),
    ]
    seed = rows[(DEALROOM_FILE, 1)]
    assert {k: v for k, v in seed.items() if not k.startswith("_")} == {
        "export_file": DEALROOM_FILE,
        "row_number": 1,
        "vendor": "dealroom",
        "organization_name": "Ejemplo IA Chile",
        "organization_website": "ejemplo-ia-chile.example",
        "organization_location": "Santiago, Chile",
        "country_iso2": "CL",
        "announced_date": date(2023, 3, 1),  # mar/2023
        "round_type_text": "SEED",
        "amount": 1_200_000.0,  # 1.2 million
        "currency": "USD",
        "amount_usd_stated": None,
        "lead_investors": [],  # Dealroom's lead investors are per company
        "investors": ["Fondo Ejemplo Sur", "Example Angels"],  # joined by ++
        "source_url": "https://app.dealroom.co/companies/ejemplo_ia_chile",
        "licensed": True,
    }
    assert seed["_record_id"] == f"{DEALROOM_FILE}:row 4 round 1"  # two metadata lines, then the header
    first = rows[(DEALROOM_FILE, 3)]  # n/a amount and currency, a bare year
    assert (first["amount"], first["currency"], first["announced_date"], first["investors"]) == (
        None, None, date(2021, 1, 1), [])
    assert rows[(DEALROOM_FILE, 5)]["investors"] == ["Exemplo Capital", "Example Ventures"]
    assert rows[(DEALROOM_FILE, 6)]["investors"] == []
    assert _reasons(result) == [(f"{DEALROOM_FILE}:row 7", "the round lists differ in length (Each round type: 2, "
                                 "Each round amount: 2, Each round currency: 2, Each round date: 1)")]


def test_parse_sample_column_map(tmp_path):
    result = _parse(tmp_path, _sample(CUSTOM_FILE, lic.COLUMN_MAP))
    rows = _rows(result)
    health = rows[(CUSTOM_FILE, 1)]
    assert (health["vendor"], health["organization_name"], health["country_iso2"]) == (
        "custom", "Ejemplo Salud Digital", "PE")
    assert (health["announced_date"], health["amount"], health["currency"], health["amount_usd_stated"]) == (
        date(2025, 2, 14), None, None, 800_000.0)
    assert health["investors"] == ["Red Ejemplo de Ángeles", "Example Scout Fund"]
    assert health["_record_url"] == "https://example.org/deals/ejemplo-salud-digital"
    assert _reasons(result) == [(f"{CUSTOM_FILE}:row 4", "Deal date: not a date (DD/MM/YYYY): '31/02/2025'")]


def test_the_sample_folder_says_it_is_not_licensed_data():
    readme = (SAMPLES / "README.md").read_text(encoding="utf-8")
    assert "sample rows written by Cadena, not licensed data" in readme


# --- variants of the layouts --------------------------------------------------------------------


def test_crunchbase_variants(tmp_path):
    header = [h for h in _crunchbase_header() if h != "Money Raised (in USD)"] + ["Money Raised Currency (in USD)"]
    content = _table(
        header,
        _crunchbase_row(**{"Announced Date": "3/7/2025", "Money Raised": "12,000,000", "Money Raised Currency": "usd",
                           "Money Raised Currency (in USD)": "12000000", "Transaction Name URL": "",
                           "Organization Name URL": "https://www.crunchbase.com/organization/ejemplo-uno"}),
        _crunchbase_row(**{"Organization Location": "Peru, Indiana, United States, North America",
                           "Lead Investors": "Fondo A, Fondo A", "Investor Names": "Fondo A,  Fondo B ,"}),
    )
    rows = _rows(_parse(tmp_path, {"old.csv": content}))
    first, second = rows[("old.csv", 1)], rows[("old.csv", 2)]
    assert (first["announced_date"], first["amount"], first["currency"], first["amount_usd_stated"]) == (
        date(2025, 3, 7), 12_000_000.0, "USD", 12_000_000.0)  # M/D/YYYY from a spreadsheet, older USD header
    assert first["source_url"] == "https://www.crunchbase.com/organization/ejemplo-uno"
    assert first["country_iso2"] == "EC"
    assert second["country_iso2"] is None  # the country is the last part, not any part
    assert (second["lead_investors"], second["investors"]) == (["Fondo A"], ["Fondo A", "Fondo B"])


@pytest.mark.parametrize(("changes", "reason"), [
    ({"Announced Date": "2025-02-30"}, "Announced Date: not a date (YYYY-MM-DD or MM/DD/YYYY): '2025-02-30'"),
    ({"Announced Date": ""}, "Announced Date is empty"),
    ({"Money Raised": "1.2M"}, "Money Raised: not a number: '1.2M'"),
    ({"Money Raised": "-5"}, "Money Raised: below 0: '-5'"),
    ({"Money Raised (in USD)": "n.d."}, "Money Raised (in USD): not a number: 'n.d.'"),
    ({"Money Raised Currency": "US$"}, "Money Raised Currency: not a 3-letter ISO 4217 code: 'US$'"),
    ({"Organization Name": "  "}, "Organization Name is empty"),
])
def test_crunchbase_rows_that_cannot_be_read_are_quarantined(tmp_path, changes, reason):
    content = _table(_crunchbase_header(), _crunchbase_row(**changes), _crunchbase_row())
    result = _parse(tmp_path, {"rounds.csv": content})
    assert _reasons(result) == [("rounds.csv:row 2", reason)]
    assert sorted(_rows(result)) == [("rounds.csv", 2)]


def test_a_misaligned_row_is_quarantined(tmp_path):
    content = _table(_crunchbase_header(), _crunchbase_row()) + b"Seed,,Ejemplo Tres,,Seed\n"
    result = _parse(tmp_path, {"rounds.csv": content})
    assert _reasons(result) == [("rounds.csv:row 3", "row has 5 cells, the header 20")]


def test_dealroom_variants(tmp_path):
    old_header = [h.upper() for h in DEALROOM_HEADER]  # older exports shout
    rows = [{k.upper(): v for k, v in _dealroom_row().items()},
            {k.upper(): v for k, v in _dealroom_row(**{"Name": "Ejemplo Tres",
                                                         "Each round investors": "A;B;C"}).items()}]
    before = ("https://app.dealroom.co/companies/f/hq_regions/anyof_Latin%20America", "Filters")
    result = _parse(tmp_path, {"dealroom-old.csv": _table(old_header, *rows, before=before)})
    found = _rows(result)
    assert [(r["organization_name"], r["announced_date"], r["amount"]) for r in result.rows["rounds"]] == [
        ("Ejemplo Dos", date(2023, 2, 1), 500_000.0), ("Ejemplo Dos", date(2024, 10, 1), 3_000_000.0),
        ("Ejemplo Tres", date(2023, 2, 1), 500_000.0), ("Ejemplo Tres", date(2024, 10, 1), 3_000_000.0),
    ]
    assert found[("dealroom-old.csv", 1)]["investors"] == ["Fondo Uno", "Fondo Dos"]
    assert found[("dealroom-old.csv", 1)]["country_iso2"] == "CR"
    assert found[("dealroom-old.csv", 3)]["investors"] == []  # 3 investor positions for 2 rounds: not trusted
    assert found[("dealroom-old.csv", 1)]["_record_id"] == "dealroom-old.csv:row 4 round 1"
    assert result.quarantine == []


def test_a_dealroom_round_without_a_readable_date_is_quarantined(tmp_path):
    row = _dealroom_row(**{"Each round date": "feb/2023;Q4 2024"})
    result = _parse(tmp_path, {"d.csv": _table(DEALROOM_HEADER, row)})
    assert _reasons(result) == [("d.csv:row 2 round 2", "Each round date: not a date (MON/YYYY or YYYY): 'Q4 2024'")]


# --- wholly bad files ---------------------------------------------------------------------------


@pytest.mark.parametrize(("files", "reason"), [
    ({"companies.csv": b"Organization Name,Headquarters Location\nEjemplo,Lima\n"},
     "companies.csv: not a Crunchbase funding-rounds export nor a Dealroom companies export, and there is no "
     "columns.yaml to map it"),
    ({"deals.csv": b"Company,Deal date\nEjemplo,14/02/2025\n", lic.COLUMN_MAP: SAMPLES / lic.COLUMN_MAP},
     "deals.csv: not a Crunchbase funding-rounds export nor a Dealroom companies export, and the headers "
     "columns.yaml maps are not all in it (missing: Country, Stage, Amount (USD M), Investors, Link)"),
    ({"latin1.csv": "Organization Name,Announced Date\nCompañía,2025-01-01\n".encode("latin-1")},
     "latin1.csv: not UTF-8 text (invalid continuation byte at byte 38): export or save it as CSV UTF-8"),
    ({"empty.csv": b""}, "empty.csv: empty file"),
    ({lic.COLUMN_MAP: SAMPLES / lic.COLUMN_MAP}, "no .csv export in the snapshot"),
    ({"a.csv": _table(_crunchbase_header()), lic.COLUMN_MAP: b"columns: [oops"}, "columns.yaml: not YAML: "),
    ({"a.csv": _table(_crunchbase_header()), lic.COLUMN_MAP: b"- a\n- b\n"},
     "columns.yaml: expected a mapping with a 'columns' mapping of Cadena field -> export header"),
    ({"a.csv": _table(_crunchbase_header()),
      lic.COLUMN_MAP: b"columns: {organization_name: Co, company_size: Size}\nsheet: 1\n"},
     "columns.yaml: unknown key(s): sheet; unknown field(s): company_size (known: organization_name, "),
    ({"a.csv": _table(_crunchbase_header()), lic.COLUMN_MAP: b"columns: {organization_name: Co}\n"},
     "columns.yaml: required field(s) not mapped: announced_date"),
    ({"a.csv": _table(_crunchbase_header()),
      lic.COLUMN_MAP: b"columns: {organization_name: Co, announced_date: D}\namount_multiplier: 0\n"},
     "columns.yaml: amount_multiplier must be a positive number, got 0"),
    ({"a.csv": _table(_crunchbase_header())}, "table rounds got 0 rows, expected at least 1"),
])
def test_a_wholly_bad_file_fails_the_source(tmp_path, files, reason):
    with pytest.raises(PayloadError) as exc:
        _parse(tmp_path, files)
    message = str(exc.value)
    assert message.startswith("licensed_exports: bad payload in snapshot ") and reason in message
    assert "\n" not in message


def test_country_of_a_location():
    assert lic.country_of("Bogotá, Distrito Capital, Colombia, South America") == "Colombia"
    assert lic.country_of("Panama City, Panama") == "Panama"
    assert lic.country_of("South America") is None
    assert lic.country_of(None) is None


# --- fetch: the user's folder -------------------------------------------------------------------


def test_without_the_folder_setting_the_source_is_skipped(settings):
    with pytest.raises(SourceSkipped) as exc:
        run_source(lic.SOURCE, settings, transport=httpx.MockTransport(_no_network))
    assert str(exc.value).startswith(
        "licensed_exports: skipped: set CADENA_LICENSED_EXPORTS_DIR to a folder of CSV exports you are licensed")


def test_the_folder_becomes_one_snapshot(settings, tmp_path, monkeypatch):
    folder = tmp_path / "exports"
    folder.mkdir()
    for name in (CRUNCHBASE_FILE, DEALROOM_FILE):
        (folder / name).write_bytes((SAMPLES / name).read_bytes())
    (folder / "notes.txt").write_text("not an export")
    (folder / "._crunchbase.csv").write_bytes(b"\x00\x05resource fork")  # macOS leaves these on shared drives
    (folder / "older").mkdir()
    (folder / "older" / "rounds.csv").write_bytes((SAMPLES / CRUNCHBASE_FILE).read_bytes())
    monkeypatch.setenv(lic.DIR_ENV, str(folder))

    first = run_source(lic.SOURCE, settings, transport=httpx.MockTransport(_no_network))
    second = run_source(lic.SOURCE, settings, transport=httpx.MockTransport(_no_network))
    assert (first.status, first.rows, first.quarantined, first.requests) == ("loaded", {"rounds": 10}, 3, 0)
    assert (second.status, second.snapshot_id) == ("unchanged", first.snapshot_id)
    sidecar = json.loads((settings.raw_dir / lic.NAME / first.snapshot_id / "_snapshot.json").read_text())
    assert [(f["name"], f["url"]) for f in sidecar["files"]] == [
        (CRUNCHBASE_FILE, (folder / CRUNCHBASE_FILE).as_uri()), (DEALROOM_FILE, (folder / DEALROOM_FILE).as_uri())]
    with duckdb.connect(str(settings.working_db), read_only=True) as con:
        assert con.execute("select vendor, count(*), bool_and(licensed) from raw_licensed_exports.rounds "
                           "group by 1 order by 1").fetchall() == [("crunchbase", 4, True), ("dealroom", 6, True)]


@pytest.mark.parametrize(("make", "reason"), [
    (lambda root: root / "missing", "CADENA_LICENSED_EXPORTS_DIR is not a folder"),
    (lambda root: root, "no .csv export in the folder"),
])
def test_a_folder_that_cannot_be_used_fails(settings, tmp_path, monkeypatch, make, reason):
    monkeypatch.setenv(lic.DIR_ENV, str(make(tmp_path)))
    with pytest.raises(FetchError) as exc:
        run_source(lic.SOURCE, settings, transport=httpx.MockTransport(_no_network))
    assert str(exc.value).startswith("licensed_exports: fetch failed for file://") and reason in str(exc.value)


# --- offline run --------------------------------------------------------------------------------


def test_offline_run_reads_the_sample_folder_not_the_users(settings, tmp_path, monkeypatch):
    monkeypatch.setenv(lic.DIR_ENV, str(tmp_path / "never-read"))
    result = run_source(lic.SOURCE, settings, offline=True)
    assert (result.status, result.rows, result.quarantined, result.requests) == ("loaded", {"rounds": 12}, 4, 0)
    with duckdb.connect(str(settings.working_db), read_only=True) as con:
        assert con.execute("select vendor, count(*) from raw_licensed_exports.rounds group by 1 order by 1").fetchall(
        ) == [("crunchbase", 4), ("custom", 2), ("dealroom", 6)]
        assert con.execute("select country_iso2, count(*) from raw_licensed_exports.rounds "
                           "where country_iso2 is not null group by 1 order by 1").fetchall() == [
            ("AR", 1), ("BR", 4), ("CL", 2), ("CO", 1), ("MX", 1), ("PE", 1), ("UY", 1)]
    sidecar = json.loads((settings.raw_dir / lic.NAME / result.snapshot_id / "_snapshot.json").read_text())
    assert sidecar["sample"] is True
    assert sorted(f["name"] for f in sidecar["files"]) == sorted(SAMPLE_FILES)  # README.md is not an export


def test_plan():
    assert lic.SOURCE.plan.reads_local_files and lic.SOURCE.plan.sample_routes == {}
    assert lic.SOURCE.requires_env == ()  # skipped by fetch, with a message saying what to set
    assert (lic.SOURCE.family, lic.SOURCE.cadence) == ("funding", "monthly")
