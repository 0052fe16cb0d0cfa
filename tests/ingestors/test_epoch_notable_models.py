"""Epoch AI notable models: the drifting CSV read by name, LatAm filter, quarantine, offline run."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date
from pathlib import Path

import duckdb
import httpx
import pytest

from ingestors.core.errors import PayloadError
from ingestors.core.offline import SAMPLES_DIR
from ingestors.core.pipeline import run_source
from ingestors.sources import epoch_notable_models as epoch
from tests.conftest import real_capture
from tests.ingestors.helpers import parse_files

SAMPLE = SAMPLES_DIR / "epoch_notable_models" / "notable_ai_models.csv"
LATAM = ["Ejemplo-LM 7B", "Exemplo Visão-2", "Modelo Andino", "Modelo Caribe"]


def _parse(tmp_path: Path, content: bytes | Path):
    return parse_files(tmp_path, epoch.SOURCE, {epoch.FILE: content}, {epoch.FILE: epoch.CSV_URL})


def _sample_table() -> tuple[list[str], list[dict[str, str]]]:
    with SAMPLE.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames), list(reader)


def _csv(header: list[str], rows: list[dict[str, str]], *, bom: bool = False) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=header, restval="", extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def _by_model(result) -> dict[str, dict]:
    return {row["model"]: row for row in result.rows["models"]}


# --- the sample -------------------------------------------------------------------------------


def test_parse_sample_keeps_latam_models(tmp_path):
    rows = _by_model(_parse(tmp_path, SAMPLE))
    assert sorted(rows) == LATAM  # not the US and French models


def test_parse_sample_exact_values(tmp_path):
    rows = _by_model(_parse(tmp_path, SAMPLE))
    assert {k: v for k, v in rows["Ejemplo-LM 7B"].items() if not k.startswith("_")} == {
        "model": "Ejemplo-LM 7B",
        "organization": "Laboratorio Ejemplo",
        "organization_categories": ["Industry"],
        "countries": ["Mexico"],
        "country_iso2s": ["MX"],
        "organizations": ["Laboratorio Ejemplo"],
        "organization_country_iso2s": ["MX"],
        "publication_date": date(2024, 3, 14),  # written 3/14/2024
        "domain": ["Language"],
        "task": ["Language modeling/generation", "Question answering"],
        "parameters": 7e9,  # written 7.00E+09
        "training_compute_flop": 4.2e22,
        "training_dataset_size": 1e12,
        "model_accessibility": "Open weights (unrestricted)",
        "notability_criteria": "SOTA improvement",
        "link": "https://example.org/ejemplo-lm",
        "base_model": None,
    }
    assert rows["Ejemplo-LM 7B"]["_record_url"] == "https://example.org/ejemplo-lm"

    visao = rows["Exemplo Visão-2"]
    assert (visao["organization"], visao["organization_categories"]) == (
        "Universidade Exemplo,Example Corp", ["Academia", "Industry"])
    assert (visao["countries"], visao["country_iso2s"]) == (["Brazil", "United States of America"], ["BR"])
    # each organisation's own country, by position: the US co-developer is not Brazilian
    assert (visao["organizations"], visao["organization_country_iso2s"]) == (
        ["Universidade Exemplo", "Example Corp"], ["BR", None])
    assert visao["publication_date"] == date(2023, 11, 2)  # ISO date
    assert visao["domain"] == ["Vision", "Image generation"]
    assert (visao["parameters"], visao["training_compute_flop"], visao["training_dataset_size"]) == (
        3.5e8, 1.5e21, None)
    assert visao["link"] == "https://example.org/visao-2\nhttps://example.org/visao-2-paper"
    assert visao["_record_url"] == "https://example.org/visao-2"
    assert visao["base_model"] == "Exemplo Visão-1"

    andino = rows["Modelo Andino"]
    assert (andino["countries"], andino["country_iso2s"]) == (["Chile", "Argentina", "Chile"], ["CL", "AR"])
    assert andino["task"] == []
    assert andino["training_dataset_size"] == 2.5e9  # written "2,500,000,000"
    assert andino["notability_criteria"] == "Historical significance,Highly cited"
    assert andino["_record_url"] == "https://example.org/andino"

    caribe = rows["Modelo Caribe"]
    assert (caribe["publication_date"], caribe["parameters"], caribe["link"], caribe["model_accessibility"]) == (
        None, None, None, None)
    assert (caribe["country_iso2s"], caribe["_record_url"]) == (["DO"], epoch.CSV_URL)


def test_parse_sample_quarantines_the_bad_number(tmp_path):
    result = _parse(tmp_path, SAMPLE)
    assert [(q["record_id"], q["reason"]) for q in result.quarantine] == [
        ("Modelo Cafetero", "Training compute (FLOP): not a number: 'about 1e22'")
    ]


def test_embedded_newlines_and_quotes_survive(tmp_path):
    _, rows = _sample_table()
    abstract = next(r["Abstract"] for r in rows if r["Model"] == "Exemplo Visão-2")
    assert abstract == 'We present a "sample" abstract,\nwith a comma and quotes.'
    assert len(rows) == 7


@pytest.mark.parametrize(
    ("link", "url"),
    [
        ("https://example.org/a", "https://example.org/a"),
        ("https://example.org/a\nhttps://example.org/b", "https://example.org/a"),
        ("https://example.org/a, https://example.org/b", "https://example.org/a"),
        ("see https://example.org/a https://example.org/b", "https://example.org/a"),
        ("not a link", None),
        (None, None),
    ],
)
def test_first_url(link, url):
    assert epoch.first_url(link) == url


# --- drift: new, renamed, reordered and missing columns -------------------------------------------


def test_new_and_reordered_columns_are_tolerated(tmp_path):
    header, rows = _sample_table()
    new_header = ["Brand New Column", *reversed(header)]
    for row in rows:
        row["Brand New Column"] = "whatever"
    result = _parse(tmp_path, _csv(new_header, rows, bom=True))
    assert sorted(_by_model(result)) == LATAM and len(result.quarantine) == 1


def test_airtable_country_header_and_no_task_column(tmp_path):
    """Copies exported from Epoch's Airtable say "Country (from Organization)" and may lack "Task"."""
    header, rows = _sample_table()
    header = ["Country (from Organization)" if c == "Country (of organization)" else c for c in header if c != "Task"]
    for row in rows:
        row["Country (from Organization)"] = row.pop("Country (of organization)")
    rows_out = _by_model(_parse(tmp_path, _csv(header, rows)))
    assert sorted(rows_out) == LATAM
    assert all(row["task"] == [] for row in rows_out.values())
    assert rows_out["Modelo Andino"]["country_iso2s"] == ["CL", "AR"]


