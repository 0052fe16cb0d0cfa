"""Amounts of money and their currencies as the region's press writes them.

* **Numbers.** A separator followed by exactly three digits groups thousands
  (``1.200 millones``, ``1,200``, ``US$ 750.000``); any other is the decimal
  mark (``2,5 millones``, ``$3.5 million``, ``R$ 1,2 bilhão``); with both, the
  last one is the decimal mark (``ingestors.domain.numbers.parse_prose_number``).
  This holds across the three languages, so Mexican ``2.5`` and Colombian ``2,5`` both read 2.5.
* **Scales.** ``mil`` is a thousand (``R$ 500 mil``), ``mil millones`` /
  ``millardo`` / ``billion`` / ``bn`` / ``bi`` / ``bilhão`` a thousand million;
  ``M``, ``MM``, ``mn``, ``mi``, ``milhões``, ``millones`` a million; Spanish
  ``billón`` is 10^12, as Spanish has it. ``mdd`` and ``mdp`` (Mexican press)
  are millions of US dollars and of Mexican pesos.
* **Currency.** ISO 4217 codes. ``US$``, ``U$S``, ``u$d``, ``USD``, ``USD$``,
  ``dólares`` are USD, also glued to the figure (``USD3M``, ``USD514.7 million``);
  ``R$`` and ``reais`` BRL; ``MXN``, ``MX$`` and ``mdp`` MXN; ``S/`` PEN; ``€``
  EUR; ``pesos mexicanos`` and the like their country's peso. A bare ``$`` is
  USD in English text only: Argentine, Chilean, Colombian and Mexican press write
  their pesos as ``$`` ("$ 350 millones", "$ 4.000 millones"), so in Spanish or
  Portuguese (or an unknown language) the currency is left null rather than
  guessed; "$15 millones de dólares" says USD. ``pesos`` without a country is
  null as well. A figure with no currency keeps currency null.
* **Asides.** A conversion given in passing right after a figure ("R$ 40
  million (about US$ 8 million)", "COP 20 billion, roughly $5 million") is marked
  ``aside``: it restates the figure before it and is never the round's amount.
* **Amounts.** ``amount`` is the figure as stated, in units of the currency:
  the cap for "up to / hasta / até", the lower bound for a range
  (``US$ 5-7 millones``, "between $20M and $25M"). ``low`` / ``high`` hold the
  bounds the text states (both for an exact figure or a range, the cap alone for
  "up to", the floor alone for "more than"; none for "about").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ingestors.domain.funding_text.text import fold
from ingestors.domain.numbers import parse_prose_number

_SCALES = {
    "thousand": 1e3, "mil": 1e3, "k": 1e3,
    "million": 1e6, "millions": 1e6, "millon": 1e6, "millones": 1e6, "milhao": 1e6, "milhoes": 1e6,
    "mn": 1e6, "mm": 1e6, "m": 1e6, "mi": 1e6, "mln": 1e6, "mdd": 1e6, "mdp": 1e6,
    "billion": 1e9, "billions": 1e9, "bn": 1e9, "b": 1e9, "bi": 1e9, "bilhao": 1e9, "bilhoes": 1e9,
    "millardo": 1e9, "millardos": 1e9, "mil millones": 1e9, "mil millon": 1e9, "mil milhoes": 1e9,
    "billon": 1e12, "billones": 1e12, "trillion": 1e12, "trillions": 1e12, "trilhao": 1e12, "trilhoes": 1e12,
    "tri": 1e12,
}
_WORD_NUMBERS = {"un": 1.0, "um": 1.0, "one": 1.0, "medio": 0.5, "meio": 0.5, "half a": 0.5}

_CODES = ("USD", "BRL", "MXN", "COP", "CLP", "ARS", "PEN", "UYU", "EUR", "GBP")
_PREFIX = (r"(?<![A-Za-z])(?P<pre>USD\s?\$|US\s?\$|U\$[SD]|U\$|R\$|MX\$|" + "|".join(_CODES)
           + r"|S/\.?|€|£|CA\$|C\$|\$)")
# A number stands alone, or is glued to a code ("USD3M", "USD514.7 million": press releases and newsletters).
_GLUED = "".join(f"(?<={code})" + ("|" if i < len(_CODES) - 1 else "") for i, code in enumerate(_CODES))
_NUMBER = (rf"(?:{_GLUED}|(?<![\w.,]))(?P<num>\d{{1,3}}(?:[.,]\d{{3}})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
           r"|un|um|one|medio|meio|half a)")
_SCALE = (r"(?P<scale>mil\s+mill[oó]n(?:es)?|mil\s+milh(?:õ|o)es|mill[oó]n(?:es)?|milh(?:ão|ao|ões|oes)|millions?"
          r"|billions?|bilh(?:ão|ao|ões|oes)|bill[oó]n(?:es)?|trillions?|trilh(?:ão|ao|ões|oes)|millardos?"
          r"|thousand|mil|mdd|mdp|mln|mn|mm|mi|bn|bi|tri|k|m|b)(?![\w$])")
_SUFFIX = (r"(?P<suf>(?:de\s+)?(?:d[oó]lares(?:\s+(?:estadounidenses|americanos|canadienses|australianos))?|dollars"
           r"|reais|euros|pesos(?:\s+(?:mexicanos|colombianos|chilenos|argentinos|uruguayos))?|soles|libras)"
           r"|USD|US\$|BRL|MXN|COP|CLP|ARS|PEN|EUR)(?![\w$])")
_MONEY = re.compile(rf"(?:{_PREFIX}\s?)?{_NUMBER}(?:\s?{_SCALE})?(?:\s+{_SUFFIX})?", re.IGNORECASE)

_PREFIX_CURRENCY = {
    "us$": "USD", "u$s": "USD", "u$d": "USD", "usd$": "USD", "u$": "USD", "usd": "USD", "r$": "BRL", "brl": "BRL",
    "mxn": "MXN", "mx$": "MXN", "cop": "COP", "clp": "CLP", "ars": "ARS", "pen": "PEN", "uyu": "UYU", "s/": "PEN",
    "eur": "EUR", "€": "EUR", "gbp": "GBP", "£": "GBP", "ca$": "CAD", "c$": "CAD",
}
_SUFFIX_CURRENCY = {"dolares": "USD", "dollars": "USD", "dolares estadounidenses": "USD", "dolares americanos": "USD",
                    "dolares canadienses": "CAD", "dolares australianos": "AUD", "reais": "BRL", "euros": "EUR",
                    "soles": "PEN", "libras": "GBP", "pesos mexicanos": "MXN", "pesos colombianos": "COP",
                    "pesos chilenos": "CLP", "pesos argentinos": "ARS", "pesos uruguayos": "UYU", "pesos": None}
_SCALE_CURRENCY = {"mdd": "USD", "mdp": "MXN"}
_BARE_FOLLOWERS = {"en", "em", "in", "na", "no", "para", "for", "to", "a", "y", "e", "and", "con", "com", "with",
                   "from", "durante", "during", "at", "por", "by", "que", "that", "del", "da", "do", "of", "de"}

_QUALIFIERS = (
    ("up_to", re.compile(r"(?:up to|as much as|hasta|ate|of up to)\s*$")),
    ("at_least", re.compile(r"(?:more than|over|at least|upwards of|north of|mas de|al menos|por lo menos|mais de"
                            r"|pelo menos|no minimo|superior a|acima de)\s*$")),
    ("approx", re.compile(r"(?:about|around|roughly|nearly|almost|approximately|some|close to|an estimated|cerca de"
                          r"|alrededor de|unos|unas|aproximadamente|casi|en torno a|quase|em torno de|por volta de"
                          r"|perto de|~)\s*$")),
)
_RANGE_JOIN = re.compile(r"\s*(?:-|–|—|to|a|and|y|e)\s*")
_RANGE_OPEN = re.compile(r"(?:between|entre|from|de)\s*$")


@dataclass(frozen=True)
class Money:
    """An amount as a sentence states it; ``start``/``end`` locate ``text`` in the sentence."""

    amount: float
    low: float | None
    high: float | None
    qualifier: str  # exact | approx | up_to | range | at_least
    currency: str | None
    currency_rule: str | None  # 'stated', 'dollar_sign' (the bare-$ rule) or None (unknown)
    text: str
    start: int
    end: int
    aside: bool = False  # a conversion of the figure before it, in passing


@dataclass(frozen=True)
class _Raw:
    """One regex hit before ranges are joined and the currency decided."""

    number: float
    scale: str | None
    prefix: str | None
    suffix: str | None
    start: int
    end: int


def parse_number(text: str) -> float:
    """``"1.200"`` -> 1200, ``"2,5"`` -> 2.5, ``"1,234.5"`` -> 1234.5, ``"un"`` -> 1: see the module docstring."""
    word = _WORD_NUMBERS.get(fold(text.strip()))
    return word if word is not None else parse_prose_number(text)


def scale_of(word: str | None) -> float:
    """The multiplier of a scale word (``millones`` -> 1e6, ``mil millones`` -> 1e9); 1 for none."""
    if not word:
        return 1.0
    return _SCALES[re.sub(r"\s+", " ", fold(word))]


def _raw_hits(sentence: str) -> list[_Raw]:
    hits = []
    for m in _MONEY.finditer(sentence):
        if fold(m["num"]) in _WORD_NUMBERS and not m["scale"]:
            continue
        hits.append(_Raw(parse_number(m["num"]), m["scale"], m["pre"], m["suf"], m.start(), m.end()))
    return hits


def _join_ranges(folded: str, hits: list[_Raw]) -> list[tuple[_Raw, _Raw | None]]:
    """Pairs (low, high) for "US$ 5-7 millones", "between $20M and $25M"; (hit, None) otherwise."""
    out: list[tuple[_Raw, _Raw | None]] = []
    i = 0
    while i < len(hits):
        a = hits[i]
        b = hits[i + 1] if i + 1 < len(hits) else None
        if b is not None and _is_range(folded, a, b):
            out.append((a, b))
            i += 2
        else:
            out.append((a, None))
            i += 1
    return out


def _is_range(folded: str, a: _Raw, b: _Raw) -> bool:
    join = folded[a.end:b.start]
    if not _RANGE_JOIN.fullmatch(join):
        return False
    if not (b.scale or b.prefix or b.suffix) or (a.scale and b.scale and scale_of(a.scale) != scale_of(b.scale)
                                                  and not b.prefix):
        return False
    dash = join.strip() in {"-", "–", "—"}
    return dash or join.strip() in {"to", "a"} or bool(_RANGE_OPEN.search(folded[:a.start]))


def _currency(prefix: str | None, suffix: str | None, scale: str | None,
              language: str | None) -> tuple[str | None, str | None]:
    """The ISO code and how it was decided; see the bare-``$`` rule in the module docstring."""
    if suffix:
        key = re.sub(r"\s+", " ", fold(suffix)).removeprefix("de ")
        if key in _SUFFIX_CURRENCY:
            code = _SUFFIX_CURRENCY[key]
            return code, "stated" if code else None
        return _PREFIX_CURRENCY.get(key, key.upper()), "stated"
    if scale and fold(scale) in _SCALE_CURRENCY:
        return _SCALE_CURRENCY[fold(scale)], "stated"
    if not prefix:
        return None, None
    key = re.sub(r"\s+", "", fold(prefix)).rstrip(".")
    if key != "$":
        return _PREFIX_CURRENCY[key], "stated"
    if language == "en":
        return "USD", "dollar_sign"
    return None, None  # Spanish and Portuguese press write pesos as a bare "$": whose, the sentence may not say


def _qualifier(folded: str, start: int) -> str:
    before = folded[max(0, start - 30):start]
    return next((name for name, pattern in _QUALIFIERS if pattern.search(before)), "exact")


def _is_bare_noun_count(folded: str, hit: _Raw) -> bool:
    """A figure without a currency followed by a noun: "3 millones de usuarios", "500 mil clientes"."""
    m = re.match(r"\s+(?:de\s+|of\s+)?([a-z]+)", folded[hit.end:])
    return bool(m) and m[1] not in _BARE_FOLLOWERS


def find_money(sentence: str, language: str | None = None) -> list[Money]:
    """Every amount of money ``sentence`` states, in order; bare counts ("3 million users") are not money."""
    folded = fold(sentence)
    found = []
    for low, high in _join_ranges(folded, _raw_hits(sentence)):
        last = high or low
        scale_a = low.scale or (high.scale if high else None)
        prefix = low.prefix or (high.prefix if high else None)
        suffix = last.suffix or low.suffix
        scale_b = high.scale if high and high.scale else scale_a
        value_a = low.number * scale_of(scale_a)
        value_b = high.number * scale_of(scale_b) if high else None
        stated = prefix or suffix or (scale_a and fold(scale_a) in _SCALE_CURRENCY)
        if not stated and (scale_of(scale_a) < 1e6 or _is_bare_noun_count(folded, last)):
            continue
        currency, rule = _currency(prefix, suffix, scale_a, language)
        text = sentence[low.start:last.end]
        if high is not None:
            found.append(Money(value_a, value_a, value_b, "range", currency, rule, text, low.start, last.end))
            continue
        qualifier = _qualifier(folded, low.start)
        bounds = {"exact": (value_a, value_a), "up_to": (None, value_a), "at_least": (value_a, None)}
        low_value, high_value = bounds.get(qualifier, (None, None))
        found.append(Money(value_a, low_value, high_value, qualifier, currency, rule, text, low.start, last.end))
    return _mark_asides(folded, found)


_ASIDE_JOIN = re.compile(r"\s*[,(]\s*(?:(?:about|around|roughly|approximately|some|nearly|or|cerca de|unos|unas"
                         r"|aprox\.?|aproximadamente|alrededor de|(?:o |lo )?equivalente a|o que equivale a|ou|o"
                         r"|na cotacao atual,?)\s*)?")


def _mark_asides(folded: str, found: list[Money]) -> list[Money]:
    """Mark a figure that restates the one before it in another currency ("R$ 40 million (about US$ 8M)")."""
    out = found[:1]
    for prev, money in zip(found, found[1:], strict=False):
        if money.currency != prev.currency and _ASIDE_JOIN.fullmatch(folded[prev.end:money.start]):
            money = replace(money, aside=True)
        out.append(money)
    return out
