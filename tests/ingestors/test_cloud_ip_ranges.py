"""The four cloud IP-range sources, the Azure link discovery, and the region catalogue seed."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import httpx
import pytest

from ingestors.core.config import REPO_ROOT
from ingestors.core.errors import FetchError, PayloadError
from ingestors.core.offline import SAMPLES_DIR
from ingestors.core.pipeline import run_source
from ingestors.core.snapshots import SnapshotStore
from ingestors.domain.countries import by_iso2
from ingestors.sources import cloud_ip_ranges as cloud
from tests.conftest import real_capture
from tests.ingestors.helpers import parse_files

CATALOGUE = REPO_ROOT / "dbt_project" / "seeds" / "cloud_region_catalogue.csv"
CATALOGUE_HEADER = [
    "provider",
    "region_code",
    "region_name",
    "kind",
    "country_iso2",
    "city",
    "latitude",
    "longitude",
    "launch_year",
    "status",
    "aliases",
    "source_url",
]

SOURCES = {
    "aws": cloud.AWS_SOURCE,
    "gcp": cloud.GCP_SOURCE,
    "azure": cloud.AZURE_SOURCE,
    "oracle": cloud.ORACLE_SOURCE,
}
URLS = {
    "aws": cloud.AWS_URL,
    "gcp": cloud.GCP_URL,
    "oracle": cloud.ORACLE_URL,
    "azure": "https://download.microsoft.com/download/7/1/d/71d86715-5596-4529-9b13-da13a5de5b63/"
    "ServiceTags_Public_20261116.json",
}
SAMPLE_FILES = {
    "aws": "ip-ranges.json",
    "gcp": "cloud.json",
    "azure": "ServiceTags_Public_20261116.json",
    "oracle": "public_ip_ranges.json",
}

# (region_code, network_border_group, ipv4 prefixes, ipv6 prefixes, ipv4 addresses, services)
EXPECTED_SAMPLE_ROWS = {
    "aws": [
        ("eu-west-1", "eu-west-1", 1, 1, 64, ["AMAZON"]),
        ("mx-central-1", "mx-central-1", 2, 1, 32, ["AMAZON", "EC2"]),
        ("sa-east-1", "sa-east-1", 2, 1, 96, ["AMAZON", "EC2", "S3"]),
        ("us-east-1", "us-east-1", 2, 1, 192, ["AMAZON", "EC2", "ROUTE53_HEALTHCHECKS"]),
        ("us-east-1", "us-east-1-bue-1", 1, 1, 16, ["AMAZON"]),
        ("us-east-1", "us-east-1-lim-1", 1, 0, 16, ["EC2"]),
        ("us-east-1", "us-east-1-qro-1", 1, 0, 16, ["EC2"]),
        ("us-east-1", "us-east-1-scl-1", 1, 0, 16, ["EC2"]),
    ],
    "gcp": [
        ("europe-west1", "europe-west1", 1, 0, 32, ["Google Cloud"]),
        ("northamerica-south1", "northamerica-south1", 1, 0, 64, ["Google Cloud"]),
        ("southamerica-east1", "southamerica-east1", 2, 1, 192, ["Google Cloud"]),
        ("southamerica-west1", "southamerica-west1", 1, 1, 64, ["Google Cloud"]),
        ("us-east1", "us-east1", 2, 1, 160, ["Google Cloud"]),
    ],
    "azure": [
        ("brazilne", "brazilne", 1, 0, 8, []),
        ("brazilse", "brazilse", 1, 0, 16, ["AzureStorage"]),
        ("brazilsouth", "brazilsouth", 2, 1, 64, ["AzureStorage"]),
        ("chilec", "chilec", 1, 1, 16, []),
        ("eastus", "eastus", 4, 1, 256, ["AzureAppService"]),
        ("mexicocentral", "mexicocentral", 2, 0, 16, ["AzureSQL"]),
        ("westeurope", "westeurope", 1, 0, 128, []),
    ],
    "oracle": [
        ("eu-frankfurt-1", "eu-frankfurt-1", 2, 0, 96, ["OCI", "OSN"]),
        ("mx-monterrey-1", "mx-monterrey-1", 1, 0, 16, ["OCI"]),
        ("mx-queretaro-1", "mx-queretaro-1", 2, 0, 16, ["OCI", "OSN"]),
        ("sa-bogota-1", "sa-bogota-1", 1, 0, 16, ["OCI"]),
        ("sa-santiago-1", "sa-santiago-1", 1, 0, 16, ["OCI"]),
        ("sa-saopaulo-1", "sa-saopaulo-1", 2, 0, 48, ["OBJECT_STORAGE", "OCI", "OSN"]),
        ("sa-valparaiso-1", "sa-valparaiso-1", 1, 0, 16, ["OCI"]),
        ("sa-vinhedo-1", "sa-vinhedo-1", 1, 0, 16, ["OCI"]),
        ("us-ashburn-1", "us-ashburn-1", 3, 0, 224, ["OBJECT_STORAGE", "OCI", "OSN"]),
    ],
}
EXPECTED_SAMPLE_QUARANTINE = {
    "aws": [("prefixes[14]", "not an IP prefix: '203.0.113.128/33'")],
    "gcp": [("prefixes[3]", "entry lacks ipv4Prefix/ipv6Prefix or scope")],
    "azure": [
        (
            "values[8] AzureMonitor.ChileCentral",
            "properties.addressPrefixes is not a list of strings",
        )
    ],
    "oracle": [("regions[5].cidrs[1]", "not an IP prefix: '192.0.2.300/28'")],
}
PUBLISHED_AT = {
    "aws": "2026-11-16-18-43-14",
    "gcp": "2026-11-16T17:56:28.780563",
    "azure": "371",
    "oracle": "2026-11-14T07:13:25.457838",
}


def _parse(tmp_path: Path, provider: str, content: bytes | Path):
    layout = cloud.LAYOUTS[provider]
    return parse_files(
        tmp_path, SOURCES[provider], {layout.file: content}, {layout.file: URLS[provider]}
    )


def _sample(provider: str) -> Path:
    return SAMPLES_DIR / SOURCES[provider].name / SAMPLE_FILES[provider]


def _summary(rows: list[dict]) -> list[tuple]:
    return sorted(
        (
            r["region_code"],
            r["network_border_group"],
            r["ipv4_prefix_count"],
            r["ipv6_prefix_count"],
            r["ipv4_address_count"],
            r["services"],
        )
        for r in rows
    )


# --- parsing the hand-written samples ---------------------------------------------------------


@pytest.mark.parametrize("provider", SOURCES)
def test_parse_sample(tmp_path, provider):
    result = _parse(tmp_path, provider, _sample(provider))
    rows = result.rows["regions"]
    assert _summary(rows) == EXPECTED_SAMPLE_ROWS[provider]
    assert {r["provider"] for r in rows} == {provider}
    assert {r["published_at"] for r in rows} == {PUBLISHED_AT[provider]}
    assert {r["_record_url"] for r in rows} == {URLS[provider]}
    assert [(q["record_id"], q["reason"]) for q in result.quarantine] == EXPECTED_SAMPLE_QUARANTINE[
        provider
    ]


def test_aws_record_ids_name_the_border_group(tmp_path):
    rows = _parse(tmp_path, "aws", _sample("aws")).rows["regions"]
    ids = {r["_record_id"] for r in rows}
    assert {"sa-east-1", "us-east-1", "us-east-1/us-east-1-bue-1"} <= ids


def test_aws_border_group_defaults_to_region(tmp_path):
    body = {
        "syncToken": "1",
        "createDate": "2026-01-01-00-00-00",
        "ipv6_prefixes": [],
        "prefixes": [
            {"ip_prefix": f"192.0.2.{i * 16}/28", "region": region, "service": "EC2"}
            for i, region in enumerate(["sa-east-1", "mx-central-1", "us-east-1", "eu-west-1"])
        ],
    }
    rows = _parse(tmp_path, "aws", json.dumps(body).encode()).rows["regions"]
    assert all(r["network_border_group"] == r["region_code"] for r in rows)
    assert len(rows) == 4


def test_azure_keeps_good_prefixes_of_a_tag_with_a_bad_one(tmp_path):
    def tag(region, prefixes):
        return {
            "name": f"AzureCloud.{region}",
            "id": f"AzureCloud.{region}",
            "properties": {
                "changeNumber": 1,
                "region": region,
                "regionId": 1,
                "platform": "Azure",
                "systemService": "",
                "addressPrefixes": prefixes,
                "networkFeatures": None,
            },
        }

    body = {
        "changeNumber": 5,
        "cloud": "Public",
        "values": [
            tag("brazilsouth", ["192.0.2.0/28", "not-a-prefix", "2001:db8::/48"]),
            tag("chilec", ["192.0.2.16/28"]),
            tag("eastus", ["192.0.2.32/28"]),
            tag("westus", ["192.0.2.48/28"]),
        ],
    }
    result = _parse(tmp_path, "azure", json.dumps(body).encode())
    brazil = next(r for r in result.rows["regions"] if r["region_code"] == "brazilsouth")
    assert (brazil["ipv4_prefix_count"], brazil["ipv6_prefix_count"]) == (1, 1)
    assert [(q["record_id"], q["reason"]) for q in result.quarantine] == [
        ("values[0] AzureCloud.brazilsouth", "not an IP prefix: 'not-a-prefix'")
    ]


# --- wholly wrong payloads fail the source with one line ------------------------------------


@pytest.mark.parametrize(
    ("provider", "body", "reason"),
    [
        ("aws", b"<!DOCTYPE html><html><body>Access Denied</body></html>", "not JSON"),
        (
            "aws",
            json.dumps({"syncToken": "1", "createDate": "x", "ipv6_prefixes": []}).encode(),
            "no 'prefixes' list",
        ),
        (
            "aws",
            json.dumps({"syncToken": "1", "createDate": "x", "prefixes": []}).encode(),
            "no 'ipv6_prefixes' list",
        ),
        ("gcp", b"[]", "expected a JSON object, got a list"),
        ("azure", json.dumps({"changeNumber": 1, "cloud": "Public"}).encode(), "no 'values' list"),
        (
            "oracle",
            json.dumps({"last_updated_timestamp": "x", "regions": {}}).encode(),
            "no 'regions' list",
        ),
    ],
)
def test_wholly_bad_payload_fails_with_one_line(tmp_path, provider, body, reason):
    with pytest.raises(PayloadError) as err:
        _parse(tmp_path, provider, body)
    message = str(err.value)
    assert reason in message
    assert message.startswith(
        f"{SOURCES[provider].name}: bad payload in snapshot {err.value.snapshot_id}/"
    )
    assert cloud.LAYOUTS[provider].file in message
    assert "\n" not in message


def test_too_few_regions_fails(tmp_path):
    body = {
        "last_updated_timestamp": "x",
        "regions": [
            {"region": "sa-santiago-1", "cidrs": [{"cidr": "192.0.2.0/28", "tags": ["OCI"]}]}
        ],
    }
    with pytest.raises(PayloadError, match="table regions got 1 rows, expected at least 4"):
        _parse(tmp_path, "oracle", json.dumps(body).encode())


# --- Azure: finding the weekly file on the download page -----------------------------------

SCRIPT_ONLY_PAGE = """<!DOCTYPE html><html><head><title>Azure IP Ranges</title></head><body>
<div id="root"></div>
<script>window.__DLCDetails__={"dlcDetailsView":{"downloadFile":[
 {"name":"ServiceTags_Public_20261109.json","url":"https:\\/\\/download.microsoft.com\\/download\\/7\\/1\\/d\\/aaa\\/ServiceTags_Public_20261109.json"},
 {"name":"ServiceTags_Public_20261116.json","url":"https:\\/\\/download.microsoft.com\\/download\\/7\\/1\\/d\\/bbb\\/ServiceTags_Public_20261116.json"}]}};</script>
