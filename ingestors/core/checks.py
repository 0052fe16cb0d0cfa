"""What every raw row must be before it is stored: clean, bounded, plausible.

:class:`ingestors.core.registry.Row` runs these on every record, so a source
gets them by naming its fields as the rest of the project does. A record that
fails one goes to quarantine with the reason, e.g.
``record: Value error, latitude: 999.0 is outside -90..90``.

Before validation (:func:`prepare`):

* control characters are stripped from text (tab and newline kept; a carriage
  return becomes a newline);
* an ISO 8601 string for a ``date`` / ``datetime`` field is parsed explicitly:
  models are otherwise *strict* (no ``"12"`` for an int, no ``1`` for a bool).

After validation (:func:`plausible`), by field name:

* text: at most :data:`NAME_CAP` characters for a name, title or label,
  ``Row.text_cap`` (20,000) for any other text, :data:`LIST_CAP` items a list;
* ``*country_iso2*``: an ISO 3166-1 alpha-2 code (``XX`` and ``ZZ`` are not);
  ``currency`` / ``currency_code``: an ISO 4217 code, current or historic;
* ``latitude`` / ``longitude``: on the globe;
* ``mw`` / ``*_mw``: 0 to 50,000 MW; prices (``*_price``, ``usd_per_*``): 0 to
  10 million; amounts (``amount*``, ``total_*_amount*``, ``*cost_usd``,
  ``total_remaining``, ``minimum_investment_accepted``): 0 to 1e12 USD;
  counts (``*_count``, downloads, cores ...): not negative; ``confidence``: 0 to 1;
* years: 1000 to ten years ahead; dates: from the year 1000 to
  ``Row.horizon_days`` past today, or 15 years for a planned date
  (:data:`PLANNED_DATES`). NaN and infinity never pass (``allow_inf_nan=False``).
"""

from __future__ import annotations

import math
import re
import types
import typing
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ingestors.core.iso import COUNTRIES, CURRENCIES

NAME_CAP = 1_000
LIST_CAP = 10_000
PLANNED_DATES = frozenset({"first_operational_date", "decommissioned_date", "effective_start_date", "rfs_date",
                           "sale_date", "effective_time"})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
COUNTS = frozenset({
    "downloads", "downloads_all_time", "likes", "team_size", "vcpu", "total_cores", "accelerator_cores",
    "ai_works", "chip_quantity", "total_ai_chips", "h100_equivalents", "total_number_already_invested",
    "memory_gib", "gpu_memory_gib", "parameters", "training_compute_flop", "training_dataset_size", "length_km",
    "rmax_tflops", "rpeak_tflops", "power_kw", "tier_minimum_units",
})
AMOUNTS = frozenset({"total_remaining", "minimum_investment_accepted", "total_offering_amount", "total_amount_sold"})


def clean_text(value: str) -> str:
    """Text without control characters; a carriage return (alone or before a newline) becomes a newline."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", value)


def _base(annotation: Any) -> Any:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(annotation) if a is not type(None)]
        return inner[0] if len(inner) == 1 else annotation
    return annotation


def prepare(model: type, data: Any) -> Any:
    """Strip control characters and parse ISO date strings, before strict validation."""
    if not isinstance(data, dict):
        return data
    fields = model.model_fields
    out = {}
    for key, value in data.items():
        base = _base(fields[key].annotation) if key in fields else None
        if isinstance(value, str):
            value = clean_text(value)
            if base is datetime or base is date:
                value = _parse_iso(value, base)
        elif isinstance(value, list):
            value = [clean_text(v) if isinstance(v, str) else v for v in value]
        out[key] = value
    return out


def _parse_iso(text: str, kind: type) -> Any:
    stripped = text.strip()
    try:
        if kind is date:
            return date.fromisoformat(stripped)
        parsed = datetime.fromisoformat(stripped)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except ValueError:
        return text  # strict validation then names the field and the value


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _between(name: str, value: float, low: float, high: float) -> None:
    if not (low <= value <= high):
        raise ValueError(f"{name}: {value!r} is outside {low:g}..{high:g}")


def check_field(name: str, value: Any, *, horizon_days: int, text_cap: int, today: date) -> None:
    """Raise ``ValueError("<field>: <why>")`` when ``value`` is implausible for a field called ``name``."""
    if value is None:
        return
    if isinstance(value, list):
        if len(value) > LIST_CAP:
            raise ValueError(f"{name}: {len(value)} items, over the cap of {LIST_CAP}")
        for item in value:
            check_field(name, item, horizon_days=horizon_days, text_cap=text_cap, today=today)
        return
    if isinstance(value, str):
        cap = NAME_CAP if (name in ("name", "title", "label") or name.endswith(("_name", "_title", "_label"))) \
            else text_cap
        if len(value) > cap:
            raise ValueError(f"{name}: {len(value)} characters, over the cap of {cap}")
        if "country_iso2" in name and value not in COUNTRIES:
            raise ValueError(f"{name}: {value!r} is not an ISO 3166-1 alpha-2 country code")
        if name in ("currency", "currency_code") and value not in CURRENCIES:
            raise ValueError(f"{name}: {value!r} is not an ISO 4217 currency code")
        return
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{name}: {value!r} is not a finite number")
    if isinstance(value, datetime | date):
        day = value.date() if isinstance(value, datetime) else value
        ahead = 15 * 366 if name in PLANNED_DATES else horizon_days
        if day.year < 1000 or day > today + timedelta(days=ahead):
            raise ValueError(f"{name}: {day.isoformat()} is not plausible (more than {ahead} days ahead, "
                             "or before the year 1000)")
        return
    if not _number(value):
        return
    if name == "latitude":
        _between(name, value, -90, 90)
    elif name == "longitude":
        _between(name, value, -180, 180)
    elif name == "mw" or name.endswith("_mw"):
        _between(name, value, 0, 50_000)
    elif name.endswith("price") or name.startswith("usd_per_"):
        _between(name, value, 0, 1e7)
    elif name.startswith("amount") or name in AMOUNTS or name.endswith("cost_usd"):
        _between(name, value, 0, 1e12)
    elif name.endswith("_count") or name in COUNTS:
        _between(name, value, 0, 1e30)
    elif name == "confidence":
        _between(name, value, 0, 1)
    elif name == "units_per_eur":
        _between(name, value, 1e-9, 1e9)
    elif name in ("year", "founded", "year_of_inc") or name.endswith("_year"):
        _between(name, value, 1000, today.year + 10)


def plausible(row: Any, *, horizon_days: int, text_cap: int, today: date | None = None) -> None:
    today = today or datetime.now(UTC).date()
    for name in type(row).model_fields:
        check_field(name, getattr(row, name), horizon_days=horizon_days, text_cap=text_cap, today=today)
