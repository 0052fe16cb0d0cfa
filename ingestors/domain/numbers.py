"""Numbers, dates and timestamps as publishers write them: the one parser of each that every source uses.

Numbers. Spreadsheets re-saved by hand and vendor exports write ``1,234.5`` (comma
thousands) beside ``1234.5`` and ``9.90E+22``; a decimal comma (``1,5``) is not read as
anything, because it cannot be told from a thousands separator. JSON numbers arrive as
``int``/``float``; a boolean is never a number. NaN and infinities are refused.

Dates. Each publisher has its own formats (ECB ``2025-05-09``, Epoch ``3/14/2024`` or
``2024-03``, SEC ``14-MAR-2024``); a source names its formats, as ``strptime`` patterns,
and an impossible date (``2024-02-30``) is refused like a malformed one. A format without a
day (``%Y-%m``) gives the first of the month.

Timestamps. RFC 3339 / ISO 8601, ``Z`` or an offset, more than six fractional digits
(Google's nanoseconds) cut to six; a timestamp without a zone is taken as UTC.

Prose numbers (:func:`parse_prose_number`, for news text in English, Spanish and Portuguese):
a separator followed by exactly three digits groups thousands, any other is the decimal mark,
so Mexican ``2.5`` and Colombian ``2,5`` both read 2.5 and ``1.200`` reads 1200.

Every refusal is a :class:`RecordError` naming the field (``label``) and the value, so the
record goes to quarantine with that reason.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from ingestors.core.errors import RecordError

_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")
_FRACTION = re.compile(r"(\.\d{6})\d+")
ISO_DATE = ("%Y-%m-%d",)


def parse_number(label: str, value: Any, *, minimum: float | None = None, positive: bool = False,
                 prefix: str = "") -> float | None:
    """The finite number in ``value``; ``None`` when blank or None.

    ``minimum`` refuses smaller values (``0`` for counts and prices), ``positive`` refuses zero
    and below (exchange rates); ``prefix`` is a symbol the publisher writes before the figure
    (SEC amounts: ``$``).
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise RecordError(f"{label}: not a number: {value!r}")
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        text = value.strip()
        if prefix and text.startswith(prefix):
            text = text[len(prefix):]
        if not text:
            return None
        if _THOUSANDS.fullmatch(text):
            text = text.replace(",", "")
        try:
            number = float(text)
        except ValueError:
            raise RecordError(f"{label}: not a number: {value!r}") from None
    else:
        raise RecordError(f"{label}: not a number: {value!r}")
    if not math.isfinite(number):
        raise RecordError(f"{label}: not a finite number: {value!r}")
    if positive and number <= 0:
        raise RecordError(f"{label}: not a positive number: {value!r}")
    if minimum is not None and number < minimum:
        raise RecordError(f"{label}: below {minimum:g}: {value!r}")
    return number


def parse_int(label: str, value: Any, *, minimum: int | None = None) -> int | None:
    """A whole number (``12``, ``"12"``, ``12.0``); ``None`` when blank."""
    number = parse_number(label, value, minimum=minimum)
    if number is None:
        return None
    if not number.is_integer():
        raise RecordError(f"{label}: not a whole number: {value!r}")
    return int(number)


def parse_date(label: str, value: Any, formats: Sequence[str] = ISO_DATE) -> date | None:
    """The date in ``value`` in one of ``formats`` (tried in order); ``None`` when blank."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    shown = " or ".join(f.replace("%Y", "YYYY").replace("%m", "MM").replace("%d", "DD").replace("%b", "MON")
                        .replace("%y", "YY") for f in formats)
    raise RecordError(f"{label}: not a date ({shown}): {value!r}")


def parse_timestamp(label: str, value: Any) -> datetime | None:
    """An RFC 3339 / ISO 8601 timestamp as an aware UTC datetime; ``None`` when blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = _FRACTION.sub(r"\1", str(value).strip()).replace("Z", "+00:00").replace("z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise RecordError(f"{label}: not an RFC 3339 timestamp: {value!r}") from None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_prose_number(text: str) -> float:
    """A number as prose in English, Spanish or Portuguese writes it: ``"1.200"`` -> 1200, ``"2,5"`` -> 2.5,
    ``"1,234.5"`` -> 1234.5.

    A separator followed by exactly three digits groups thousands, whichever the mark (``1.200``, ``1,200``,
    ``750.000``); any other is the decimal mark (``2,5``, ``3.5``); with both, the last one is the decimal mark.
    ValueError when ``text`` is not such a number.
    """
    text = text.strip()
    separators = [c for c in text if c in ".,"]
    if not separators:
        return float(text)
    if len(set(separators)) == 2:
        decimal = separators[-1]
        thousands = "," if decimal == "." else "."
        return float(text.replace(thousands, "").replace(decimal, "."))
    sep = separators[0]
    groups = text.split(sep)
    if len(groups) > 2 or len(groups[-1]) == 3:
        return float(text.replace(sep, ""))
    return float(text.replace(sep, "."))