def test_missing_required_columns_fail_with_their_names(tmp_path):
    header, rows = _sample_table()
    header = [c for c in header if c not in {"Country (of organization)", "Parameters"}]
    with pytest.raises(PayloadError) as err:
        _parse(tmp_path, _csv(header, rows))
    assert str(err.value) == (
        f"epoch_notable_models: bad payload in snapshot {err.value.snapshot_id}/notable_ai_models.csv: "
        "required column(s) missing: Country (of organization) or Country (from Organization), Parameters"
    )


def test_not_utf8_fails(tmp_path):
    header, rows = _sample_table()
    with pytest.raises(PayloadError, match="not UTF-8 text"):
        _parse(tmp_path, _csv(header, rows).decode("utf-8").encode("latin-1"))


# --- one bad record goes to quarantine --------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("Publication date", "2/30/2024",
         "Publication date: not a date (MM/DD/YYYY or YYYY-MM-DD or YYYY-MM): '2/30/2024'"),
        ("Parameters", "7B", "Parameters: not a number: '7B'"),
        ("Training dataset size (datapoints)", "inf", "Training dataset size (datapoints): not a finite number: 'inf'"),
    ],
)
def test_unreadable_value_is_quarantined_with_column_and_value(tmp_path, column, value, reason):
    header, rows = _sample_table()
    next(r for r in rows if r["Model"] == "Ejemplo-LM 7B")[column] = value
    result = _parse(tmp_path, _csv(header, rows))
    assert "Ejemplo-LM 7B" not in _by_model(result)
    assert ("Ejemplo-LM 7B", reason) in [(q["record_id"], q["reason"]) for q in result.quarantine]


