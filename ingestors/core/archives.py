"""Unpacking archives from a snapshot without trusting what they say about themselves.

A ZIP or gzip of a few hundred kilobytes can unpack to gigabytes (the ECB ZIP
once did: 306 KB became 1.2 GB in memory). Every unpacking here reads in
chunks and stops one byte past a cap, whatever sizes the archive declares, and
fails the source with a one-line :class:`~ingestors.core.errors.PayloadError`
naming the snapshot and file.
"""

from __future__ import annotations

import gzip
import io
import zipfile
import zlib

from ingestors.core.snapshots import Snapshot

MAX_UNPACKED_BYTES = 512 * 1024 * 1024  # one member or one gzip stream
MAX_MEMBERS = 1_000
CHUNK = 1024 * 1024


def open_zip(snapshot: Snapshot, name: str, *, max_members: int = MAX_MEMBERS) -> zipfile.ZipFile:
    """The snapshot file ``name`` as a ZIP, or a one-line payload error."""
    data = snapshot.read_bytes(name)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        head = data[:40].decode("utf-8", "replace").replace("\n", " ")
        raise snapshot.error(f"not a ZIP archive; starts {head!r}", file=name) from None
    if len(archive.infolist()) > max_members:
        raise snapshot.error(f"{len(archive.infolist())} members, over the cap of {max_members}", file=name)
    return archive


def read_member(snapshot: Snapshot, name: str, archive: zipfile.ZipFile, member: str | zipfile.ZipInfo, *,
                max_bytes: int = MAX_UNPACKED_BYTES) -> bytes:
    """One member's bytes, read in chunks and refused past ``max_bytes`` (declared size or not)."""
    info = member if isinstance(member, zipfile.ZipInfo) else archive.getinfo(member)
    if info.file_size > max_bytes:
        raise snapshot.error(f"{info.filename} unpacks to more than the cap of {max_bytes} bytes", file=name)
    out, size = [], 0
    try:
        with archive.open(info) as fh:
            while chunk := fh.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise snapshot.error(f"{info.filename} unpacks to more than the cap of {max_bytes} bytes",
                                         file=name)
                out.append(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        raise snapshot.error(f"{info.filename} cannot be unpacked ({exc})", file=name) from None
    return b"".join(out)


def check_zip_container(snapshot: Snapshot, name: str, *, max_bytes: int = MAX_UNPACKED_BYTES) -> None:
    """Refuse a ZIP-based document (an .xlsx) whose members declare more than ``max_bytes`` in all.

    For a reader (openpyxl) that unpacks the members itself; a member whose
    data outgrows its declared size fails that reader's CRC check.
    """
    with open_zip(snapshot, name) as archive:
        total = sum(i.file_size for i in archive.infolist())
    if total > max_bytes:
        raise snapshot.error(f"unpacks to {total} bytes, over the cap of {max_bytes}", file=name)


def gunzip(snapshot: Snapshot, name: str, data: bytes | None = None, *,
           max_bytes: int = MAX_UNPACKED_BYTES) -> bytes:
    """A gzip stream's content (of ``data``, or of the snapshot file ``name``), refused past ``max_bytes``."""
    data = snapshot.read_bytes(name) if data is None else data
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out, size, pending = [], 0, data
    try:
        while not inflater.eof:
            chunk = inflater.decompress(pending, CHUNK)
            pending = inflater.unconsumed_tail
            if not chunk and not pending:
                break
            size += len(chunk)
            if size > max_bytes:
                raise snapshot.error(f"unpacks to more than the cap of {max_bytes} bytes", file=name)
            out.append(chunk)
    except (zlib.error, gzip.BadGzipFile) as exc:
        raise snapshot.error(f"not a gzip stream ({exc})", file=name) from None
    if not inflater.eof:
        raise snapshot.error("gzip stream is truncated", file=name)
    return b"".join(out)