</body></html>"""

NO_LINK_PAGE = """<!DOCTYPE html><html><body><h1>We're sorry, this download is no longer available.</h1>
<a href="https://www.microsoft.com/en-us/download">Download Center</a></body></html>"""


def test_service_tags_link_from_anchor_on_sample_page():
    page = (SAMPLES_DIR / "azure_service_tags" / "download-page.html").read_bytes()
    assert cloud.find_service_tags_url(page) == URLS["azure"]


def test_service_tags_link_from_script_json_picks_newest():
    assert cloud.find_service_tags_url(SCRIPT_ONLY_PAGE) == (
        "https://download.microsoft.com/download/7/1/d/bbb/ServiceTags_Public_20261116.json"
    )


def test_service_tags_link_newest_of_several_anchors_and_relative_href():
    page = """<html><body>
      <a href="https://download.microsoft.com/download/x/ServiceTags_Public_20261102.json">older</a>
      <a href="/download/y/ServiceTags_Public_20261109.json">newer, relative</a>
      <a href="https://download.microsoft.com/download/z/ServiceTags_China_20261201.json">other cloud</a>
    </body></html>"""
    assert cloud.find_service_tags_url(page, "https://download.microsoft.com/details") == (
        "https://download.microsoft.com/download/y/ServiceTags_Public_20261109.json"
    )


def test_service_tags_link_absent():
    assert cloud.find_service_tags_url(NO_LINK_PAGE) is None


def _azure_transport(page: str | bytes, seen: list[httpx.Request]) -> httpx.MockTransport:
    tags = _sample("azure").read_bytes()

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if (
            request.url.host == "www.microsoft.com"
            and request.url.path == "/en-us/download/details.aspx"
        ):
            return httpx.Response(
                200, content=page, headers={"content-type": "text/html; charset=utf-8"}
            )
        if request.url.host == "download.microsoft.com" and request.url.path.endswith(".json"):
            return httpx.Response(
                200,
                content=tags,
                headers={"content-type": "application/json", "etag": '"0x8DDTAGS"'},
            )
        return httpx.Response(404)

    return httpx.MockTransport(handler)


def test_azure_fetch_discovers_the_file_and_keeps_both(settings):
    seen: list[httpx.Request] = []
    result = run_source(
        cloud.AZURE_SOURCE, settings, transport=_azure_transport(SCRIPT_ONLY_PAGE, seen)
    )
    assert result.status == "loaded"
    assert result.requests == 2
    assert result.rows == {"regions": 7}
    assert [str(r.url) for r in seen] == [
        "https://www.microsoft.com/en-us/download/details.aspx?id=56519",
        "https://download.microsoft.com/download/7/1/d/bbb/ServiceTags_Public_20261116.json",
    ]
    snapshot = SnapshotStore(settings.raw_dir).latest("azure_service_tags")
    assert snapshot.names() == ["download-page.html", "service-tags.json"]
    assert snapshot.url_of("service-tags.json").endswith("/bbb/ServiceTags_Public_20261116.json")
    assert snapshot.sample is False


def test_azure_fetch_fails_clearly_without_a_link(settings):
    seen: list[httpx.Request] = []
    with pytest.raises(FetchError) as err:
        run_source(cloud.AZURE_SOURCE, settings, transport=_azure_transport(NO_LINK_PAGE, seen))
    message = str(err.value)
    assert message == (
        "azure_service_tags: fetch failed for https://www.microsoft.com/en-us/download/details.aspx: "
        "no ServiceTags_Public_YYYYMMDD.json link found on the download page"
    )
    assert len(seen) == 1
    assert SnapshotStore(settings.raw_dir).list("azure_service_tags") == []


def test_aws_fetch_is_conditional(settings):
    body = _sample("aws").read_bytes()
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.headers.get("if-none-match") == '"abc"':
            return httpx.Response(304, headers={"etag": '"abc"'})
        return httpx.Response(
            200, content=body, headers={"etag": '"abc"', "content-type": "application/json"}
        )

    first = run_source(cloud.AWS_SOURCE, settings, transport=httpx.MockTransport(handler))
    second = run_source(cloud.AWS_SOURCE, settings, transport=httpx.MockTransport(handler))
    assert (first.status, first.requests, first.rows) == ("loaded", 1, {"regions": 8})
    assert (second.status, second.requests) == ("unchanged", 1)
    assert str(seen[0].url) == cloud.AWS_URL
    assert seen[1].headers["if-none-match"] == '"abc"'


# --- offline runs load the samples into DuckDB --------------------------------------------------


@pytest.mark.parametrize("provider", SOURCES)
def test_offline_run_loads_regions(settings, provider):
    source = SOURCES[provider]
    result = run_source(source, settings, offline=True)
    expected = EXPECTED_SAMPLE_ROWS[provider]
    assert result.status == "loaded"
    assert result.rows == {"regions": len(expected)}
    assert result.quarantined == 1
    with duckdb.connect(str(settings.working_db), read_only=True) as con:
        rows = con.execute(
            f"select region_code, network_border_group, ipv4_prefix_count, ipv6_prefix_count, "
            f"ipv4_address_count, services from raw_{source.name}.regions order by all"
        ).fetchall()
        types = dict(
            con.execute(
                "select column_name, data_type from information_schema.columns "
                f"where table_schema = 'raw_{source.name}' and table_name = 'regions'"
            ).fetchall()
        )
        quarantined = con.execute(
            "select count(*) from meta.quarantine where source = ?", [source.name]
        ).fetchone()[0]
    assert rows == sorted(expected)
    assert types["services"] == "VARCHAR[]"
    assert types["ipv4_prefix_count"] == "BIGINT"
    assert types["published_at"] == "VARCHAR"
    assert quarantined == 1


# --- the region catalogue seed --------------------------------------------------------------


def _catalogue() -> list[dict[str, str]]:
    with CATALOGUE.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == CATALOGUE_HEADER
        return list(reader)


def _catalogue_index() -> dict[tuple[str, str], dict[str, str]]:
    """(provider, code) -> catalogue row, for region codes and their aliases."""
    index: dict[tuple[str, str], dict[str, str]] = {}
    for row in _catalogue():
        codes = [row["region_code"], *filter(None, row["aliases"].split("|"))]
        for code in codes:
            assert (row["provider"], code) not in index, (
                f"{row['provider']} {code} catalogued twice"
            )
            index[(row["provider"], code)] = row
    return index


def test_catalogue_rows_are_well_formed():
    rows = _catalogue()
    latam = set(by_iso2())
    for row in rows:
        assert row["provider"] in SOURCES
        assert row["kind"] in {"region", "local_zone"}
        assert row["status"] in {"ga", "announced", "preview"}
        assert row["country_iso2"] in latam | {"US"}, row
        assert row["region_name"] and row["source_url"].startswith("https://")
        if row["latitude"]:
            assert -90 <= float(row["latitude"]) <= 90 and -180 <= float(row["longitude"]) <= 180
        if row["launch_year"]:
            assert 2000 <= int(row["launch_year"]) <= 2030
        if row["kind"] == "local_zone":
            assert row["provider"] == "aws" and row["region_code"].count("-") == 4
    references = {(r["provider"], r["region_code"]) for r in rows if r["country_iso2"] == "US"}
    assert references == {
        ("aws", "us-east-1"),
        ("gcp", "us-east1"),
        ("azure", "eastus"),
        ("oracle", "us-ashburn-1"),
    }
    _catalogue_index()  # no code or alias catalogued twice


@pytest.mark.parametrize("provider", SOURCES)
def test_every_sample_region_of_latam_or_reference_is_catalogued(tmp_path, provider):
    index = _catalogue_index()
    rows = _parse(tmp_path, provider, _sample(provider)).rows["regions"]
    uncatalogued = {
        r["network_border_group"]
        for r in rows
        if (provider, r["network_border_group"]) not in index
    }
    # the samples carry one non-LatAm, non-reference region each
    assert (
        uncatalogued
        == {
            "aws": {"eu-west-1"},
            "gcp": {"europe-west1"},
            "azure": {"westeurope"},
            "oracle": {"eu-frankfurt-1"},
        }[provider]
    )


# --- real captures (../shared/samples, skipped when absent) ----------------------------------

REAL_FILES = {
    "aws": "aws-ip-ranges.json",
    "gcp": "google-cloud-ip-ranges.json",
    "azure": "microsoft-azure-ip-ranges.json",
    "oracle": "oracle-cloud-ip-ranges.json",
}
# Region counts in the 2025-07 captures, global scopes excluded (AWS: border groups).
REAL_REGION_COUNTS = {"aws": 115, "gcp": 45, "azure": 69, "oracle": 45}
# The LatAm codes listed in ../shared/samples/README.md (AWS Local Zones as border groups).
REAL_LATAM = {
    "aws": {
        "sa-east-1",
        "mx-central-1",
        "us-east-1-bue-1",
        "us-east-1-lim-1",
        "us-east-1-qro-1",
        "us-east-1-scl-1",
    },
    "gcp": {"southamerica-east1", "southamerica-west1", "northamerica-south1"},
    "azure": {"brazilsouth", "brazilse", "brazilne", "chilec", "mexicocentral"},
    "oracle": {
        "sa-saopaulo-1",
        "sa-vinhedo-1",
        "sa-santiago-1",
        "sa-valparaiso-1",
        "sa-bogota-1",
        "mx-queretaro-1",
        "mx-monterrey-1",
    },
}
REAL_REFERENCE = {
    "aws": "us-east-1",
    "gcp": "us-east1",
    "azure": "eastus",
    "oracle": "us-ashburn-1",
}


@pytest.fixture(scope="module")
def real_parse(tmp_path_factory):
    """Parse each real capture once per module (the Azure file alone holds 90,000 prefixes)."""
    cache = {}

    def parse(provider: str):
        if provider not in cache:
            path = real_capture("cloud_ip_ranges", REAL_FILES[provider])
            cache[provider] = _parse(tmp_path_factory.mktemp(provider), provider, path)
        return cache[provider]

    return parse


@pytest.mark.parametrize("provider", SOURCES)
def test_real_capture(real_parse, provider):
    result = real_parse(provider)
    rows = result.rows["regions"]
    assert len(rows) == REAL_REGION_COUNTS[provider]
    assert result.quarantine == []
    index = _catalogue_index()
    codes = {r["network_border_group"] for r in rows}
    latam = {
        c for c in codes if (provider, c) in index and index[(provider, c)]["country_iso2"] != "US"
    }
    assert (
        latam == REAL_LATAM[provider]
    )  # every LatAm code of the README is catalogued, and no other
    assert REAL_REFERENCE[provider] in codes
    assert not {c for c in codes if c.lower() in {"global", ""}}


def test_real_capture_figures(real_parse):
    """A few exact figures, to catch a change in how prefixes are counted."""
    aws = {r["network_border_group"]: r for r in real_parse("aws").rows["regions"]}
    assert (aws["sa-east-1"]["ipv4_prefix_count"], aws["sa-east-1"]["ipv6_prefix_count"]) == (
        203,
        56,
    )
    assert (aws["us-east-1-bue-1"]["region_code"], aws["us-east-1-bue-1"]["ipv4_prefix_count"]) == (
        "us-east-1",
        1,
    )
    assert aws["sa-east-1"]["published_at"] == "2025-07-24-20-23-14"
    azure = {r["region_code"]: r for r in real_parse("azure").rows["regions"]}
    assert (
        azure["brazilsouth"]["ipv4_prefix_count"],
        azure["brazilsouth"]["ipv6_prefix_count"],
    ) == (476, 146)
    assert azure["chilec"]["published_at"] == "363"
