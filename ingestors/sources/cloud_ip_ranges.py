"""Public IP ranges of four clouds: which regions each provider runs, and how big they are.

Four sources share this module and one table shape, ``regions``: one row per
region (per AWS network border group), with distinct prefix counts, the IPv4
address space those prefixes cover and the services announced there. All
regions worldwide are kept; the dbt seed ``cloud_region_catalogue.csv`` says
which are in Latin America (and the US reference regions are needed anyway).

Endpoints and formats (one JSON file each, no auth, no paging):

* ``aws_ip_ranges``: ``https://ip-ranges.amazonaws.com/ip-ranges.json``, an object
  ``{syncToken, createDate, prefixes[{ip_prefix, region, service,
  network_border_group}], ipv6_prefixes[{ipv6_prefix, ...}]}``. ``createDate`` is
  ``YYYY-MM-DD-hh-mm-ss``. A prefix is listed once per service, and ``AMAZON`` is
  the superset of the others. Local Zones and Wavelength Zones appear only as
  ``network_border_group`` (``us-east-1-bue-1`` is Buenos Aires, parented to
  us-east-1). ``region: "GLOBAL"`` (CloudFront, Route 53...) is not a place.
  The server sends an ETag, so a daily refresh usually costs a 304.
* ``gcp_ip_ranges``: ``https://www.gstatic.com/ipranges/cloud.json``, an object
  ``{syncToken, creationTime, prefixes[{ipv4Prefix | ipv6Prefix, service,
  scope}]}``: each entry has one of the two prefix keys. ``scope: "global"``
  is not a place. ``service`` is ``Google Cloud`` throughout.
* ``azure_service_tags``: the weekly ``ServiceTags_Public_YYYYMMDD.json`` has no
  stable URL. It is linked from Microsoft's download page
  (``https://www.microsoft.com/en-us/download/details.aspx?id=56519``), as an
  ``<a href>`` or, on the script-rendered page, inside JSON in a ``<script>``
  (with ``\\/``-escaped slashes); the newest date wins. Both files are kept in
  the snapshot. The JSON is ``{changeNumber, cloud, values[{name, id,
  properties{changeNumber, region, regionId, platform, systemService,
  addressPrefixes[], networkFeatures}}]}``. Traps: some region names are
  abbreviated (``brazilse``, ``brazilne``, ``chilec``, ``germanywc``) and are kept
  as given, the catalogue maps them; ``region: ""`` marks global tags
  (``AzureCloud``, ``Storage``...); ``AzureCloud.<region>`` has
  ``systemService: ""`` and holds every prefix of the region, while per-service
  tags repeat subsets of them. IPv4 and IPv6 prefixes share ``addressPrefixes``.
* ``oracle_ip_ranges``: ``https://docs.oracle.com/iaas/tools/public_ip_ranges.json``,
  ``{last_updated_timestamp, regions[{region, cidrs[{cidr, tags[]}]}]}``; tags
  are ``OCI``, ``OSN`` (Oracle Services Network), ``OBJECT_STORAGE``.

Counting: a prefix listed several times in one region (once per service or
tag) counts once; ``ipv4_address_count`` is the size of the union of the
region's IPv4 prefixes, overlaps merged. ``published_at`` is the file's own
stamp as given (AWS createDate, GCP creationTime, Azure changeNumber, Oracle
last_updated_timestamp), not normalised.

A listing entry without a region, or whose prefix is not an IP network, is
quarantined; a file without its prefix list fails the source.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup

from ingestors.core.errors import FetchError
from ingestors.core.registry import Cadence, FetchPlan, Record, Reject, Row, Source, Table

TABLE = "regions"
# A real file lists dozens of regions; fewer than this means a truncated or wrong payload.
MIN_REGIONS = 4

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class Region(Row):
    provider: str
    region_code: str
    network_border_group: str
    ipv4_prefix_count: int
    ipv6_prefix_count: int
    services: list[str]
    published_at: str | None
    ipv4_address_count: int | None  # extra column: IPv4 addresses covered, overlaps merged


@dataclass(frozen=True)
class Entry:
    """One line of a provider's listing, reduced to what the regions table needs.

    ``where`` locates it in the file (``prefixes[12]``) and becomes the record
    id of a quarantined line; ``raw`` is what lands in quarantine.
    """

    where: str
    raw: Any
    region_code: str
    network_border_group: str
    prefixes: tuple[str, ...]
    services: tuple[str, ...]


@dataclass
class _Tally:
    ipv4: set[IPNetwork] = field(default_factory=set)
    ipv6: set[IPNetwork] = field(default_factory=set)
    services: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Layout:
    """How one provider's file is laid out."""

    provider: str
    file: str  # the snapshot file holding the JSON
    list_keys: tuple[str, ...]  # top-level keys that must hold lists, or the payload is wrong
    published_key: str
    entries: Callable[[Mapping[str, Any]], Iterator[Entry | Reject]]


