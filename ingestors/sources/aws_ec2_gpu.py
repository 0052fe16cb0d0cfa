"""AWS EC2 GPU and accelerator instance prices, from the ec2instances.info data file.

Endpoint: ``GET https://instances.vantage.sh/instances.json`` (the data behind
ec2instances.info, published by Vantage; no auth, served gzip-compressed from
a CDN, refreshed about daily). One request per refresh, conditional on the
previous ETag / Last-Modified. The file is large: every EC2 instance type with
its prices in every region (a single record of the 2026 capture is ~160 KB of
JSON, so the whole array is on the order of 100+ MB decompressed), which is why
only GPU instances and a handful of regions are kept.

Format: a JSON array of records ``{instance_type, family, vCPU, memory (GiB),
GPU (count), GPU_model (text), GPU_memory (GB), pricing{region: {os: {ondemand,
spot_avg, reserved{"yrTerm1Standard.noUpfront", ...}, ...}}}, regions{code:
name}, ...}``. Prices are strings of USD per hour.

Kept: instances with ``GPU > 0``, or whose ``GPU_model`` names an AWS
accelerator (Trainium, Inferentia); regions: every LatAm AWS entry of the
catalogue (``cloud_region_catalogue.csv``: sa-east-1, mx-central-1 and the
Local Zones, which appear as pricing keys like ``us-east-1-bue-1`` when they
sell an instance) plus ``Settings.us_reference_regions["aws"]`` (default
``us-east-1``), recorded by the fetch in ``coverage.json``; OS ``linux`` and
``mswin`` (Windows); four prices each:

==========================  ========================================
price_type                  published at
==========================  ========================================
ondemand                    ``pricing.<region>.<os>.ondemand``
spot_avg                    ``pricing.<region>.<os>.spot_avg``
reserved_1y_no_upfront      ``...reserved["yrTerm1Standard.noUpfront"]``
reserved_3y_no_upfront      ``...reserved["yrTerm3Standard.noUpfront"]``
==========================  ========================================

Traps:

* A price that is absent, ``""``, ``"N/A"`` or zero means "not offered" (the
  publisher writes ``0`` when AWS lists no USD price) and is skipped; any other
  text that is not a plain non-negative number is quarantined.
* ``spot_avg`` is the publisher's estimate (on-demand price less the Spot
  Instance Advisor's average savings), not an observed average.
* The publisher labels Trainium instances (``trn1``) "AWS Inferentia": for the
  ``trn`` families ``gpu_model`` follows the instance family; ``gpu_model_text``
  keeps the published label.
* ``GPU_memory`` is 0 where the publisher does not know it (``inf1``): kept as null.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import Any

from ingestors.core.registry import FetchPlan, Record, Reject, Row, Source, Table
from ingestors.domain.cloud_catalogue import COVERAGE_FILE, COVERAGE_URL, Coverage, latam_regions
from ingestors.domain.gpus import canonical_gpu_model

NAME = "aws_ec2_gpu"
TABLE = "offers"
URL = "https://instances.vantage.sh/instances.json"
FILE = "instances.json"
INSTANCE_URL = "https://instances.vantage.sh/aws/ec2/{}"

# Every LatAm entry of the catalogue, Local Zones included, whatever its status:
# a price in the file is proof that it sells.
LATAM = {"kinds": ("region", "local_zone"), "statuses": None}
OPERATING_SYSTEMS = {"linux": "linux", "mswin": "windows"}
PRICES = (  # (price_type, path under pricing.<region>.<os>)
    ("ondemand", ("ondemand",)),
    ("spot_avg", ("spot_avg",)),
    ("reserved_1y_no_upfront", ("reserved", "yrTerm1Standard.noUpfront")),
    ("reserved_3y_no_upfront", ("reserved", "yrTerm3Standard.noUpfront")),
)
ACCELERATORS = {"Trainium", "Trainium2", "Inferentia", "Inferentia2"}
NOT_OFFERED = {"", "n/a", "na", "none", "null", "-"}
_NUMBER = re.compile(r"^\d+(\.\d+)?([eE][-+]?\d+)?$")


class Offer(Row):
    instance_type: str
    instance_family: str | None  # the publisher's family, e.g. "GPU instance"
    region: str
    is_us_reference: bool
    gpu_count: float
    gpu_model: str | None  # canonical (ingestors.domain.gpus)
    gpu_model_text: str | None  # as published
    gpu_memory_gib: float | None
    vcpu: int | None
    memory_gib: float | None
    os: str  # linux | windows
    price_type: str  # ondemand | spot_avg | reserved_1y_no_upfront | reserved_3y_no_upfront
    usd_per_hour: float


def coverage(settings) -> Coverage:
    return Coverage("aws", latam_regions("aws", **LATAM), settings.us_reference_regions["aws"])


def fetch(ctx) -> None:
    """One GET of the whole data file, plus the coverage the parser needs."""
    ctx.add_file(COVERAGE_FILE, coverage(ctx.settings).to_json(), COVERAGE_URL)
    ctx.get(FILE, URL)


# --- parsing ---------------------------------------------------------------------------------


def parse_price(value: Any) -> float | None:
    """USD per hour, or ``None`` when the value means "not offered"; ``ValueError`` when malformed."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("a boolean is not a price")
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        text = value.strip()
        if text.lower() in NOT_OFFERED:
            return None
        if not _NUMBER.match(text):
            raise ValueError("not a number")
        number = float(text)
    else:
        raise ValueError(f"a {type(value).__name__} is not a price")
    if not math.isfinite(number) or number < 0:
        raise ValueError("not a finite, non-negative number")
    return number or None  # 0: AWS lists no USD price


