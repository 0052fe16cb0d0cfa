"""Replay: serve real captures of the publishers in place of the network.

``cadena refresh --offline --replay DIR`` (or ``CADENA_REPLAY_DIR=DIR``) runs
every source's fetch code unchanged against a folder of real captures laid out
like ``../shared/samples/`` (see its README.md). For a source with a capture,
its publisher's URLs are answered from the captured files, with the server-side
work the publisher would do (a filter, paging, a ZIP) done here on the real
rows; a URL of that publisher with no captured file answers 404, as the
publisher would. Every other request (a source without a capture, or a page the
capture lacks such as Azure's download page) falls back to the shipped samples
(:class:`~ingestors.core.offline.SampleTransport`).

What each capture stands for, and its traps:

* ``telegeography/api_v3/``: the whole v3 tree, so any ``/api/v3/<path>`` is
  the file at ``<path>`` (a country without cables has no file: 404).
* ``peeringdb/*/{obj}/page-*.json``: the first rows by id of each object
  (production pages where captured, else beta). The server's filters
  (``country__in``, ``id__in``, ``ix_id__in``, exact ``field=value``), its
  ``limit``/``skip`` paging and its ordering by id are applied to those rows;
  an operator the replay does not know answers 400 rather than a wrong page.
* ``cloud_ip_ranges/``: one file per provider, for the file's real URL; the
  Azure file answers any ``ServiceTags_Public_YYYYMMDD.json`` link.
* ``epoch/*.csv``: the two data-hub CSVs the project reads.
* ``top500/TOP500_YYYYMM.xlsx``: answered at that edition's download URL only
  (another edition is 404, so the fetch finds the captured one).
* ``ecb_fx/eurofxref-hist.csv``: the ECB serves it inside
  ``eurofxref-hist.zip``; the replay zips it (deterministically).
* ``yc/``: ``companies/all.json`` is not captured; it is answered with every
  company record found in the captured subsets (``top``, tags, industries,
  batches and per-company files), once each by id. Other captured paths are
  served as they are.
* ``world_bank/SP.POP.TOTL.json``: one unfiltered API answer for all
  countries; the country list in the URL, the ``date=FROM:TO`` range and
  ``per_page``/``page`` are applied to its rows. Other indicators fall back
  to the samples (the bulk CSVs are another format).
"""

from __future__ import annotations

import io
import json
import math
import os
import re
import zipfile
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path

import httpx

from ingestors.core.offline import SAMPLES_DIR, SampleTransport

REPLAY_ENV = "CADENA_REPLAY_DIR"

# A replayer answers a request from the captures, or returns None when the URL is
# not one it covers (then the shipped sample answers).
Replayer = Callable[[Path, httpx.Request], "httpx.Response | None"]


def replay_dir(environ: Mapping[str, str] = os.environ) -> Path | None:
    """The captures folder named by ``CADENA_REPLAY_DIR``, or None (plain offline samples)."""
    value = environ.get(REPLAY_ENV)
    return Path(value).expanduser() if value else None


def offline_transport(source: str, routes: Mapping[str, str],
                      samples_dir: Path = SAMPLES_DIR) -> httpx.BaseTransport:
    """The transport of an offline run: the real captures when a replay folder is set, else the samples."""
    captures = replay_dir()
    if captures is None:
        return SampleTransport(source, routes, samples_dir)
    return ReplayTransport(source, routes, captures, samples_dir)


class ReplayTransport(httpx.BaseTransport):
    def __init__(self, source: str, routes: Mapping[str, str], captures: Path, samples_dir: Path = SAMPLES_DIR):
        if not captures.is_dir():
            raise FileNotFoundError(f"{REPLAY_ENV}: no captures folder at {captures}")
        self.captures = captures
        self.replayer = REPLAYERS.get(source)
        self.fallback = SampleTransport(source, routes, samples_dir)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.replayer is not None:
            response = self.replayer(self.captures, request)
            if response is not None:
                return response
        return self.fallback.handle_request(request)