def _reject(where: str, reason: str, raw: Any) -> Reject:
    return Reject(TABLE, where, reason, raw)


def _text(item: Mapping[str, Any], key: str) -> str | None:
    value = item.get(key)
    return value.strip() if isinstance(value, str) and value.strip() else None


# --- one reader per provider: listing -> Entry / Reject ---------------------------------------


def _aws_entries(body: Mapping[str, Any]) -> Iterator[Entry | Reject]:
    for list_key, prefix_key in (("prefixes", "ip_prefix"), ("ipv6_prefixes", "ipv6_prefix")):
        for i, item in enumerate(body[list_key]):
            where = f"{list_key}[{i}]"
            if not isinstance(item, dict):
                yield _reject(where, "entry is not an object", item)
                continue
            prefix, region = _text(item, prefix_key), _text(item, "region")
            if not (prefix and region):
                yield _reject(where, f"entry lacks {prefix_key} or region", item)
                continue
            if region == "GLOBAL":
                continue
            border_group = _text(item, "network_border_group") or region
            service = _text(item, "service")
            yield Entry(where, item, region, border_group, (prefix,), (service,) if service else ())


def _gcp_entries(body: Mapping[str, Any]) -> Iterator[Entry | Reject]:
    for i, item in enumerate(body["prefixes"]):
        where = f"prefixes[{i}]"
        if not isinstance(item, dict):
            yield _reject(where, "entry is not an object", item)
            continue
        prefix, scope = _text(item, "ipv4Prefix") or _text(item, "ipv6Prefix"), _text(item, "scope")
        if not (prefix and scope):
            yield _reject(where, "entry lacks ipv4Prefix/ipv6Prefix or scope", item)
            continue
        if scope == "global":
            continue
        service = _text(item, "service")
        yield Entry(where, item, scope, scope, (prefix,), (service,) if service else ())


def _azure_entries(body: Mapping[str, Any]) -> Iterator[Entry | Reject]:
    for i, tag in enumerate(body["values"]):
        props = tag.get("properties") if isinstance(tag, dict) else None
        where = f"values[{i}]"
        if not isinstance(props, dict) or not isinstance(props.get("region"), str):
            yield _reject(where, "tag lacks properties.region", tag)
            continue
        region = props["region"].strip()
        if not region:
            continue  # global tags: AzureCloud, Storage, AzureFrontDoor.Frontend, ...
        where = f"values[{i}] {tag.get('name')}"
        prefixes = props.get("addressPrefixes")
        if not isinstance(prefixes, list) or not all(isinstance(p, str) for p in prefixes):
            yield _reject(where, "properties.addressPrefixes is not a list of strings", tag)
            continue
        service = _text(props, "systemService")
        yield Entry(where, tag, region, region, tuple(prefixes), (service,) if service else ())


def _oracle_entries(body: Mapping[str, Any]) -> Iterator[Entry | Reject]:
    for i, block in enumerate(body["regions"]):
        region = _text(block, "region") if isinstance(block, dict) else None
        cidrs = block.get("cidrs") if isinstance(block, dict) else None
        if not region or not isinstance(cidrs, list):
            yield _reject(f"regions[{i}]", "region block lacks region or cidrs", block)
            continue
        for j, item in enumerate(cidrs):
            where = f"regions[{i}].cidrs[{j}]"
            cidr = _text(item, "cidr") if isinstance(item, dict) else None
            if not cidr:
                yield _reject(where, "entry lacks cidr", {"region": region, "entry": item})
                continue
            tags = item.get("tags") if isinstance(item.get("tags"), list) else []
            services = tuple(t.strip() for t in tags if isinstance(t, str) and t.strip())
            yield Entry(where, {"region": region, **item}, region, region, (cidr,), services)


LAYOUTS = {
    "aws": Layout(
        "aws", "ip-ranges.json", ("prefixes", "ipv6_prefixes"), "createDate", _aws_entries
    ),
    "gcp": Layout("gcp", "cloud.json", ("prefixes",), "creationTime", _gcp_entries),
    "azure": Layout("azure", "service-tags.json", ("values",), "changeNumber", _azure_entries),
    "oracle": Layout(
        "oracle", "public_ip_ranges.json", ("regions",), "last_updated_timestamp", _oracle_entries
    ),
}