def _number(value: Any) -> float | None:
    """A published count or size; ``None`` when absent or not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def accelerator_model(instance_type: str, text: str | None) -> str | None:
    """Canonical accelerator name; for ``trn*`` families the family decides (see the docstring)."""
    family = re.match(r"trn(\d*)", instance_type.split(".", 1)[0])
    if family:
        generation = family.group(1)
        return canonical_gpu_model("Trainium" if generation in ("", "1") else f"Trainium{generation}")
    return canonical_gpu_model(text)


def _coverage(snapshot) -> Coverage:
    if COVERAGE_FILE not in snapshot.names():
        return Coverage.default("aws", **LATAM)  # a snapshot written by hand or by tests
    try:
        return Coverage.from_json("aws", snapshot.read_json(COVERAGE_FILE))
    except ValueError as exc:
        raise snapshot.error(str(exc), file=COVERAGE_FILE) from None


def _dig(node: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def _offers(record: dict, instance_type: str, cov: Coverage) -> Iterator[Record | Reject]:
    gpu_text = _text(record.get("GPU_model"))
    gpu_memory = _number(record.get("GPU_memory"))
    vcpu = record.get("vCPU")
    common = {
        "instance_type": instance_type,
        "instance_family": _text(record.get("family")),
        "gpu_count": _number(record.get("GPU")),
        "gpu_model": accelerator_model(instance_type, gpu_text),
        "gpu_model_text": gpu_text,
        "gpu_memory_gib": gpu_memory or None,
        "vcpu": vcpu if vcpu not in ("", None) else None,
        "memory_gib": record.get("memory"),
    }
    pricing = record.get("pricing")
    if pricing is None:
        return
    if not isinstance(pricing, dict):
        yield Reject(TABLE, instance_type, "pricing is not an object", record.get("pricing"))
        return
    url = INSTANCE_URL.format(instance_type)
    for region in cov.regions:
        for os_key, os in OPERATING_SYSTEMS.items():
            prices = _dig(pricing, (region, os_key))
            if not isinstance(prices, dict):
                continue
            for price_type, path in PRICES:
                value = _dig(prices, path)
                record_id = f"{instance_type}/{region}/{os}/{price_type}"
                try:
                    usd = parse_price(value)
                except ValueError as exc:
                    where = ".".join(("pricing", region, os_key, *path))
                    yield Reject(TABLE, record_id, f"unparseable price {value!r} at {where}: {exc}",
                                 {"instance_type": instance_type, "where": where, "value": value})
                    continue
                if usd is None:
                    continue
                yield Record(
                    TABLE,
                    {**common, "region": region, "is_us_reference": cov.is_us_reference(region),
                     "os": os, "price_type": price_type, "usd_per_hour": usd},
                    record_id=record_id,
                    record_url=url,
                )


def parse(snapshot) -> Iterator[Record | Reject]:
    cov = _coverage(snapshot)
    body = snapshot.read_json(FILE)
    if not isinstance(body, list):
        raise snapshot.error(f"expected a JSON array of instance records, got a {type(body).__name__}", file=FILE)
    if body and not any(isinstance(r, dict) and "instance_type" in r and "pricing" in r for r in body):
        raise snapshot.error("no record has instance_type and pricing: not the ec2instances.info data", file=FILE)
    for i, record in enumerate(body):
        instance_type = _text(record.get("instance_type")) if isinstance(record, dict) else None
        if instance_type is None:
            yield Reject(TABLE, f"[{i}]", "record lacks instance_type", record)
            continue
        gpus = _number(record.get("GPU"))
        if record.get("GPU") is not None and gpus is None:
            yield Reject(TABLE, instance_type, f"GPU is not a number: {record.get('GPU')!r}", record.get("GPU"))
            continue
        model = accelerator_model(instance_type, _text(record.get("GPU_model")))
        if not ((gpus or 0) > 0 or model in ACCELERATORS):
            continue  # no GPU, no accelerator
        yield from _offers(record, instance_type, cov)


SOURCE = Source(
    name=NAME,
    family="capacity",
    title="AWS EC2 GPU instance prices (ec2instances.info)",
    endpoint=('`instances.vantage.sh/instances.json` (ec2instances.info), GPU/accelerator instances in LatAm '
              'regions and Local Zones + US reference'),
    description=("Hourly prices of EC2 GPU and accelerator (Trainium, Inferentia) instances in the LatAm "
                 "AWS regions and Local Zones and the US reference region: on-demand, estimated spot, and "
                 "1- and 3-year no-upfront reserved, Linux and Windows, in USD."),
    homepage="https://instances.vantage.sh/",
    licence="ec2instances.info data (Vantage), MIT licence; prices are AWS's public list prices",
    cadence="weekly",
    tables=(
        Table(TABLE, Offer, ("instance_type", "region", "os", "price_type"),
              "One price of a GPU or accelerator EC2 instance type per region, OS and price type "
              "(ondemand, spot_avg, reserved_1y_no_upfront, reserved_3y_no_upfront), in USD per hour."),
    ),
    fetch=fetch,
    parse=parse,
    plan=FetchPlan(
        # One request a week from a CDN; no published limit.
        rate_limits={"instances.vantage.sh": 1.0},
    ),
)