# --- responses ----------------------------------------------------------------------------------


def _file(path: Path, ctype: str) -> httpx.Response:
    if not path.is_file():
        return _not_found(path.name)
    return httpx.Response(200, content=path.read_bytes(), headers={"content-type": ctype})


def _json(body: object) -> httpx.Response:
    return httpx.Response(200, content=json.dumps(body).encode(), headers={"content-type": "application/json"})


def _not_found(what: str) -> httpx.Response:
    return httpx.Response(404, text=f"no capture for {what}")


def _route(request: httpx.Request, host: str, prefix: str = "") -> str | None:
    """The path after ``prefix`` when the request is for ``host``, else None."""
    if request.url.host != host or not request.url.path.startswith(prefix):
        return None
    return request.url.path[len(prefix):]


# --- per publisher ------------------------------------------------------------------------------


def _telegeography(root: Path, request: httpx.Request) -> httpx.Response | None:
    rest = _route(request, "www.submarinecablemap.com", "/api/v3/")
    if rest is None:
        return None
    path = (root / "telegeography" / "api_v3" / rest).resolve()
    if root.resolve() not in path.parents:
        return _not_found(rest)
    return _file(path, "application/json")


PEERINGDB_PAGING = {"depth", "limit", "skip"}


@cache
def _peeringdb_rows(root: Path, obj: str) -> tuple[dict, ...]:
    folders = sorted((root / "peeringdb").glob(f"*/{obj}"), key=lambda p: not p.parent.name.startswith("prod"))
    if not folders:
        return ()
    rows = {}
    for page in sorted(folders[0].glob("page-*.json")):
        for row in json.loads(page.read_bytes())["data"]:
            rows[row["id"]] = row
    return tuple(rows[i] for i in sorted(rows))


def _peeringdb_match(row: Mapping, key: str, value: str) -> bool:
    field, _, op = key.partition("__")
    if op == "in":
        return str(row.get(field)) in set(value.split(","))
    return str(row.get(field)) == value


def _peeringdb(root: Path, request: httpx.Request) -> httpx.Response | None:
    obj = _route(request, "www.peeringdb.com", "/api/")
    if obj is None:
        return None
    rows = _peeringdb_rows(root, obj)
    if not rows:
        return _not_found(f"PeeringDB object {obj!r}")
    params = request.url.params
    for key in params:
        if key not in PEERINGDB_PAGING and "__" in key and not key.endswith("__in"):
            return httpx.Response(400, json={"meta": {"error": f"replay does not emulate filter {key}"}})
    filters = [(k, v) for k, v in params.multi_items() if k not in PEERINGDB_PAGING]
    kept = [r for r in rows if all(_peeringdb_match(r, k, v) for k, v in filters)]
    skip = int(params.get("skip", 0))
    limit = int(params.get("limit", 0)) or len(kept)
    return _json({"data": kept[skip:skip + limit], "meta": {}})


CLOUD_FILES = {
    ("ip-ranges.amazonaws.com", "/ip-ranges.json"): "aws-ip-ranges.json",
    ("www.gstatic.com", "/ipranges/cloud.json"): "google-cloud-ip-ranges.json",
    ("docs.oracle.com", "/iaas/tools/public_ip_ranges.json"): "oracle-cloud-ip-ranges.json",
}
_SERVICE_TAGS = re.compile(r"/download/.+/ServiceTags_Public_\d{8}\.json")


def _cloud(root: Path, request: httpx.Request) -> httpx.Response | None:
    name = CLOUD_FILES.get((request.url.host, request.url.path))
    if name is None and request.url.host == "download.microsoft.com" and _SERVICE_TAGS.fullmatch(request.url.path):
        name = "microsoft-azure-ip-ranges.json"
    if name is None:
        return None  # Azure's download page is not captured: the sample page links to the file
    return _file(root / "cloud_ip_ranges" / name, "application/json")