# --- the shared parser -------------------------------------------------------------------------


def parse_regions(layout: Layout, snapshot) -> Iterator[Record | Reject]:
    """Aggregate a provider's listing into one record per region / border group."""
    body = snapshot.read_json(layout.file)
    if not isinstance(body, dict):
        raise snapshot.error(
            f"expected a JSON object, got a {type(body).__name__}", file=layout.file
        )
    missing = [key for key in layout.list_keys if not isinstance(body.get(key), list)]
    if missing:
        raise snapshot.error(
            f"no {' / '.join(repr(k) for k in missing)} list in the file", file=layout.file
        )
    stamp = body.get(layout.published_key)
    published_at = None if stamp is None or stamp == "" else str(stamp)
    url = snapshot.url_of(layout.file)

    tallies: dict[tuple[str, str], _Tally] = {}
    for entry in layout.entries(body):
        if isinstance(entry, Reject):
            yield entry
            continue
        networks, bad = [], []
        for text in entry.prefixes:
            try:
                networks.append(ipaddress.ip_network(text.strip(), strict=False))
            except ValueError:
                bad.append(text)
        if bad:
            yield _reject(
                entry.where, f"not an IP prefix: {', '.join(repr(b) for b in bad)}", entry.raw
            )
            if not networks:
                continue  # nothing usable left in this line
        tally = tallies.setdefault((entry.region_code, entry.network_border_group), _Tally())
        for net in networks:
            (tally.ipv4 if net.version == 4 else tally.ipv6).add(net)
        tally.services.update(entry.services)

    for (region, border_group), tally in sorted(tallies.items()):
        yield Record(
            TABLE,
            {
                "provider": layout.provider,
                "region_code": region,
                "network_border_group": border_group,
                "ipv4_prefix_count": len(tally.ipv4),
                "ipv6_prefix_count": len(tally.ipv6),
                "services": sorted(tally.services),
                "published_at": published_at,
                "ipv4_address_count": sum(
                    n.num_addresses for n in ipaddress.collapse_addresses(tally.ipv4)
                ),
            },
            record_id=region if region == border_group else f"{region}/{border_group}",
            record_url=url,
        )


# --- fetching ----------------------------------------------------------------------------------

AWS_URL = "https://ip-ranges.amazonaws.com/ip-ranges.json"
GCP_URL = "https://www.gstatic.com/ipranges/cloud.json"
ORACLE_URL = "https://docs.oracle.com/iaas/tools/public_ip_ranges.json"
AZURE_PAGE_URL = "https://www.microsoft.com/en-us/download/details.aspx"
AZURE_PAGE_PARAMS = {"id": "56519"}  # "Azure IP Ranges and Service Tags – Public Cloud"
AZURE_PAGE_FILE = "download-page.html"

_SERVICE_TAGS_NAME = re.compile(r"/ServiceTags_Public_(\d{8})\.json$")
_SERVICE_TAGS_IN_TEXT = re.compile(r"https?://[^\s\"'<>\\]+?/ServiceTags_Public_\d{8}\.json")


def find_service_tags_url(page: bytes | str, page_url: str = AZURE_PAGE_URL) -> str | None:
    """The newest ``ServiceTags_Public_YYYYMMDD.json`` linked from Microsoft's download page.

    Looks at ``<a href>`` first, then at the text of ``<script>`` elements
    (the page also renders from embedded JSON, where ``/`` may be escaped).
    """
    soup = BeautifulSoup(page, "html.parser")
    found = [urljoin(page_url, a["href"].strip()) for a in soup.find_all("a", href=True)]
    found = [url for url in found if _SERVICE_TAGS_NAME.search(urlsplit(url).path)]
    if not found:
        for script in soup.find_all("script"):
            text = (
                script.get_text()
                .replace("\\/", "/")
                .replace("\\u002F", "/")
                .replace("\\u002f", "/")
            )
            found.extend(_SERVICE_TAGS_IN_TEXT.findall(text))
    if not found:
        return None
    return max(found, key=lambda url: _SERVICE_TAGS_NAME.search(urlsplit(url).path).group(1))


def fetch_azure(ctx) -> None:
    """Download page, then the service-tag file it links to: two requests."""
    # The page changes on every visit; only the JSON it points to decides whether Azure changed.
    page = ctx.get(AZURE_PAGE_FILE, AZURE_PAGE_URL, params=AZURE_PAGE_PARAMS, volatile=True)
    url = find_service_tags_url(page, AZURE_PAGE_URL)
    if url is None:
        raise FetchError(
            ctx.source.name,
            AZURE_PAGE_URL,
            "no ServiceTags_Public_YYYYMMDD.json link found on the download page",
        )
    ctx.get(LAYOUTS["azure"].file, url)


