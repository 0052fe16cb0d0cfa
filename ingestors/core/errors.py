"""Errors an ingestor raises. Each renders as one line naming source and snapshot."""

from __future__ import annotations


class CadenaError(Exception):
    """Base class for every error Cadena raises on purpose."""


class SourceSkipped(CadenaError):
    """The source cannot run here (a key or login is missing). Not a failure."""

    def __init__(self, source: str, reason: str):
        super().__init__(f"{source}: skipped: {reason}")
        self.source = source
        self.reason = reason


class FetchError(CadenaError):
    """The publisher could not be reached or answered with an error."""

    def __init__(self, source: str, url: str, reason: str, *, status: int | None = None):
        super().__init__(f"{source}: fetch failed for {url}: {reason}")
        self.source = source
        self.url = url
        self.reason = reason
        self.status = status  # the HTTP status when the server answered


class PayloadError(CadenaError):
    """A payload is wholly wrong (HTML instead of JSON, truncated, a required field gone).

    The whole source fails and its last good tables stay as they were.
    """

    def __init__(self, source: str, snapshot_id: str, reason: str, *, file: str | None = None):
        where = f"{snapshot_id}/{file}" if file else snapshot_id
        super().__init__(f"{source}: bad payload in snapshot {where}: {reason}")
        self.source = source
        self.snapshot_id = snapshot_id
        self.reason = reason


class RecordError(ValueError):
    """One record cannot be used; it goes to quarantine with this reason."""


class InternalError(CadenaError):
    """An exception that is not Cadena's own (a bug, a full disk): one line, the traceback in a log file."""

    def __init__(self, source: str, exc: BaseException, log_file: str):
        first = (str(exc).splitlines() or [""])[0][:300]
        super().__init__(f"{source}: internal error: {type(exc).__name__}: {first} (traceback in {log_file})")
        self.source = source
        self.log_file = log_file
