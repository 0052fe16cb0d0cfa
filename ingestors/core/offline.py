"""Offline mode: serve a source's sample snapshot files in place of the publisher.

The fetch code runs unchanged (same URLs, paging and link discovery); only the
transport underneath the HTTP client differs. A request is answered with a file of
``ingestors/samples/<source>/``:

1. the first of the source's explicit ``sample_routes`` (glob patterns over
   ``host/path`` mapped to file names) that matches, for the exceptions;
2. otherwise, by default, the sample named like the last segment of the URL path
   (``.../ip-ranges.json`` -> ``ip-ranges.json``), or that name plus an extension
   when exactly one sample has it (``.../api/fac`` -> ``fac.json``).

A request nothing matches gets a 404, so a fetch that drifts from its samples fails
loudly instead of reading the wrong file.
"""

from __future__ import annotations

import fnmatch
import glob
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
        path = self.sample_for(target)
        if path is None:
            return httpx.Response(404, text=f"no sample file for {target}")
        ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return httpx.Response(200, content=path.read_bytes(), headers={"content-type": ctype})

    def sample_for(self, target: str) -> Path | None:
        """The sample file that answers ``host/path``, or None."""
        for pattern, filename in self.routes.items():
            if fnmatch.fnmatchcase(target, pattern):
                return self.folder / filename
        last = target.rstrip("/").rsplit("/", 1)[-1]
        if last and (self.folder / last).is_file():
            return self.folder / last
        named = sorted(self.folder.glob(f"{glob.escape(last)}.*")) if last else []
        return named[0] if len(named) == 1 else None