def _fetch_one(file: str, url: str) -> Callable[[Any], None]:
    def fetch(ctx) -> None:
        ctx.get(file, url)

    fetch.__doc__ = f"One GET of {url}."
    return fetch


# --- the four sources --------------------------------------------------------------------------

_TABLE_DESCRIPTION = (
    "One row per cloud region (AWS: per network border group, so Local Zones are rows of their "
    "own) with distinct IPv4/IPv6 prefix counts, IPv4 addresses covered and services present. "
    "All regions worldwide; global scopes left out."
)


def _source(
    provider: str,
    *,
    name: str,
    title: str,
    endpoint: str,
    description: str,
    homepage: str,
    licence: str,
    cadence: Cadence,
    fetch: Callable[[Any], None],
    rate_limits: Mapping[str, float],
    sample_routes: Mapping[str, str] | None = None,
) -> Source:
    layout = LAYOUTS[provider]
    return Source(
        name=name,
        family="capacity",
        title=title,
        endpoint=endpoint,
        description=description,
        homepage=homepage,
        licence=licence,
        cadence=cadence,
        tables=(
            Table(
                TABLE,
                Region,
                ("region_code", "network_border_group"),
                _TABLE_DESCRIPTION,
                min_rows=MIN_REGIONS,
            ),
        ),
        fetch=fetch,
        parse=functools.partial(parse_regions, layout),
        plan=FetchPlan(rate_limits=rate_limits, sample_routes=sample_routes or {}),
    )


AWS_SOURCE = _source(
    "aws",
    name="aws_ip_ranges",
    title="AWS IP address ranges",
    endpoint='`ip-ranges.amazonaws.com/ip-ranges.json` (ETag)',
    description="AWS regions and Local Zone border groups in use, with prefix counts (ip-ranges.json).",
    homepage="https://docs.aws.amazon.com/vpc/latest/userguide/aws-ip-ranges.html",
    licence="AWS public IP address ranges, published for use by customers",
    cadence="daily",
    fetch=_fetch_one(LAYOUTS["aws"].file, AWS_URL),
    rate_limits={"ip-ranges.amazonaws.com": 1.0},
)

GCP_SOURCE = _source(
    "gcp",
    name="gcp_ip_ranges",
    title="Google Cloud IP address ranges",
    endpoint='`www.gstatic.com/ipranges/cloud.json`',
    description="Google Cloud regions (scopes) with prefix counts (cloud.json).",
    homepage="https://cloud.google.com/compute/docs/faq#find_ip_range",
    licence="Google Cloud public IP ranges, published for use by customers",
    cadence="daily",
    fetch=_fetch_one(LAYOUTS["gcp"].file, GCP_URL),
    rate_limits={"www.gstatic.com": 1.0},
)

AZURE_SOURCE = _source(
    "azure",
    name="azure_service_tags",
    title="Azure IP ranges and service tags (Public Cloud)",
    endpoint="Microsoft's download page (link found with BeautifulSoup), then `ServiceTags_Public_YYYYMMDD.json`",
    description="Azure regions with prefix counts and service tags (weekly ServiceTags_Public file).",
    homepage="https://www.microsoft.com/en-us/download/details.aspx?id=56519",
    licence="Microsoft Azure IP ranges and service tags, published for use by customers",
    cadence="weekly",
    fetch=fetch_azure,
    rate_limits={"www.microsoft.com": 1.0, "download.microsoft.com": 1.0},
    sample_routes={
        "www.microsoft.com/*/download/details.aspx": "download-page.html",
        "download.microsoft.com/download/*/ServiceTags_Public_*.json": "ServiceTags_Public_20261116.json",
    },
)

ORACLE_SOURCE = _source(
    "oracle",
    name="oracle_ip_ranges",
    title="Oracle Cloud Infrastructure IP address ranges",
    endpoint='`docs.oracle.com/iaas/tools/public_ip_ranges.json`',
    description="OCI regions with CIDR counts and tags (public_ip_ranges.json).",
    homepage="https://docs.oracle.com/en-us/iaas/Content/General/Concepts/addressranges.htm",
    licence="Oracle Cloud public IP address ranges, published for use by customers",
    cadence="weekly",
    fetch=_fetch_one(LAYOUTS["oracle"].file, ORACLE_URL),
    rate_limits={"docs.oracle.com": 1.0},
)

SOURCES = (AWS_SOURCE, GCP_SOURCE, AZURE_SOURCE, ORACLE_SOURCE)
