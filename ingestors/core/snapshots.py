"""The raw snapshot store: immutable files plus a sidecar describing their origin.

Layout, one folder per fetch that brought something new::

    warehouse/raw/<source>/<snapshot_id>/
        _snapshot.json        sidecar: source, retrieved_at, licence, sample flag,
                              and per file: url, query, HTTP status, kept headers,
                              sha256, size
        <file> ...            the payloads exactly as the publisher sent them, gzip-compressed
                              on disk when that saves space (the sidecar's ``stored``)

A snapshot id is ``<UTC time>-<first 10 hex of the content hash>``, so ids sort
by time. The content hash covers every file's name and sha256 (except files
marked volatile, such as a download page that only points to the data): a fetch whose
content hash equals the latest snapshot's is *unchanged*, writes nothing new,
and hands back the latest snapshot.

Payloads are compressed on disk (gzip, stdlib: ``zstandard`` is not a dependency) when it saves at
least a tenth of their size; a file's ``sha256`` and ``size`` in the sidecar are always those of the
bytes the publisher sent, and :meth:`Snapshot.read_bytes` hands those bytes back. Payloads that are
already compressed (ZIP, gzip) and tiny files stay as they are, and so do snapshots written before
compression existed (no ``stored`` in their sidecar): both read as plain files.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import os
import shutil
import uuid
import zipfile
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ingestors.core.errors import PayloadError

SIDECAR = "_snapshot.json"
BLOBS = "_blobs"  # one hard link per distinct payload, shared by the snapshots that hold it
GZIP = "gzip"
COMPRESS_LEVEL = 6  # gzip's default: a 150 MB JSON price file compresses ~10x in a few seconds
COMPRESS_MIN_BYTES = 512
ALREADY_COMPRESSED = (b"PK\x03\x04", b"\x1f\x8b", b"\x28\xb5\x2f\xfd", b"BZh", b"\xfd7zXZ")


def encode(content: bytes) -> tuple[bytes, str]:
    """The bytes to keep on disk for a payload and how they are stored ("gzip" or "plain")."""
    if len(content) < COMPRESS_MIN_BYTES or content.startswith(ALREADY_COMPRESSED):
        return content, "plain"
    packed = gzip.compress(content, compresslevel=COMPRESS_LEVEL, mtime=0)
    return (packed, GZIP) if len(packed) <= 0.9 * len(content) else (content, "plain")


def decode(stored_bytes: bytes, stored: str) -> bytes:
    return gzip.decompress(stored_bytes) if stored == GZIP else stored_bytes


@dataclass(frozen=True)
class SnapshotFile:
    name: str
    url: str
    query: dict[str, Any]
    status: int
    headers: dict[str, str]
    sha256: str
    size: int
    volatile: bool = False  # left out of the content hash (e.g. a download page that only points to the data)
    stored: str = "plain"  # how the file sits on disk: "plain" or "gzip" (sha256 and size are of the payload)


@dataclass(frozen=True)
class Snapshot:
    source: str
    snapshot_id: str
    path: Path
    retrieved_at: datetime
    licence: str
    sample: bool
    content_sha256: str
    files: tuple[SnapshotFile, ...]
    unchanged: bool = False

    def file(self, name: str) -> SnapshotFile:
        for f in self.files:
            if f.name == name:
                return f
        raise PayloadError(self.source, self.snapshot_id, f"file {name!r} is missing from the snapshot")

    def names(self, prefix: str = "") -> list[str]:
        return sorted(f.name for f in self.files if f.name.startswith(prefix))

    def read_bytes(self, name: str) -> bytes:
        """The payload as the publisher sent it (decompressed when it is stored compressed)."""
        info = self.file(name)
        return decode((self.path / name).read_bytes(), info.stored)

    def read_json(self, name: str) -> Any:
        """Decode a JSON file, or fail the source with a one-line reason."""
        data = self.read_bytes(name)
        try:
            return json.loads(data)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            head = data[:40].decode("utf-8", "replace").replace("\n", " ")
            why = exc.msg if isinstance(exc, json.JSONDecodeError) else exc
            raise PayloadError(self.source, self.snapshot_id, f"not JSON ({why}); starts {head!r}", file=name) from None

    def head(self, name: str, data: bytes | None = None) -> str:
        """The first 40 characters of a file, for error messages."""
        data = self.read_bytes(name) if data is None else data
        return data[:40].decode("utf-8", "replace").replace("\n", " ")

    def read_text(self, name: str, *, data: bytes | None = None, member: str | None = None,
                  markup_ok: bool = False, expected: str = "text data") -> str:
        """Decode UTF-8 text (a byte-order mark dropped), or fail the source with a one-line reason.

        ``data`` and ``member`` read bytes already taken out of the file (a ZIP member). Unless
        ``markup_ok``, a body that starts like HTML or XML is refused: a publisher's error page
        served with status 200 where a data file was expected.
        """
        data = self.read_bytes(name) if data is None else data
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            reason = f"{member} is not UTF-8 text" if member else "not UTF-8 text"
            raise self.error(f"{reason} ({exc.reason} at byte {exc.start})", file=name) from None
        if not markup_ok and text.lstrip()[:1] == "<":
            head = text.lstrip()[:40].replace("\n", " ")
            prefix = f"{member}: " if member else ""
            raise self.error(f"{prefix}got HTML or XML, not {expected}; starts {head!r}", file=name)
        if expected in ("CSV", "TSV"):
            self._check_not_cut(name, text, "\t" if expected == "TSV" else ",")
        return text

    def _check_not_cut(self, name: str, text: str, delimiter: str) -> None:
        """A CSV cut off mid-transfer ends inside a row: no line end, and fewer fields than the header."""
        if not text or text.endswith(("\n", "\r")):
            return
        lines = text.splitlines()
        first, last = (next(csv.reader([line], delimiter=delimiter), []) for line in (lines[0], lines[-1]))
        if len(lines) > 1 and len(last) < len(first):
            raise self.error(f"truncated: the last line has {len(last)} of {len(first)} fields and no line end",
                             file=name)

    def read_csv(self, name: str, *, data: bytes | None = None, member: str | None = None,
                 delimiter: str = ",", quoting: int = csv.QUOTE_MINIMAL) -> list[list[str]]:
        """The rows of a UTF-8 CSV (or TSV) file, header first; see :meth:`read_text` for the checks."""
        text = self.read_text(name, data=data, member=member, expected="CSV" if delimiter == "," else "TSV")
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quoting=quoting))

    def open_zip(self, name: str, *, max_members: int = 64, max_bytes: int = 2 * 1024**3) -> zipfile.ZipFile:
        """A ZIP file of the snapshot, refused when it is not one or when it would unpack to more than
        ``max_members`` files or ``max_bytes`` (as its directory declares; members are read capped too)."""
        data = self.read_bytes(name)
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            raise self.error(f"not a ZIP archive; starts {self.head(name, data)!r}", file=name) from None
        members = archive.infolist()
        if len(members) > max_members:
            raise self.error(f"{len(members)} members, over the cap of {max_members}", file=name)
        declared = sum(m.file_size for m in members)
        if declared > max_bytes:
            raise self.error(f"unpacks to {declared:,} bytes, over the cap of {max_bytes:,}", file=name)
        return archive

    def url_of(self, name: str) -> str:
        return self.file(name).url

    def error(self, reason: str, *, file: str | None = None) -> PayloadError:
        return PayloadError(self.source, self.snapshot_id, reason, file=file)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _content_hash(files: Mapping[str, str]) -> str:
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(f"{name}\0{files[name]}\n".encode())
    return digest.hexdigest()


class SnapshotStore:
    """Reads and writes the snapshots of every source under one root."""

    def __init__(self, root: Path):
        self.root = root

    def source_dir(self, source: str) -> Path:
        return self.root / source

    @property
    def blobs_dir(self) -> Path:
        return self.root / BLOBS

    def share(self, path: Path, sha256: str, stored: str = "plain") -> None:
        """Store each distinct payload once: a file whose bytes an earlier snapshot already holds becomes
        a hard link to that copy (``raw/_blobs/<sha256>``, ``<sha256>.gz`` when compressed: a plain copy
        from before compression is never linked under a compressed file's name), so a daily snapshot of an
        unchanged 150 MB price file beside one changed file costs the changed file only."""
        blob = self.blob(sha256, stored)
        try:
            if blob.is_file() and blob.stat().st_ino == path.stat().st_ino:
                return  # linked already (link_known)
            if blob.is_file():
                link = path.with_name(f".{path.name}.link")
                os.link(blob, link)
                os.replace(link, path)
            else:
                blob.parent.mkdir(parents=True, exist_ok=True)
                os.link(path, blob)
        except OSError:  # a filesystem without hard links: keep the plain copy
            pass

    def blob(self, sha256: str, stored: str) -> Path:
        return self.blobs_dir / sha256[:2] / (sha256 + (".gz" if stored == GZIP else ""))

    def link_known(self, sha256: str, path: Path) -> str | None:
        """Hard-link ``path`` to the stored copy of a payload seen before; how it is stored, or None."""
        for stored in (GZIP, "plain"):
            blob = self.blob(sha256, stored)
            if blob.is_file():
                try:
                    os.link(blob, path)
                    return stored
                except OSError:
                    return None
        return None

    def sweep_blobs(self) -> int:
        """Drop stored payloads no snapshot uses any more (after snapshots were pruned); returns how many."""
        dropped = 0
        for blob in self.blobs_dir.glob("*/*") if self.blobs_dir.is_dir() else ():
            if blob.stat().st_nlink == 1:
                blob.unlink()
                dropped += 1
        return dropped

    def list(self, source: str) -> list[str]:
        folder = self.source_dir(source)
        if not folder.is_dir():
            return []
        return sorted(p.name for p in folder.iterdir() if p.is_dir() and (p / SIDECAR).is_file())

    def latest(self, source: str) -> Snapshot | None:
        ids = self.list(source)
        return self.open(source, ids[-1]) if ids else None

    def open(self, source: str, snapshot_id: str) -> Snapshot:
        path = self.source_dir(source) / snapshot_id
        meta = json.loads((path / SIDECAR).read_text())
        return Snapshot(
            source=meta["source"],
            snapshot_id=meta["snapshot_id"],
            path=path,
            retrieved_at=datetime.fromisoformat(meta["retrieved_at"]),
            licence=meta["licence"],
            sample=meta["sample"],
            content_sha256=meta["content_sha256"],
            files=tuple(SnapshotFile(**f) for f in meta["files"]),
        )

    def writer(self, source: str, *, licence: str, sample: bool) -> SnapshotWriter:
        return SnapshotWriter(self, source, licence=licence, sample=sample)


@dataclass
class SnapshotWriter:
    """Collects the files of one fetch in a temporary folder, then commits them."""

    store: SnapshotStore
    source: str
    licence: str
    sample: bool
    retrieved_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    files: dict[str, SnapshotFile] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.tmp = self.store.source_dir(self.source) / f".tmp-{uuid.uuid4().hex}"
        self.tmp.mkdir(parents=True)

    def add(self, name: str, *, url: str, query: Mapping[str, Any] | None, status: int,
            headers: Mapping[str, str], content: bytes, volatile: bool = False) -> None:
        if "/" in name or name.startswith(".") or name == SIDECAR:
            raise ValueError(f"bad snapshot file name {name!r}")
        if name in self.files:
            raise ValueError(f"{self.source}: file {name!r} written twice in one snapshot")
        sha256 = _sha256(content)
        stored = self.store.link_known(sha256, self.tmp / name)  # a payload stored before: no recompression
        if stored is None:
            on_disk, stored = encode(content)
            (self.tmp / name).write_bytes(on_disk)
        self.files[name] = SnapshotFile(
            name=name, url=url, query=dict(query or {}), status=status, headers=dict(headers),
            sha256=sha256, size=len(content), volatile=volatile, stored=stored,
        )

    def discard(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    def commit(self) -> Snapshot:
        """Keep the snapshot, or hand back the latest one if nothing changed."""
        if not self.files:
            self.discard()
            raise ValueError(f"{self.source}: a fetch wrote no files")
        content = _content_hash({n: f.sha256 for n, f in self.files.items() if not f.volatile})
        latest = self.store.latest(self.source)
        if latest is not None and latest.content_sha256 == content:
            self.discard()
            return Snapshot(**{**latest.__dict__, "unchanged": True})
        snapshot_id = f"{self.retrieved_at:%Y%m%dT%H%M%S%fZ}-{content[:10]}"
        meta = {
            "source": self.source,
            "snapshot_id": snapshot_id,
            "retrieved_at": self.retrieved_at.isoformat(),
            "licence": self.licence,
            "sample": self.sample,
            "content_sha256": content,
            "files": [asdict(self.files[n]) for n in sorted(self.files)],
        }
        (self.tmp / SIDECAR).write_text(json.dumps(meta, indent=2, sort_keys=True))
        for name, info in self.files.items():
            self.store.share(self.tmp / name, info.sha256, info.stored)
        final = self.store.source_dir(self.source) / snapshot_id
        os.replace(self.tmp, final)
        return self.store.open(self.source, snapshot_id)
