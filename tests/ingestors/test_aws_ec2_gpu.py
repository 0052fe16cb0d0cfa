"""AWS EC2 GPU offers from the ec2instances.info data: selection, price mapping, offline run, real capture."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import duckdb
import httpx
import pytest

from ingestors.core.config import Settings
from ingestors.core.errors import PayloadError
from ingestors.core.offline import SAMPLES_DIR
from ingestors.core.pipeline import run_source
from ingestors.core.snapshots import SnapshotStore
from ingestors.domain.cloud_catalogue import COVERAGE_FILE, Coverage
from ingestors.sources import aws_ec2_gpu as aws
from tests.conftest import real_capture
from tests.ingestors.helpers import parse_files, snapshot_from_files

SAMPLE = SAMPLES_DIR / "aws_ec2_gpu" / "instances.json"
PRICE_PATHS = dict(aws.PRICES)


def _parse(tmp_path: Path, content: bytes | Path, coverage: Coverage | None = None):
    files = {aws.FILE: content}
    if coverage is not None:
        files[COVERAGE_FILE] = coverage.to_json()
    return parse_files(tmp_path, aws.SOURCE, files, {aws.FILE: aws.URL})


def _offers(result) -> dict[tuple[str, str, str, str], dict]:
    return {(r["instance_type"], r["region"], r["os"], r["price_type"]): r for r in result.rows["offers"]}


def _record(instance_type: str = "g5.xlarge", *, gpu=1, model="NVIDIA A10G", pricing=None) -> dict:
    return {"instance_type": instance_type, "family": "GPU instance", "GPU": gpu, "GPU_model": model,
            "GPU_memory": 24, "vCPU": 4, "memory": 16.0,
            "pricing": pricing if pricing is not None else {"us-east-1": {"linux": {"ondemand": "1.0"}}}}


# --- the sample -------------------------------------------------------------------------------


def test_parse_sample(tmp_path):
    result = _parse(tmp_path, SAMPLE)
    offers = _offers(result)
    assert len(offers) == 50
    counts: dict[str, int] = {}
    for instance_type, *_ in offers:
        counts[instance_type] = counts.get(instance_type, 0) + 1
    # m7i.large has no GPU; eu-west-1 is neither LatAm nor the reference; rhel and dedicated are not kept
    assert counts == {"g4dn.xlarge": 20, "g5.xlarge": 20, "p5.48xlarge": 7, "trn1.2xlarge": 3}
    assert {region for _, region, _, _ in offers} == {"sa-east-1", "mx-central-1", "us-east-1", "us-east-1-bue-1"}

    row = offers[("p5.48xlarge", "sa-east-1", "linux", "reserved_3y_no_upfront")]
    assert {k: v for k, v in row.items() if not k.startswith("_")} == {
        "instance_type": "p5.48xlarge",
        "instance_family": "GPU instance",
        "region": "sa-east-1",
        "is_us_reference": False,
        "gpu_count": 8.0,
        "gpu_model": "H100",
        "gpu_model_text": "NVIDIA H100",
        "gpu_memory_gib": 640.0,
        "vcpu": 192,
        "memory_gib": 2048.0,
        "os": "linux",
        "price_type": "reserved_3y_no_upfront",
        "usd_per_hour": 48.1,
    }
    assert row["_record_url"] == "https://instances.vantage.sh/aws/ec2/p5.48xlarge"
    assert row["_record_id"] == "p5.48xlarge/sa-east-1/linux/reserved_3y_no_upfront"

    g4dn = {(region, os, kind): r["usd_per_hour"] for (it, region, os, kind), r in offers.items()
            if it == "g4dn.xlarge"}
    assert g4dn == {
        ("sa-east-1", "linux", "ondemand"): 0.86, ("sa-east-1", "linux", "spot_avg"): 0.31,
        ("sa-east-1", "linux", "reserved_1y_no_upfront"): 0.54, ("sa-east-1", "linux", "reserved_3y_no_upfront"): 0.37,
        ("sa-east-1", "windows", "ondemand"): 1.05, ("sa-east-1", "windows", "spot_avg"): 0.5,
        ("sa-east-1", "windows", "reserved_1y_no_upfront"): 0.73,
        ("sa-east-1", "windows", "reserved_3y_no_upfront"): 0.56,
        # spot_avg "N/A": not offered
        ("mx-central-1", "linux", "ondemand"): 0.69, ("mx-central-1", "linux", "reserved_1y_no_upfront"): 0.43,
        ("mx-central-1", "linux", "reserved_3y_no_upfront"): 0.3,
        ("us-east-1", "linux", "ondemand"): 0.53, ("us-east-1", "linux", "spot_avg"): 0.22,
        ("us-east-1", "linux", "reserved_1y_no_upfront"): 0.33, ("us-east-1", "linux", "reserved_3y_no_upfront"): 0.23,
        ("us-east-1", "windows", "ondemand"): 0.72, ("us-east-1", "windows", "spot_avg"): 0.41,
        ("us-east-1", "windows", "reserved_1y_no_upfront"): 0.52,
        ("us-east-1", "windows", "reserved_3y_no_upfront"): 0.42,
        ("us-east-1-bue-1", "linux", "ondemand"): 0.74,  # the Buenos Aires Local Zone
    }
    assert {r["is_us_reference"] for k, r in offers.items() if k[1] == "us-east-1"} == {True}
    assert not any(r["is_us_reference"] for k, r in offers.items() if k[1] != "us-east-1")
    # g5.xlarge in mx-central-1 on Windows: ondemand 0.0 means no USD price
    assert not [k for k in offers if k[:3] == ("g5.xlarge", "mx-central-1", "windows")]


def test_sample_trainium_is_not_inferentia_and_its_bad_price_is_quarantined(tmp_path):
    result = _parse(tmp_path, SAMPLE)
    trn = [r for r in result.rows["offers"] if r["instance_type"] == "trn1.2xlarge"]
    assert {(r["gpu_model"], r["gpu_model_text"], r["instance_family"]) for r in trn} == {
        ("Trainium", "AWS Inferentia", "Machine Learning ASIC Instances")}
    assert sorted(r["price_type"] for r in trn) == ["ondemand", "reserved_3y_no_upfront", "spot_avg"]
    (bad,) = result.quarantine
    assert bad["record_id"] == "trn1.2xlarge/us-east-1/linux/reserved_1y_no_upfront"
    assert bad["reason"] == ("unparseable price '0.79O' at "
                             "pricing.us-east-1.linux.reserved.yrTerm1Standard.noUpfront: not a number")


# --- mapping -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    ("1.234", 1.234), ("0.5", 0.5), (2, 2.0), (0.75, 0.75), ("1e-3", 0.001), (" 3.5 ", 3.5),
    (None, None), ("", None), ("N/A", None), ("NA", None), (0, None), (0.0, None), ("0", None), ("0.000000", None),
])
def test_parse_price(value, expected):
    assert aws.parse_price(value) == expected


@pytest.mark.parametrize("value", ["$1.00", "1,5", "0.79O", "-1", "abc", "nan", "inf", True, [1], {"USD": "1"}])
def test_parse_price_rejects_malformed_values(value):
    with pytest.raises(ValueError):
        aws.parse_price(value)


def test_price_types_and_os_mapping(tmp_path):
    pricing = {"us-east-1": {
        "linux": {"ondemand": "1", "spot_avg": "0.4", "pct_interrupt": "<5%", "pct_savings_od": 60,
                  "reserved": {"yrTerm1Standard.noUpfront": "0.7", "yrTerm3Standard.noUpfront": "0.5",
                               "yrTerm1Standard.allUpfront": "0.6", "yrTerm1Convertible.noUpfront": "0.8"}},
        "mswin": {"ondemand": "1.2"},
        "rhel": {"ondemand": "1.1"}, "linuxSQL": {"ondemand": "2"}, "dedicated": {"ondemand": "1.3"},
    }}
    result = _parse(tmp_path, json.dumps([_record(pricing=pricing)]).encode())
    assert {(os, kind): r["usd_per_hour"] for (_, _, os, kind), r in _offers(result).items()} == {
        ("linux", "ondemand"): 1.0, ("linux", "spot_avg"): 0.4, ("linux", "reserved_1y_no_upfront"): 0.7,
        ("linux", "reserved_3y_no_upfront"): 0.5, ("windows", "ondemand"): 1.2,
    }


@pytest.mark.parametrize(("instance_type", "gpu", "text", "expected"), [
    ("g4dn.xlarge", 1, "NVIDIA T4", "T4"),
    ("g5g.xlarge", 1, "NVIDIA T4G Tensor Core", "T4G"),
    ("g4ad.xlarge", 1, "AMD Radeon Pro V520", "V520"),
    ("p4d.24xlarge", 8, "NVIDIA A100", "A100"),
    ("inf2.xlarge", 1, "AWS Inferentia2", "Inferentia2"),
    ("trn1.2xlarge", 1, "AWS Inferentia", "Trainium"),  # the publisher's label is wrong
    ("trn1n.32xlarge", 16, "AWS Inferentia", "Trainium"),
    ("trn2.48xlarge", 16, None, "Trainium2"),
    ("inf1.xlarge", 0, "AWS Inferentia", "Inferentia"),  # an accelerator even with GPU 0
    ("g9.xlarge", 1, "Some Future GPU", None),
])
def test_accelerators_kept_with_canonical_model(tmp_path, instance_type, gpu, text, expected):
    result = _parse(tmp_path, json.dumps([_record(instance_type, gpu=gpu, model=text)]).encode())
    (row,) = result.rows["offers"]
    assert (row["gpu_model"], row["gpu_model_text"], row["gpu_count"]) == (expected, text, float(gpu))


def test_instances_without_gpu_or_accelerator_are_skipped(tmp_path):
    records = [_record("m7i.large", gpu=0, model=None), _record("f1.2xlarge", gpu=0, model=None),
               _record("g5.xlarge")]
    result = _parse(tmp_path, json.dumps(records).encode())
    assert [r["instance_type"] for r in result.rows["offers"]] == ["g5.xlarge"]
    assert result.quarantine == []


def test_bad_records_are_quarantined(tmp_path):
    records = [{"family": "GPU instance", "GPU": 1}, _record("g5.2xlarge", gpu="lots"),
               _record("g5.4xlarge", pricing=["not", "a", "map"]), _record("g5.xlarge")]
    result = _parse(tmp_path, json.dumps(records).encode())
    assert [r["instance_type"] for r in result.rows["offers"]] == ["g5.xlarge"]
    assert sorted((q["record_id"], q["reason"]) for q in result.quarantine) == [
        ("[0]", "record lacks instance_type"),
        ("g5.2xlarge", "GPU is not a number: 'lots'"),
        ("g5.4xlarge", "pricing is not an object"),
    ]


def test_coverage_file_decides_regions_and_reference(tmp_path):
    pricing = {region: {"linux": {"ondemand": "1"}} for region in ("us-east-1", "us-east-2", "sa-east-1")}
    coverage = Coverage("aws", ("sa-east-1",), "us-east-2")
    result = _parse(tmp_path, json.dumps([_record(pricing=pricing)]).encode(), coverage)
    assert sorted((r["region"], r["is_us_reference"]) for r in result.rows["offers"]) == [
        ("sa-east-1", False), ("us-east-2", True)]


# --- wholly bad payloads ----------------------------------------------------------------------


def test_an_object_instead_of_the_array_fails(tmp_path):
    with pytest.raises(PayloadError, match=r"instances\.json: expected a JSON array of instance records, got a dict$"):
        _parse(tmp_path, b'{"message": "moved"}')


def test_an_array_of_something_else_fails(tmp_path):
    with pytest.raises(PayloadError, match="no record has instance_type and pricing"):
        _parse(tmp_path, b'[{"name": "x"}, {"name": "y"}]')


# --- fetch ---------------------------------------------------------------------------------------


def test_fetch_is_one_conditional_request(settings):
    body = SAMPLE.read_bytes()
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.headers.get("if-none-match") == '"v1"':
            return httpx.Response(304, headers={"etag": '"v1"'})
        return httpx.Response(200, content=body, headers={"etag": '"v1"', "content-type": "application/json"})

    first = run_source(aws.SOURCE, settings, transport=httpx.MockTransport(handler))
    second = run_source(aws.SOURCE, settings, transport=httpx.MockTransport(handler))
    assert (first.status, first.requests, first.rows, first.quarantined) == ("loaded", 1, {"offers": 50}, 1)
    assert (second.status, second.requests) == ("unchanged", 1)
    assert [str(r.url) for r in seen] == [aws.URL, aws.URL]
    assert seen[1].headers["if-none-match"] == '"v1"'
    snapshot = SnapshotStore(settings.raw_dir).latest("aws_ec2_gpu")
    assert snapshot.names() == [COVERAGE_FILE, aws.FILE]
    assert json.loads(snapshot.read_bytes(COVERAGE_FILE)) == {
        "provider": "aws", "us_reference": "us-east-1",
        "latam": ["mx-central-1", "sa-east-1", "us-east-1-bog-1", "us-east-1-bue-1", "us-east-1-lim-1",
                  "us-east-1-qro-1", "us-east-1-scl-1"]}


def test_fetch_records_the_configured_reference_region(tmp_path):
    settings = Settings(warehouse_dir=tmp_path / "w", contact="t@example.org",
                        us_reference_regions={"aws": "us-west-2", "azure": "eastus"})
    pricing = {region: {"linux": {"ondemand": "1"}} for region in ("us-east-1", "us-west-2", "sa-east-1")}
    body = json.dumps([_record(pricing=pricing)]).encode()
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
    result = run_source(aws.SOURCE, settings, transport=transport)
    assert result.rows == {"offers": 2}
    with duckdb.connect(str(settings.working_db), read_only=True) as con:
        rows = con.execute("select region, is_us_reference from raw_aws_ec2_gpu.offers order by region").fetchall()
    assert rows == [("sa-east-1", False), ("us-west-2", True)]


# --- offline run --------------------------------------------------------------------------------


def test_offline_run_loads_the_sample(settings):
    result = run_source(aws.SOURCE, settings, offline=True)
    assert result.status == "loaded"
    assert result.requests == 1
    assert result.rows == {"offers": 50}
    assert result.quarantined == 1
    with duckdb.connect(str(settings.working_db), read_only=True) as con:
        counts = dict(con.execute("select region, count(*) from raw_aws_ec2_gpu.offers group by all").fetchall())
        types = dict(con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'raw_aws_ec2_gpu' and table_name = 'offers'").fetchall())
        quarantined = con.execute("select count(*) from meta.quarantine where source = 'aws_ec2_gpu'").fetchone()[0]
    assert counts == {"sa-east-1": 19, "mx-central-1": 7, "us-east-1": 23, "us-east-1-bue-1": 1}
    assert (types["gpu_count"], types["vcpu"], types["usd_per_hour"], types["is_us_reference"]) == (
        "DOUBLE", "BIGINT", "DOUBLE", "BOOLEAN")
    assert quarantined == 1


# --- the real capture (../shared/samples, skipped when absent) -----------------------------------


@pytest.fixture(scope="module")
def real_record() -> dict:
    return json.loads(real_capture("ec2instances", "ec2_single_instance.json").read_text())


def test_real_capture_is_not_a_gpu_instance(tmp_path, real_record):
    snapshot = snapshot_from_files(tmp_path, aws.NAME, {aws.FILE: json.dumps([real_record]).encode()})
    assert list(aws.SOURCE.parse(snapshot)) == []
    with pytest.raises(PayloadError, match="table offers got 0 rows"):
        _parse(tmp_path / "again", json.dumps([real_record]).encode())


def test_real_capture_as_a_gpu_instance(tmp_path, real_record):
    record = copy.deepcopy(real_record)
    record["GPU"], record["GPU_model"] = 1, "NVIDIA A10G"
    result = _parse(tmp_path, json.dumps([record]).encode())
    offers = _offers(result)
    instance = record["instance_type"]
    # The capture is priced in sa-east-1 and us-east-1, not in mx-central-1 nor in any LatAm Local Zone.
    assert sorted(offers) == sorted(
        (instance, region, os, kind)
        for region in ("sa-east-1", "us-east-1") for os in ("linux", "windows") for kind, _ in aws.PRICES)
    os_keys = {"linux": "linux", "windows": "mswin"}
    for (_, region, os, kind), row in offers.items():
        published = record["pricing"][region][os_keys[os]]
        for key in PRICE_PATHS[kind]:
            published = published[key]
        assert row["usd_per_hour"] == float(published)
        assert (row["gpu_count"], row["gpu_model"], row["gpu_model_text"]) == (1.0, "A10G", "NVIDIA A10G")
        assert (row["vcpu"], row["memory_gib"], row["gpu_memory_gib"]) == (
            record["vCPU"], float(record["memory"]), None)  # GPU_memory 0: unknown
        assert row["instance_family"] == record["family"]
        assert row["is_us_reference"] is (region == "us-east-1")
    # two figures, to catch a mapping that reads the wrong key
    assert offers[(instance, "sa-east-1", "linux", "ondemand")]["usd_per_hour"] == 52.02
    assert offers[(instance, "us-east-1", "windows", "reserved_3y_no_upfront")]["usd_per_hour"] == 14.44459
    assert result.quarantine == []
