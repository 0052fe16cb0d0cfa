"""The company a funding sentence is about: known organisations first, then the sentence's shape.

:func:`find_company` reads the sentence with amounts, investor lists, round types, the dateline and an
opening connective blanked, so none of them can be taken for the company. In order:

1. **gazetteer**: a known organisation (the registry's names and aliases, plus any passed in) named in
   the sentence, before the verb if one is, else after it;
2. **apposition**: the name before an appositive ("Kuali, a São Paulo logistics startup, raised");
3. **subject**: the last name before the first verb ("La fintech mexicana Cuentaclara levantó");
4. **lower-case brand**: a lower-case word closing a descriptor ("la insurtech mexicana segurito cerró");
5. **after verb**: the first name after the verb ("... invirtió US$ 2M en Lavandia", "Con esta ronda, la
   colombiana Saludia suma").

Single-word organisations of the gazetteer are matched only when capitalised in the text, so an alias
that is also a word ("Aligned", "Ascenty") does not match "aligned".
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from ingestors.domain.funding_text.text import _STOP, _TOKEN, _is_descriptor, _name_runs, _strip_descriptors, fold
from ingestors.domain.funding_text.vocabulary import _ROUND_CUE, _ROUND_NOUN, _SUBJECT_VERB

_ARTICLES = {"a", "o", "as", "os", "la", "el", "los", "las", "the", "an", "un", "una", "um", "uma"}
_PLACE_HEAD = re.compile(r"^\s*(?:in|en|em|no|na|from|desde|de|at)\s", re.IGNORECASE)
_BEFORE_PLACE = re.compile(r"(?:\b(?:in|en|em|no|na|on|at|sede|based)\s+(?:the\s+|la\s+|el\s+|a\s+|o\s+)?)$")


class Gazetteer:
    """Known organisation names and aliases, matched case- and accent-insensitively on word boundaries."""

    def __init__(self, names: Iterable[str]) -> None:
        keys = {" ".join(fold(n).split()) for n in names if len(n.strip()) >= 3}
        self.size = len(keys)
        alternatives = "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in sorted(keys, key=len, reverse=True))
        self._pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)") if keys else None

    def find(self, text: str) -> list[tuple[int, int]]:
        """Spans of known names in ``text`` (single words only when capitalised there)."""
        if self._pattern is None:
            return []
        spans = []
        for m in self._pattern.finditer(fold(text)):
            written = text[m.start():m.end()]
            if " " in m[0] or written[:1].isupper() or any(c.isdigit() for c in written):
                spans.append((m.start(), m.end()))
        return spans


@functools.cache
def _registry_names() -> tuple[str, ...]:
    from ingestors.domain import curated  # reads warehouse/registry: only when a gazetteer is asked for

    return tuple(name for entry in curated.valid_entries()  # a broken file fails only the registry itself
                 for name in (entry.organization.name, *entry.organization.aliases))


def load_gazetteer(extra: Iterable[str] = ()) -> Gazetteer:
    """The curated registry's organisation names and aliases, plus ``extra`` names (YC, resolved, discovered)."""
    extra = tuple(extra)
    return Gazetteer([*_registry_names(), *extra]) if extra else _registry_gazetteer()


@functools.cache
def _registry_gazetteer() -> Gazetteer:
    return Gazetteer(_registry_names())


def _only_name(head: str) -> str | None:
    """``head`` when it is nothing but a name after descriptors: "A Kash" -> "Kash"."""
    runs = _name_runs(head)
    if len(runs) == 1 and head.strip().endswith(runs[0][0].split()[-1]):
        leading = head[:runs[0][1]]
        if all(fold(t[0]) in _STOP or _is_descriptor(t[0]) for t in _TOKEN.finditer(leading)):
            return runs[0][0]
    return None


def _lowercase_brand(prefix: str) -> str | None:
    """"la insurtech mexicana segurito", "neobank cuentita", "a trampo, plataforma de freelancers,": a
    lower-case word right after a descriptor (one adjective may sit between), or alone before an appositive
    that opens with one."""
    head, comma, rest = prefix.partition(",")
    words = [t[0] for t in _TOKEN.finditer(head)]
    if not words:
        return None
    last, before = words[-1], words[:-1]
    if not (last.islower() and len(last) > 2 and fold(last) not in _STOP and not _is_descriptor(last)
            and not _ROUND_NOUN.fullmatch(fold(last))):
        return None
    if any(_is_descriptor(w) for w in before[-2:]):
        return last
    opening = [t[0] for t in _TOKEN.finditer(rest) if fold(t[0]) not in _ARTICLES][:1]
    if comma and all(fold(w) in _STOP for w in before) and opening and _is_descriptor(opening[0]):
        return last
    return None


def find_company(masked: str, gazetteer: Gazetteer | None = None) -> tuple[str | None, str | None]:
    """(company, how it was found) for a funding sentence with amounts, investor lists, round types and its
    lead-in blanked; (None, None) when it names none."""
    folded = fold(masked)
    anchor = _SUBJECT_VERB.search(folded) or _ROUND_CUE.search(folded)
    cut = anchor.start() if anchor else len(masked)
    if gazetteer is not None:
        hits = gazetteer.find(masked)
        before = [h for h in hits if h[1] <= cut]
        after = [h for h in hits if h[0] >= cut and not _BEFORE_PLACE.search(folded[max(0, h[0] - 12):h[0]])]
        if before or after:
            start, end = before[-1] if before else after[0]
            return masked[start:end], "gazetteer"
    prefix = masked[:cut]
    head, comma, _ = prefix.partition(",")
    if comma and not _PLACE_HEAD.match(head):
        if name := _only_name(head):
            return name, "apposition"
        if runs := _name_runs(head):
            return runs[-1][0], "subject"
    runs = _name_runs(prefix[len(head) + 1:] if comma and _PLACE_HEAD.match(head) else prefix)
    if runs:
        return runs[-1][0], "subject"
    if brand := _lowercase_brand(prefix):
        return brand, "lower-case brand"
    after_runs = _name_runs(masked[cut:], cut)
    return (after_runs[0][0], "after verb") if after_runs else (None, None)


def strip_descriptors(name: str) -> str:
    """``name`` without leading descriptors ("Brazilian fintech Kuali" -> "Kuali")."""
    return " ".join(_strip_descriptors(name.split())) or name
