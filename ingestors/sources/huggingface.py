"""Models published on the Hugging Face Hub by the LatAm organisations of the curated registry.

Endpoint: ``GET https://huggingface.co/api/models?author=<handle>&limit=1000&expand[]=...``,
once per Hub handle named in the curated registry
(``ingestors.domain.curated.huggingface_handles()``: organisation id, handle). The
body is a JSON list of models. Auth is optional: with ``HF_TOKEN`` set, the
token goes in an ``Authorization: Bearer`` header (never in the query, which
the snapshot sidecar records).

API notes (huggingface_hub ``HfApi.list_models`` and huggingface.js ``listModels``):

* with ``expand[]=<property>`` the Hub returns exactly those properties (plus
  ``id``, ``_id`` and ``trendingScore``); without it a listing lacks some of
  them. ``full`` is not sent: the Hub ignores it once ``expand`` is given, and
  huggingface_hub refuses to combine the two;
* ``gated`` is ``false``, ``"auto"`` or ``"manual"``; ``library_name`` and
  ``pipeline_tag`` are left out when the Hub does not know them; times are
  ISO 8601 with milliseconds and ``Z``;
* paging is by cursor: a ``Link: <url>; rel="next"`` response header gives the
  next page, whose file is ``models-<handle>.page-<n>.json``;
* an unknown handle answers 404 (or an empty list): the handle is skipped and
  the rest of the run goes on.

The fetch also writes ``handles.json`` (the registry's organisation id and
handle pairs it used) into the snapshot, so the parser is pure and a change in
the registry makes a new snapshot. The parser keeps, per file, only models
whose author is that file's handle (case-insensitive): offline, every handle is
served the same sample file, and a handle's listing should hold nothing else.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from ingestors.core import config
from ingestors.core.errors import FetchError, SourceSkipped
from ingestors.core.registry import FetchPlan, Record, Reject, Row, Source, Table
from ingestors.domain import curated

log = logging.getLogger(__name__)

NAME = "huggingface"
HOST = "huggingface.co"
MODELS_URL = f"https://{HOST}/api/models"
TOKEN_ENV = "HF_TOKEN"
PAGE_LIMIT = 1000
MAX_PAGES = 50  # per handle; a safety stop against a cursor loop
EXPAND = ("author", "downloads", "downloadsAllTime", "likes", "createdAt", "lastModified", "pipeline_tag",
          "library_name", "tags", "private", "gated")
HANDLES_FILE = "handles.json"
HANDLES_URL = "cadena:curated/huggingface_handles"  # its "origin": written by the fetch from the registry
TABLE = "models"

_HANDLE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_MODELS_FILE = re.compile(r"models-(?P<handle>.+?)(?:\.page-(?P<page>\d+))?\.json")
_NEXT_LINK = re.compile(r"<([^>]+)>\s*;[^,]*\brel=\"?next\"?", re.IGNORECASE)


class HubModel(Row):
    model_id: str
    author: str
    organization_id: str  # the curated registry's organisation id
    downloads: int | None  # the Hub's count over the last 30 days
    likes: int | None
    created_at: datetime | None
    last_modified: datetime | None
    pipeline_tag: str | None
    library_name: str | None
    tags: list[str]
    is_private: bool | None
    is_gated: bool | None
    downloads_all_time: int | None  # appended to the contract: the Hub's all-time count


# --- fetch ------------------------------------------------------------------------------------


def models_file(handle: str, page: int = 1) -> str:
    """Snapshot file of one page of a handle's listing."""
    return f"models-{handle}.json" if page == 1 else f"models-{handle}.page-{page}.json"


def next_link(link_header: str | None) -> str | None:
    """The ``rel="next"`` URL of an RFC 8288 ``Link`` header, if any."""
    m = _NEXT_LINK.search(link_header or "")
    return m[1] if m else None


def _response_headers(ctx, name: str) -> dict[str, str]:
    return ctx.response_headers(name)


def _handles() -> list[tuple[str, str]]:
    """(organisation id, handle) pairs of the registry, valid handles only, each handle once."""
    pairs: list[tuple[str, str]] = []
    seen: dict[str, str] = {}
    for organization_id, handle in curated.huggingface_handles():
        handle = (handle or "").strip()
        if not _HANDLE.fullmatch(handle):
            log.warning("%s: skipping %s: %r is not a Hub handle", NAME, organization_id, handle)
            continue
        if handle.casefold() in seen:
            log.warning("%s: handle %s is claimed by %s and %s; kept for %s",
                        NAME, handle, seen[handle.casefold()], organization_id, seen[handle.casefold()])
            continue
        seen[handle.casefold()] = organization_id
        pairs.append((organization_id, handle))
    return pairs


def _fetch_handle(ctx, handle: str, headers: dict[str, str] | None) -> None:
    url: str | None = MODELS_URL
    params: dict[str, Any] | None = {"author": handle, "limit": PAGE_LIMIT, "expand[]": list(EXPAND)}
    seen: set[str] = set()
    for page in range(1, MAX_PAGES + 1):
        name = models_file(handle, page)
        try:
            body = ctx.get(name, url, params=params, headers=headers)
        except FetchError as exc:
            if exc.status == 404 and page == 1:
                log.warning("%s: no Hub account %r (HTTP 404); skipped", NAME, handle)
                return
            raise
        url = next_link(_response_headers(ctx, name).get("link"))
        if url is None:
            if _count(body) >= PAGE_LIMIT:
                log.warning("%s: %s filled a page of %d models and no next link was seen; the listing "
                            "may be cut short", NAME, handle, PAGE_LIMIT)
            return
        if url in seen:
            raise FetchError(NAME, url, f"page {page + 1} of {handle} repeats an earlier next link")
        seen.add(url)
        params = None  # the next link carries the whole query, cursor included
    raise FetchError(NAME, MODELS_URL, f"{handle} still has a next page after {MAX_PAGES} pages")


