"""Epoch AI GPU clusters: reading the drifting CSV by name, LatAm filter, quarantine, offline run."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import duckdb
import httpx
import pytest

from ingestors.core.errors import PayloadError, RecordError
from ingestors.core.offline import SAMPLES_DIR
from ingestors.core.pipeline import run_source
from ingestors.sources import epoch_gpu_clusters as epoch
from tests.conftest import real_capture
from tests.ingestors.helpers import parse_files

SAMPLE = SAMPLES_DIR / "epoch_gpu_clusters" / "gpu_clusters.csv"


def _parse(tmp_path: Path, content: bytes | Path):
    return parse_files(tmp_path, epoch.SOURCE, {epoch.FILE: content}, {epoch.FILE: epoch.CSV_URL})


def _sample_table() -> tuple[list[str], list[dict[str, str]]]:
    with SAMPLE.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames), list(reader)


def _csv(header: list[str], rows: list[dict[str, str]], *, bom: bool = False) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(
        out, fieldnames=header, restval="", extrasaction="ignore", lineterminator="\r\n"
    )
    writer.writeheader()
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def _by_name(result) -> dict[str, dict]:
    return {row["name"]: row for row in result.rows["clusters"]}


# --- the sample -------------------------------------------------------------------------------


def test_parse_sample_keeps_latam_clusters(tmp_path):
    result = _parse(tmp_path, SAMPLE)
    rows = _by_name(result)
    assert sorted(rows) == [
        "Ejemplo Querétaro AI Factory",
        "Example Americas Research Grid",
        "Example Cloud São Paulo H100 Cluster",
        "Example Petrópolis HPC",
        "Example Santiago AI Campus Phase 1",
    ]
    assert "Example Frankfurt Cluster" not in rows


def test_parse_sample_exact_values(tmp_path):
    rows = _by_name(_parse(tmp_path, SAMPLE))
    sao_paulo = {
        k: v
        for k, v in rows["Example Cloud São Paulo H100 Cluster"].items()
        if not k.startswith("_")
    }
    assert sao_paulo == {
        "name": "Example Cloud São Paulo H100 Cluster",
        "status": "Existing",
        "certainty": "Confirmed",
        "country_names": ["Brazil"],
        "country_iso2s": ["BR"],
        "owner": "Example Cloud Ltda.",
        "sector": "Private",
        "location": "São Paulo, Brazil",
        "users": "Cloud",
        "chip_type": "NVIDIA H100 SXM5 80GB",
        "builds_upon": None,
        "superseded_by": None,
        "chip_quantity": 1024.0,
        "total_ai_chips": 1024.0,
        "h100_equivalents": 1024.0,
        "power_capacity_mw": 1.6,
        "calculated_power_mw": 1.43,
        "reported_power_mw": 1.6,
        "hardware_cost_usd": 35_000_000.0,  # written 3.50E+07
        "first_operational_date": date(2025, 3, 1),  # written 3/1/2025
        "decommissioned_date": None,
        "single_cluster": True,
        "include_in_standard_analysis": True,
        "source_urls": [
            "https://example.org/news/sao-paulo-h100-cluster",
            "https://example.org/press/example-cloud-2025",
        ],
    }
    assert rows["Example Cloud São Paulo H100 Cluster"]["_record_url"] == (
        "https://example.org/news/sao-paulo-h100-cluster"
    )

    queretaro = rows["Ejemplo Querétaro AI Factory"]
    assert queretaro["first_operational_date"] == date(2024, 9, 15)  # ISO date
    assert (queretaro["single_cluster"], queretaro["include_in_standard_analysis"]) == (None, None)
    assert (queretaro["power_capacity_mw"], queretaro["hardware_cost_usd"]) == (None, None)
    assert queretaro["users"] == "Cloud,Researchers"
    assert queretaro["country_iso2s"] == ["MX"]

    grid = rows["Example Americas Research Grid"]
    assert grid["country_names"] == ["United States of America", "Colombia"]
    assert grid["country_iso2s"] == ["CO"]
    assert grid["h100_equivalents"] == 2048.0  # written "2,048"
    assert grid["single_cluster"] is False
    assert (grid["source_urls"], grid["_record_url"]) == ([], epoch.CSV_URL)

    campus = rows["Example Santiago AI Campus Phase 1"]
    assert (
        campus["chip_quantity"],
        campus["power_capacity_mw"],
        campus["first_operational_date"],
    ) == (None, 50.0, None)

    petropolis = rows["Example Petrópolis HPC"]
    assert petropolis["decommissioned_date"] == date(2025, 6, 1)  # written 2025-06
    assert petropolis["status"] == "Decommissioned"


def test_parse_sample_quarantines_the_bad_number(tmp_path):
    result = _parse(tmp_path, SAMPLE)
    assert [(q["record_id"], q["reason"]) for q in result.quarantine] == [
        ("Ejemplo Buenos Aires Supercomputer", "H100 equivalents: not a number: 'about 300'")
    ]


def test_embedded_newline_and_quotes_survive(tmp_path):
    _, rows = _sample_table()
    note = next(r["Note"] for r in rows if r["Name"] == "Ejemplo Querétaro AI Factory")
    assert note == 'Figures are illustrative.\nOperator said "about 400 GPUs" in a press call.'
    # and the row after it is still read as its own row
    assert "Example Americas Research Grid" in _by_name(_parse(tmp_path, SAMPLE))


# --- drift: new, reordered and missing columns --------------------------------------------------


def test_new_and_reordered_columns_are_tolerated(tmp_path):
    header, rows = _sample_table()
    new_header = ["Source 6", "Brand New Column", *reversed(header)]
    for row in rows:
        row["Brand New Column"] = "whatever"
    rows[0]["Source 6"] = "https://example.org/sixth"
    result = _parse(tmp_path, _csv(new_header, rows, bom=True))
    sao_paulo = _by_name(result)["Example Cloud São Paulo H100 Cluster"]
    assert sao_paulo["source_urls"][-1] == "https://example.org/sixth"
    assert len(result.rows["clusters"]) == 5 and len(result.quarantine) == 1


def test_missing_required_columns_fail_with_their_names(tmp_path):
    header, rows = _sample_table()
    header = [c for c in header if c not in {"Country", "H100 equivalents"}]
    with pytest.raises(PayloadError) as err:
        _parse(tmp_path, _csv(header, rows))
    message = str(err.value)
    assert message == (
        f"epoch_gpu_clusters: bad payload in snapshot {err.value.snapshot_id}/gpu_clusters.csv: "
        "required column(s) missing: Country, H100 equivalents"
    )


def test_not_utf8_fails(tmp_path):
    header, rows = _sample_table()
    with pytest.raises(PayloadError, match="not UTF-8 text"):
        _parse(tmp_path, _csv(header, rows).decode("utf-8").encode("latin-1"))


# --- one bad record goes to quarantine --------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        (
            "First Operational Date",
            "2/30/2024",
            "First Operational Date: not a date (MM/DD/YYYY or YYYY-MM-DD or YYYY-MM): '2/30/2024'",
        ),
        (
            "First Operational Date",
            "June 2024",
            "First Operational Date: not a date (MM/DD/YYYY or YYYY-MM-DD or YYYY-MM): 'June 2024'",
        ),
        ("Power Capacity (MW)", "1,5", "Power Capacity (MW): not a number: '1,5'"),
        ("Hardware Cost", "nan", "Hardware Cost: not a finite number: 'nan'"),
        ("Single cluster?", "Maybe", "Single cluster?: not yes/no/true/false: 'Maybe'"),
    ],
)
def test_unreadable_value_is_quarantined_with_column_and_value(tmp_path, column, value, reason):
    header, rows = _sample_table()
    target = next(r for r in rows if r["Name"] == "Example Cloud São Paulo H100 Cluster")
    target[column] = value
    result = _parse(tmp_path, _csv(header, rows))
    assert "Example Cloud São Paulo H100 Cluster" not in _by_name(result)
    assert ("Example Cloud São Paulo H100 Cluster", reason) in [
        (q["record_id"], q["reason"]) for q in result.quarantine
    ]


def test_row_with_surplus_cells_is_quarantined(tmp_path):
    header, rows = _sample_table()
    # Name, seven empty cells, Country = Peru, then one cell too many per header column
    line = "Example Lima Cluster," + "," * 7 + "Peru" + "," * len(header) + "\r\n"
    body = _csv(header, rows[:1]) + line.encode()
    result = _parse(tmp_path, body)
    assert [(q["record_id"], q["reason"]) for q in result.quarantine] == [
        ("Example Lima Cluster", f"row has {len(header) + 9} cells, the header {len(header)}")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9.90E+22", 9.9e22),
        ("2E+11", 2e11),
        ("1,234.5", 1234.5),
        (" 12 ", 12.0),
        ("", None),
        ("0", 0.0),
    ],
)
def test_numbers(text, expected):
    assert epoch.parse_number("c", text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6/1/2020", date(2020, 6, 1)),
        ("11/15/2024", date(2024, 11, 15)),
        ("2024-11-15", date(2024, 11, 15)),
        ("2021-07", date(2021, 7, 1)),
        ("", None),
    ],
)
def test_dates(text, expected):
    assert epoch.parse_date("c", text) == expected


@pytest.mark.parametrize("text", ["6/1/20", "2024/11/15", "15.11.2024", "13/1/2024"])
def test_bad_dates(text):
    with pytest.raises(RecordError, match="^c: not a date"):
        epoch.parse_date("c", text)


@pytest.mark.parametrize(
    ("cell", "names", "iso2s"),
    [
        ("Brazil", ["Brazil"], ["BR"]),
        ("United States of America,Mexico", ["United States of America", "Mexico"], ["MX"]),
        ("Chile, Argentina, Chile", ["Chile", "Argentina", "Chile"], ["CL", "AR"]),
        ("Venezuela (Bolivarian Republic of)", ["Venezuela (Bolivarian Republic of)"], ["VE"]),
        ("Spain", ["Spain"], []),
        ("", [], []),
    ],
)
def test_countries(cell, names, iso2s):
    assert epoch.countries(cell) == (names, iso2s)


# --- fetch and offline run ---------------------------------------------------------------------


def test_fetch_with_mock_transport(settings):
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            200, content=SAMPLE.read_bytes(), headers={"content-type": "text/csv"}
        )

    result = run_source(epoch.SOURCE, settings, transport=httpx.MockTransport(handler))
    assert (result.status, result.requests, result.rows, result.quarantined) == (
        "loaded",
        1,
        {"clusters": 5},
        1,
    )
    assert [str(r.url) for r in seen] == [epoch.CSV_URL]


def test_offline_run_loads_clusters(settings):
    result = run_source(epoch.SOURCE, settings, offline=True)
    assert (result.status, result.rows, result.quarantined) == ("loaded", {"clusters": 5}, 1)
    with duckdb.connect(str(settings.working_db), read_only=True) as con:
        rows = con.execute(
            "select name, country_iso2s, first_operational_date, h100_equivalents, single_cluster "
            "from raw_epoch_gpu_clusters.clusters order by name"
        ).fetchall()
        types = dict(
            con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = 'raw_epoch_gpu_clusters' and table_name = 'clusters'"
            ).fetchall()
        )
        reasons = con.execute(
            "select reason from meta.quarantine where source = 'epoch_gpu_clusters'"
        ).fetchall()
    assert rows == [
        ("Ejemplo Querétaro AI Factory", ["MX"], date(2024, 9, 15), 512.0, None),
        ("Example Americas Research Grid", ["CO"], None, 2048.0, False),
        ("Example Cloud São Paulo H100 Cluster", ["BR"], date(2025, 3, 1), 1024.0, True),
        ("Example Petrópolis HPC", ["BR"], date(2019, 11, 1), 12.5, True),
        ("Example Santiago AI Campus Phase 1", ["CL"], None, None, None),
    ]
    assert types["first_operational_date"] == "DATE"
    assert types["country_names"] == "VARCHAR[]"
    assert types["hardware_cost_usd"] == "DOUBLE"
    assert reasons == [("H100 equivalents: not a number: 'about 300'",)]


# --- the real capture (../shared/samples, skipped when absent) ----------------------------------


def test_real_capture(tmp_path):
    result = _parse(tmp_path, real_capture("epoch", "gpu_clusters.csv"))
    rows = result.rows["clusters"]
    assert len(rows) == 12
    assert result.quarantine == []
    by_country = {}
    for row in rows:
        for iso2 in row["country_iso2s"]:
            by_country[iso2] = by_country.get(iso2, 0) + 1
    assert by_country == {"BR": 11, "MX": 1}
    assert sum(r["first_operational_date"] is not None for r in rows) == 10
    assert all(r["source_urls"] and r["_record_url"] == r["source_urls"][0] for r in rows)


def test_real_capture_reads_the_upgrade_links(tmp_path):
    rows = {r["name"]: r for r in _parse(tmp_path, real_capture("epoch", "gpu_clusters.csv")).rows["clusters"]}
    phase1, phase2 = rows["Petrobras Fênix Phase 1"], rows["Petrobras Fênix Phase 2"]
    assert (phase1["status"], phase1["superseded_by"], phase1["builds_upon"]) == (
        "Existing", "Petrobras Fênix Phase 2", None)
    assert (phase2["status"], phase2["superseded_by"], phase2["builds_upon"]) == (
        "Existing", None, "Petrobras Fênix Phase 1")
    # a planned later phase names the earlier one only in Builds Upon
    assert rows["Brazil Scala AI City Phase 2"]["builds_upon"] == "Brazil Scala AI City Phase 1"
    assert rows["Brazil Scala AI City Phase 1"]["superseded_by"] is None
