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


def parse_prose_number(text: str) -> float:
    """A number as prose in English, Spanish or Portuguese writes it: ``"1.200"`` -> 1200, ``"2,5"`` -> 2.5,
    ``"1,234.5"`` -> 1234.5.

    A separator followed by exactly three digits groups thousands, whichever the mark (``1.200``, ``1,200``,
    ``750.000``); any other is the decimal mark (``2,5``, ``3.5``); with both, the last one is the decimal mark.
    So Mexican ``2.5`` and Colombian ``2,5`` both read 2.5. ValueError when ``text`` is not such a number.
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