def _count(body: bytes) -> int:
    try:
        items = json.loads(body)
    except ValueError:
        return 0  # parse() reports the bad payload with its snapshot
    return len(items) if isinstance(items, list) else 0


def fetch(ctx) -> None:
    pairs = _handles()
    if not pairs:
        raise SourceSkipped(NAME, "no organisation in the curated registry has a Hugging Face handle")
    handles = [{"organization_id": org, "handle": handle} for org, handle in pairs]
    ctx.add_file(HANDLES_FILE, json.dumps(handles, indent=2).encode(), HANDLES_URL)
    token = config.secret(TOKEN_ENV)
    headers = {"Authorization": f"Bearer {token}"} if token else None  # never in params
    for _, handle in pairs:
        _fetch_handle(ctx, handle, headers)


# --- parse ------------------------------------------------------------------------------------


def _organizations(snapshot) -> dict[str, tuple[str, str]]:
    """handle (case-folded) -> (organisation id, handle) from ``handles.json``."""
    body = snapshot.read_json(HANDLES_FILE)
    try:
        return {item["handle"].casefold(): (item["organization_id"], item["handle"]) for item in body}
    except (TypeError, KeyError, AttributeError):
        raise snapshot.error("expected a list of {organization_id, handle}", file=HANDLES_FILE) from None


def _models_files(snapshot) -> Iterator[tuple[str, str]]:
    """(file name, handle) of every listing page, in handle then page order."""
    pages = []
    for name in snapshot.names("models-"):
        if m := _MODELS_FILE.fullmatch(name):
            pages.append((m["handle"].casefold(), int(m["page"] or 1), name, m["handle"]))
    for _, _, name, handle in sorted(pages):
        yield name, handle


def _gated(value: Any) -> Any:
    """``false`` / ``"auto"`` / ``"manual"`` -> bool; anything else is left for the row model."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip():
        return value.strip().casefold() not in {"false", "no"}
    return value


def _model(item: dict, model_id: str, author: str, organization_id: str) -> dict:
    return {
        "model_id": model_id,
        "author": author,
        "organization_id": organization_id,
        "downloads": item.get("downloads"),
        "likes": item.get("likes"),
        "created_at": item.get("createdAt") or None,
        "last_modified": item.get("lastModified") or None,
        "pipeline_tag": item.get("pipeline_tag") or None,
        "library_name": item.get("library_name") or None,
        "tags": item.get("tags") or [],
        "is_private": item.get("private"),
        "is_gated": _gated(item.get("gated")),
        "downloads_all_time": item.get("downloadsAllTime"),
    }


def parse(snapshot) -> Iterator[Record | Reject]:
    organizations = _organizations(snapshot)
    for name, handle in _models_files(snapshot):
        if handle.casefold() not in organizations:
            raise snapshot.error(f"handle {handle!r} is not in {HANDLES_FILE}", file=name)
        organization_id, _ = organizations[handle.casefold()]
        body = snapshot.read_json(name)
        if isinstance(body, dict) and "error" in body:
            raise snapshot.error(f"the API answered with an error: {body['error']}", file=name)
        if not isinstance(body, list):
            raise snapshot.error(f"expected a JSON list of models, got {type(body).__name__}", file=name)
        for index, item in enumerate(body):
            if not isinstance(item, dict):
                yield Reject(TABLE, f"{name}#{index}", f"not a JSON object: {type(item).__name__}", item)
                continue
            model_id = item.get("id") or item.get("modelId")
            if not isinstance(model_id, str) or "/" not in model_id:
                yield Reject(TABLE, f"{name}#{index}", f"no 'author/name' model id: {model_id!r}", item)
                continue
            author = item.get("author") or model_id.split("/", 1)[0]
            if not isinstance(author, str) or author.casefold() != handle.casefold():
                continue  # another account's model (offline, every handle gets the same sample)
            yield Record(TABLE, _model(item, model_id, author, organization_id),
                         record_id=model_id, record_url=f"https://{HOST}/{model_id}")


SOURCE = Source(
    name=NAME,
    family="organisations",
    title="Hugging Face Hub models",
    endpoint='`huggingface.co/api/models?author=` for each registry Hub handle',
    description="Models, downloads and likes on the Hugging Face Hub of the LatAm organisations whose Hub "
                "handle is in the curated registry.",
    homepage="https://huggingface.co",
    licence="Hugging Face Hub API; each model under its own licence",
    cadence="weekly",
    tables=(
        Table(
            TABLE,
            HubModel,
            ("model_id",),
            "One row per model of a curated organisation's Hub account: downloads (last 30 days and all "
            "time), likes, creation and last-modified times, task, library, tags, gated flag.",
            # An organisation may have no public models; offline, the sample's handles are not the
            # registry's, so the table is empty there too.
            min_rows=0,
        ),
    ),
    fetch=fetch,
    parse=parse,
    plan=FetchPlan(
        max_requests=500,  # each registry Hub handle, paged (MAX_PAGES per handle)
        # The Hub rate-limits anonymous API calls per IP; two a second is gentle.
        rate_limits={HOST: 2.0},
    ),
)
