"""Numbers as publishers write them in text cells.

Spreadsheets re-saved by hand and vendor exports write ``1,234.5`` (comma
thousands) beside ``1234.5`` and ``9.90E+22``; a decimal comma (``1,5``) is not
read as anything, because it cannot be told from a thousands separator.
"""

from __future__ import annotations

import math
import re

from ingestors.core.errors import RecordError

_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")


def parse_number(label: str, value: str) -> float | None:
    """The finite number in ``value``; ``None`` when blank. RecordError names ``label`` otherwise."""
    text = value.strip()
    if not text:
        return None
    if _THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    try:
        number = float(text)
    except ValueError:
        raise RecordError(f"{label}: not a number: {value!r}") from None
    if not math.isfinite(number):
        raise RecordError(f"{label}: not a finite number: {value!r}")
    return number