def test_row_with_surplus_cells_and_empty_model_are_quarantined(tmp_path):
    header, rows = _sample_table()
    country = header.index("Country (of organization)")
    surplus = ["Example Lima Model"] + [""] * (country - 1) + ["Peru"] + [""] * (len(header) - country)
    nameless = [""] * country + ["Uruguay"] + [""] * (len(header) - country - 1)
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows([surplus, nameless])
    body = _csv(header, rows[:1]) + out.getvalue().encode()
    result = _parse(tmp_path, body)
    assert [(q["record_id"], q["reason"]) for q in result.quarantine] == [
        ("Example Lima Model", f"row has {len(header) + 1} cells, the header {len(header)}"),
        ("row 3", "Model is empty"),
    ]


def test_duplicate_model_is_quarantined(tmp_path):
    header, rows = _sample_table()
    rows.append(dict(next(r for r in rows if r["Model"] == "Modelo Caribe")))
    result = _parse(tmp_path, _csv(header, rows))
    assert ("Modelo Caribe", "duplicate key {'model': 'Modelo Caribe'}") in [
        (q["record_id"], q["reason"]) for q in result.quarantine]


# --- fetch and offline run ---------------------------------------------------------------------


def test_fetch_with_mock_transport(settings):
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=SAMPLE.read_bytes(), headers={"content-type": "text/csv"})

    result = run_source(epoch.SOURCE, settings, transport=httpx.MockTransport(handler))
    assert (result.status, result.requests, result.rows, result.quarantined) == ("loaded", 1, {"models": 4}, 1)
    assert [str(r.url) for r in seen] == ["https://epoch.ai/data/notable_ai_models.csv"]


def test_offline_run_loads_models(settings):
    result = run_source(epoch.SOURCE, settings, offline=True)
    assert (result.status, result.rows, result.quarantined) == ("loaded", {"models": 4}, 1)
    with duckdb.connect(str(settings.working_db), read_only=True) as con:
        rows = con.execute(
            "select model, country_iso2s, publication_date, training_compute_flop "
            "from raw_epoch_notable_models.models order by model"
        ).fetchall()
        types = dict(con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'raw_epoch_notable_models' and table_name = 'models'"
        ).fetchall())
        reasons = con.execute("select reason from meta.quarantine where source = 'epoch_notable_models'").fetchall()
    assert rows == [
        ("Ejemplo-LM 7B", ["MX"], date(2024, 3, 14), 4.2e22),
        ("Exemplo Visão-2", ["BR"], date(2023, 11, 2), 1.5e21),
        ("Modelo Andino", ["CL", "AR"], date(2022, 6, 30), 9.9e20),
        ("Modelo Caribe", ["DO"], None, None),
    ]
    assert (types["publication_date"], types["parameters"], types["task"], types["model"]) == (
        "DATE", "DOUBLE", "VARCHAR[]", "VARCHAR")
    assert reasons == [("Training compute (FLOP): not a number: 'about 1e22'",)]


# --- the real capture (../shared/samples, skipped when absent) ----------------------------------


def test_real_capture(tmp_path):
    result = _parse(tmp_path, real_capture("epoch", "notable_ai_models.csv"))
    rows = result.rows["models"]
    assert (len(rows), result.quarantine) == (1, [])
    assert Counter(iso2 for row in rows for iso2 in row["country_iso2s"]) == {"AR": 1}
    assert all(row["publication_date"] is not None and row["task"] == [] for row in rows)
    assert all(row["_record_url"].startswith("https://") for row in rows)


@pytest.mark.parametrize(("organizations", "countries", "expected"), [
    (["A"], ["Brazil"], ["BR"]),
    (["A", "B", "C"], ["Argentina", "Netherlands", "France"], ["AR", None, None]),
    (["A", "B"], ["Chile"], [None, None]),  # the lists do not line up: nobody borrows a country
    (["A"], ["Mexico", "Chile"], [None]),
    ([], [], []),
])
def test_own_countries_by_position(organizations, countries, expected):
    assert epoch.own_countries(organizations, countries) == expected


def test_real_capture_gives_co_developers_their_own_country(tmp_path):
    (row,) = _parse(tmp_path, real_capture("epoch", "notable_ai_models.csv")).rows["models"]
    assert row["countries"][0] == "Argentina" and len(row["organizations"]) == 6
    assert row["organization_country_iso2s"] == ["AR", None, None, None, None, None]
