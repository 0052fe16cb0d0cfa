"""Offline mode: serve a source's sample snapshot files in place of the publisher.

The fetch code runs unchanged (same URLs, paging and link discovery); only the
transport underneath the HTTP client differs. Each source declares
``sample_routes``: glob patterns over ``host/path`` mapped to files in
``ingestors/samples/<source>/``. A request nothing matches gets a 404, so a
fetch that drifts from its samples fails loudly instead of reading the wrong file.
"""

from __future__ import annotations

import fnmatch
import mimetypes
from collections.abc import Mapping
from pathlib import Path

import httpx

SAMPLES_DIR = Path(__file__).resolve().parents[1] / "samples"


class SampleTransport(httpx.BaseTransport):
    def __init__(self, source: str, routes: Mapping[str, str], samples_dir: Path = SAMPLES_DIR):
        self.folder = samples_dir / source
        self.routes = dict(routes)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        target = f"{request.url.host}{request.url.path}"
        for pattern, filename in self.routes.items():
            if fnmatch.fnmatchcase(target, pattern):
                path = self.folder / filename
                ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return httpx.Response(200, content=path.read_bytes(), headers={"content-type": ctype})
        return httpx.Response(404, text=f"no sample file for {target}")