def _epoch(root: Path, request: httpx.Request) -> httpx.Response | None:
    name = _route(request, "epoch.ai", "/data/")
    if name is None:
        return None
    return _file(root / "epoch" / name, "text/csv")


_TOP500_DOWNLOAD = re.compile(r"/lists/top500/\d{4}/\d{2}/download/(TOP500_\d{6}\.xlsx)")


def _top500(root: Path, request: httpx.Request) -> httpx.Response | None:
    if request.url.host != "www.top500.org":
        return None
    m = _TOP500_DOWNLOAD.fullmatch(request.url.path)
    if m is None:
        return _not_found(request.url.path)
    return _file(root / "top500" / m[1], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _ecb(root: Path, request: httpx.Request) -> httpx.Response | None:
    if _route(request, "www.ecb.europa.eu", "/stats/eurofxref/") != "eurofxref-hist.zip":
        return None
    csv = root / "ecb_fx" / "eurofxref-hist.csv"
    if not csv.is_file():
        return _not_found(csv.name)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        # A fixed timestamp keeps the bytes, and so the snapshot id, the same run to run.
        archive.writestr(zipfile.ZipInfo(csv.name, date_time=(1999, 1, 4, 0, 0, 0)), csv.read_bytes())
    return httpx.Response(200, content=buffer.getvalue(), headers={"content-type": "application/zip"})


def yc_companies(root: Path) -> list[dict]:
    """Every company record in the captured yc-oss subsets, once each by id, in id order."""
    companies: dict[int, dict] = {}
    for path in sorted((root / "yc").rglob("*.json")):
        if path.name == "meta.json":
            continue
        body = json.loads(path.read_bytes())
        for item in body if isinstance(body, list) else [body]:
            if isinstance(item, dict) and isinstance(item.get("id"), int):
                companies.setdefault(item["id"], item)
    return [companies[i] for i in sorted(companies)]


def _yc(root: Path, request: httpx.Request) -> httpx.Response | None:
    rest = _route(request, "yc-oss.github.io", "/api/")
    if rest is None:
        return None
    if rest == "companies/all.json":
        return _json(yc_companies(root))
    return _file(root / "yc" / rest, "application/json")


_WB_PATH = re.compile(r"/v2/country/([^/]+)/indicator/([^/]+)")


def _world_bank(root: Path, request: httpx.Request) -> httpx.Response | None:
    m = _WB_PATH.fullmatch(request.url.path) if request.url.host == "api.worldbank.org" else None
    capture = root / "world_bank" / f"{m[2]}.json" if m else None
    if capture is None or not capture.is_file():
        return None
    header, rows = json.loads(capture.read_bytes())
    countries = {c.upper() for c in m[1].split(";")}
    params = request.url.params
    first, _, last = params.get("date", "0:9999").partition(":")
    rows = [r for r in rows if r["countryiso3code"] in countries and first <= r["date"] <= (last or first)]
    per_page = int(params.get("per_page", 50))
    page = int(params.get("page", 1))
    head = {"page": page, "pages": max(1, math.ceil(len(rows) / per_page)), "per_page": per_page,
            "lastupdated": header.get("lastupdated"), "total": len(rows)}
    return _json([head, rows[(page - 1) * per_page:page * per_page]])


REPLAYERS: dict[str, Replayer] = {
    "telegeography": _telegeography,
    "peeringdb": _peeringdb,
    "aws_ip_ranges": _cloud,
    "gcp_ip_ranges": _cloud,
    "azure_service_tags": _cloud,
    "oracle_ip_ranges": _cloud,
    "epoch_gpu_clusters": _epoch,
    "epoch_notable_models": _epoch,
    "top500": _top500,
    "ecb_fx": _ecb,
    "yc": _yc,
    "world_bank": _world_bank,
}

