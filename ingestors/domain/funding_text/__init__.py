"""Funding events in news text (English, Spanish, Portuguese). Pure functions: no I/O.

:func:`extract_events` reads a text (an article's title and body) sentence by
sentence and reports each sentence that states a funding amount next to a
funding word, or announces a round without an amount, as a :class:`FundingEvent`:
company, amount and currency as stated, round type as written, lead and other
investors, whether it is a round at all, and a confidence.

Rules worth knowing (each one is pinned by tests/ingestors/test_funding_text.py):

* **Numbers.** A separator followed by exactly three digits groups thousands
  (``1.200 millones``, ``1,200``, ``US$ 750.000``); any other is the decimal
  mark (``2,5 millones``, ``$3.5 million``, ``R$ 1,2 bilhão``); with both, the
  last one is the decimal mark. This holds across the three languages, so
  Mexican ``2.5`` and Colombian ``2,5`` both read 2.5.
* **Scales.** ``mil`` is a thousand (``R$ 500 mil``), ``mil millones`` /
  ``millardo`` / ``billion`` / ``bn`` / ``bi`` / ``bilhão`` a thousand million;
  ``M``, ``MM``, ``mn``, ``mi``, ``milhões``, ``millones`` a million; Spanish
  ``billón`` is 10^12, as Spanish has it. ``mdd`` and ``mdp`` (Mexican press)
  are millions of US dollars and of Mexican pesos.
* **Currency.** ISO 4217 codes. ``US$``, ``U$S``, ``USD``, ``dólares`` are USD;
  ``R$`` and ``reais`` BRL; ``S/`` PEN; ``€`` EUR; ``pesos mexicanos`` and the
  like their country's peso. A bare ``$`` is USD in English text. In Spanish or
  Portuguese it is USD too (startup rounds are announced in dollars) unless the
  sentence says ``pesos`` or the figure is a thousand million or more
  (``$2.000 millones`` is a Chilean or Colombian peso figure, not a US$2bn seed
  round): then the currency is left null. ``pesos`` without a country is null
  as well. A figure with no currency keeps currency null; its confidence drops.
* **Amounts.** ``amount`` is the figure as stated, in units of the currency:
  the cap for "up to / hasta / até", the lower bound for a range
  (``US$ 5-7 millones``, "between $20M and $25M"). ``amount_low`` /
  ``amount_high`` hold the bounds the text states (both for an exact figure or
  a range, the cap alone for "up to", the floor alone for "more than"; none for
  "about"). A valuation ("at a $1bn valuation") or revenue figure is never the
  round's amount; a running total ("bringing its total to $52M") is not either.
* **Look-alikes** are kept with ``is_round`` false and a reason: ``ipo``,
  ``fund_close`` (a VC firm closing its own fund), ``bond`` (bonds,
  debentures, notes, obligaciones negociables, certificados bursátiles),
  ``acquisition``, ``grant`` (grants, subsidies, prizes, non-repayable funds),
  ``rumour`` ("in talks to raise", "negocia", "estaria"), ``aggregate``
  (market totals, a company's total to date) and ``other`` (a past round
  mentioned as background, a corporate's pledge to invest in a country or a
  data centre, a round that failed). Venture debt, credit lines and FIDCs of
  a company are rounds (round type debt). The checks run on the sentence with
  its investor lists removed, so "led by the fund X" is not a fund close.
  Look-alikes are reported only with an amount ("acquired for an undisclosed
  sum" gives no event).
* **One event per sentence**: its first amount that is not a price (under
  10,000), a valuation, revenue, a running total or a past round told as
  background ("which had raised $3M", "la ronda anterior"); when only such
  amounts are left, the event is the look-alike they make (aggregate, other).
  A round's type and investors often come in the next sentence ("The round was
  led by X"): up to two following sentences without an amount of their own
  complete the event. A title and a body sentence stating the same amount are
  one event (the richer sentence kept); a sentence without a company takes the
  title's, else the one the text's rounds name most.
* **Confidence** starts at 0.5: +0.2 for an amount in a stated currency (+0.1
  when the currency comes from the bare-``$`` rule, -0.1 when it is unknown),
  +0.1 for a company, +0.1 for a round type (for a look-alike: its specific
  cue), +0.05 for named lead investors; capped to 0.05..0.95.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace

# --- text helpers -----------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case without accents, character for character (indices stay valid in the original)."""
    return text.lower() if text.isascii() else "".join(map(_fold_char, text))


@functools.cache
def _fold_char(ch: str) -> str:
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)).lower()
    return base if len(base) == 1 else ch


def _mask(text: str, spans: list[tuple[int, int]], mark: str = " ") -> str:
    """Blank out ``spans`` keeping the length; the first character becomes ``mark``."""
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            chars[i] = " "
        if end > start:
            chars[start] = mark
    return "".join(chars)


_ABBREVIATIONS = {"s.a", "sa", "inc", "corp", "ltd", "ltda", "co", "cia", "sr", "sra", "dr", "jr", "vs", "ee.uu",
                  "u.s", "etc", "no", "nº", "av", "st", "mr", "mrs", "ms", "p.ej", "approx", "aprox"}
_SENTENCE_END = re.compile(r"[.!?](?=\s+[\"“'(¿¡]?[A-ZÀ-ÖØ-Þ0-9€$])")


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text``; a line break always ends one, abbreviations (S.A., Inc., EE.UU.) never do."""
    sentences = []
    for line in text.splitlines():
        start = 0
        for m in _SENTENCE_END.finditer(line):
            word = re.findall(r"[\w.]+$", line[start:m.start()])
            token = fold(word[0]) if word else ""
            if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                continue
            sentences.append(line[start:m.end()].strip())
            start = m.end()
        sentences.append(line[start:].strip())
    return [s for s in sentences if s]


_LANGUAGE_WORDS = {
    "en": {"the", "and", "with", "has", "its", "raised", "raises", "from", "led", "by", "round", "for", "of", "to"},
    "es": {"el", "la", "los", "las", "del", "con", "una", "por", "y", "levanto", "ronda", "millones", "dolares",
           "segun", "su", "en", "al"},
    "pt": {"o", "os", "da", "do", "das", "dos", "com", "uma", "em", "e", "captou", "rodada", "milhoes", "pela",
           "pelo", "nao", "sua", "na", "no", "ao"},
}


def guess_language(text: str) -> str | None:
    """'en', 'es' or 'pt' by counting common words; None when the text is too short to tell."""
    words = Counter(re.findall(r"[a-z]+", fold(text)))
    scores = sorted(((sum(words[w] for w in vocab), lang) for lang, vocab in _LANGUAGE_WORDS.items()), reverse=True)
    (best, lang), (second, _) = scores[0], scores[1]
    return lang if best >= 2 and best > second else None


# --- numbers and money ------------------------------------------------------------------------

_SCALES = {
    "thousand": 1e3, "mil": 1e3, "k": 1e3,
    "million": 1e6, "millions": 1e6, "millon": 1e6, "millones": 1e6, "milhao": 1e6, "milhoes": 1e6,
    "mn": 1e6, "mm": 1e6, "m": 1e6, "mi": 1e6, "mln": 1e6, "mdd": 1e6, "mdp": 1e6,
    "billion": 1e9, "billions": 1e9, "bn": 1e9, "b": 1e9, "bi": 1e9, "bilhao": 1e9, "bilhoes": 1e9,
    "millardo": 1e9, "millardos": 1e9, "mil millones": 1e9, "mil millon": 1e9, "mil milhoes": 1e9,
    "billon": 1e12, "billones": 1e12, "trillion": 1e12, "trillions": 1e12, "trilhao": 1e12, "trilhoes": 1e12,
    "tri": 1e12,
}
_WORD_NUMBERS = {"un": 1.0, "um": 1.0, "one": 1.0}

_PREFIX = (r"(?<![A-Za-z])(?P<pre>US\s?\$|U\$S|U\$|USD|R\$|BRL|MXN|MX\$|COP|CLP|ARS|PEN|UYU|S/\.?|EUR|€|GBP|£"
           r"|CA\$|C\$|\$)")
_NUMBER = r"(?<![\w.,])(?P<num>\d{1,3}(?:[.,]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?|un|um|one)"
_SCALE = (r"(?P<scale>mil\s+mill[oó]n(?:es)?|mil\s+milh(?:õ|o)es|mill[oó]n(?:es)?|milh(?:ão|ao|ões|oes)|millions?"
          r"|billions?|bilh(?:ão|ao|ões|oes)|bill[oó]n(?:es)?|trillions?|trilh(?:ão|ao|ões|oes)|millardos?"
          r"|thousand|mil|mdd|mdp|mln|mn|mm|mi|bn|bi|tri|k|m|b)(?![\w$])")
_SUFFIX = (r"(?P<suf>(?:de\s+)?(?:d[oó]lares(?:\s+(?:estadounidenses|americanos|canadienses|australianos))?|dollars"
           r"|reais|euros|pesos(?:\s+(?:mexicanos|colombianos|chilenos|argentinos|uruguayos))?|soles|libras)"
           r"|USD|US\$|BRL|MXN|COP|CLP|ARS|PEN|EUR)(?![\w$])")
_MONEY = re.compile(rf"(?:{_PREFIX}\s?)?{_NUMBER}(?:\s?{_SCALE})?(?:\s+{_SUFFIX})?", re.IGNORECASE)

_PREFIX_CURRENCY = {"us$": "USD", "u$s": "USD", "u$": "USD", "usd": "USD", "r$": "BRL", "brl": "BRL", "mxn": "MXN",
                    "mx$": "MXN", "cop": "COP", "clp": "CLP", "ars": "ARS", "pen": "PEN", "uyu": "UYU", "s/": "PEN",
                    "eur": "EUR", "€": "EUR", "gbp": "GBP", "£": "GBP", "ca$": "CAD", "c$": "CAD"}
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
    """``"1.200"`` -> 1200, ``"2,5"`` -> 2.5, ``"1,234.5"`` -> 1234.5: see the module docstring."""
    text = text.strip()
    if fold(text) in _WORD_NUMBERS:
        return _WORD_NUMBERS[fold(text)]
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


def _currency(prefix: str | None, suffix: str | None, scale: str | None, value: float, language: str | None,
              folded_sentence: str) -> tuple[str | None, str | None]:
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
    if re.search(r"\bpesos?\b", folded_sentence) or value >= 1e9:
        return None, None
    return "USD", "dollar_sign"


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
        currency, rule = _currency(prefix, suffix, scale_a, value_b or value_a, language, folded)
        text = sentence[low.start:last.end]
        if high is not None:
            found.append(Money(value_a, value_a, value_b, "range", currency, rule, text, low.start, last.end))
            continue
        qualifier = _qualifier(folded, low.start)
        bounds = {"exact": (value_a, value_a), "up_to": (None, value_a), "at_least": (value_a, None)}
        low_value, high_value = bounds.get(qualifier, (None, None))
        found.append(Money(value_a, low_value, high_value, qualifier, currency, rule, text, low.start, last.end))
    return found


# --- round types ------------------------------------------------------------------------------

# (canonical, pattern over folded text); the letter of a series must be a capital in the original text.
_ROUND_TYPES = (
    ("pre_series_a", re.compile(r"\bpre[- ]?seri(?:es|e) a\b")),
    ("pre_seed", re.compile(r"\bpre[- ]?(?:seed|semilla|semente)\b|\bpresemilla\b|\bpreseed\b")),
    ("series", re.compile(r"\bseri(?:es|e)[- ]([a-h])(?:\d|\+)?(?![\w])|\b(?:ronda|rodada) ([a-h])(?![\w])")),
    ("seed", re.compile(r"\bseed\b|\bsemilla\b|\bsemente\b")),
    ("angel", re.compile(r"\bangel round\b|\bronda (?:de )?angel(?:es)?\b|\brodada anjo\b|\binvestimento-anjo\b")),
    ("bridge", re.compile(r"\bbridge\b|\b(?:ronda|rodada) (?:puente|ponte)\b|\bponte\b|\bpuente\b")),
    ("growth", re.compile(r"\bgrowth (?:round|equity|funding|financing|capital|investment)\b|\blate-stage\b"
                          r"|\b(?:ronda|rodada) (?:de )?(?:crecimiento|crescimento|growth)\b")),
    ("debt", re.compile(r"\bventure debt\b|\bdebt\b|\bcredit (?:facility|line)\b|\bline of credit\b|\bloan\b"
                        r"|\bdeuda\b|\blinea de credito\b|\bprestamo\b|\bdivida\b|\blinha de credito\b"
                        r"|\bemprestimo\b|\bfidc\b|\bwarehouse (?:facility|line)\b|\bfinanciamento\b")),
    ("strategic", re.compile(r"\bstrategic investment\b|\binversion estrategica\b|\binvestimento estrategico\b"
                             r"|\baporte estrategico\b")),
    ("convertible", re.compile(r"\bconvertible note\b|\bnota convertible\b|\bmutuo conversivel\b")),
)


@dataclass(frozen=True)
class _RoundType:
    canonical: str
    text: str
    start: int
    end: int


def round_types(sentence: str) -> list[_RoundType]:
    """Every round type ``sentence`` names, in order of appearance."""
    folded = fold(sentence)
    found = []
    for canonical, pattern in _ROUND_TYPES:
        for m in pattern.finditer(folded):
            if canonical == "series":
                letter_at = m.start(1) if m[1] else m.start(2)
                if not sentence[letter_at].isupper():
                    continue
                found.append(_RoundType(f"series_{folded[letter_at]}", sentence[m.start():m.end()], m.start(), m.end()))
            else:
                found.append(_RoundType(canonical, sentence[m.start():m.end()], m.start(), m.end()))
    found.sort(key=lambda t: t.start)
    return [t for i, t in enumerate(found) if not any(o.start <= t.start < o.end for o in found[:i])]


def canonical_round_type(text: str | None) -> str | None:
    """The canonical type of a round type as written ("Série A" -> series_a, "ronda semilla" -> seed)."""
    found = round_types(text) if text else []
    return found[0].canonical if found else None


# --- investors --------------------------------------------------------------------------------

_LEAD_INTRO = re.compile(
    r"\b(?:co-?)?(?:led|spearheaded|headed)\s+by\b"
    r"|\b(?:co-?)?(?:liderad|encabezad|comandad|capitanead|conducid|encabecad|puxad)[ao]s?\s+(?:por|pel[oa]s?)\b"
    r"|\bcom\s+lideranca\s+d[aoe]s?\b")
_LEAD_AFTER = re.compile(
    r"\s+(?:co-?leads?|co-?led|led|leads|lidera|liderou|lidero|encabezo|encabeza|comandou)\s+[^,.;]{0,40}?"
    r"\b(?:round|ronda|rodada|investment|inversion|investimento|aporte|financing|deal|seed|series [a-h]"
    r"|serie [a-h])\b")
_PARTICIPATION_INTRO = re.compile(
    r"\b(?:with (?:additional |the )?)?participation (?:from|of|by)\b|\bcon (?:la )?participacion de(?:l)?\b"
    r"|\b(?:com|e|contou com) (?:a )?participacao d[aoe]s?\b|\bjoined by\b|\bparticipacion de\b"
    r"|\bcon el respaldo de\b|\bcom apoio d[aoe]s?\b")
_FROM_AFTER_MONEY = re.compile(r"^[^,.;]{0,60}?\b(?:from|por parte de|de parte de|de|d[aoe]s?|con|com (?:o|a))\s+")
_CLAUSE_END = re.compile(
    r"[.;:()]\s|[.;:]$|,\s*(?:with|con|com|the company|la empresa|a empresa|la compania|which|que|who|segun"
    r"|segundo|according|said|dijo|disse|informo|afirmou|alongside|bringing|elevando|to)\b"
    r"|\s(?:to|para|that|which|who|que|according|segun|segundo|with|at a|a una|em uma|en una|in a|bringing"
    r"|elevando|alongside|as well as|junto|e contou|y conto|and saw)\s")
_FILLER = {"the", "el", "la", "los", "las", "o", "a", "os", "as", "de", "del", "da", "do", "das", "dos", "pela",
           "pelo", "pelas", "pelos", "por", "from", "existing", "investors", "investor", "inversionistas",
           "inversionista", "inversores", "investidores", "fund", "fondo", "fundo", "gestora", "firm", "also",
           "new", "other", "otros", "outros", "its", "su", "sua", "seu", "including", "incluyendo", "incluindo"}
_CONNECTORS = {"de", "del", "do", "da", "dos", "das", "&", "of", "y"}


def _name_like(token: str) -> bool:
    return bool(re.match(r"[A-ZÀ-ÖØ-Þ]", token) or re.match(r"[a-z]+[A-Z]", token)
                or (re.search(r"\d", token) and re.search(r"[A-Za-z]", token)))


_TOKEN = re.compile(r"[^\W_][\w'’&+.\-]*[\w+]|[^\W_]|&")


def _leading_name(text: str, *, free_words: int) -> tuple[str | None, int, str]:
    """The name at the start of ``text`` after filler words, where it starts, and what follows it."""
    tokens = list(_TOKEN.finditer(text))
    i, skipped = 0, 0
    while i < len(tokens) and not _name_like(tokens[i][0]):
        if fold(tokens[i][0]) not in _FILLER:
            if skipped >= free_words:
                return None, 0, text
            skipped += 1
        i += 1
    name_tokens: list[re.Match] = []
    while i < len(tokens):
        tok = tokens[i][0]
        if name_tokens and text[name_tokens[-1].end():tokens[i].start()] != " ":
            break
        if _name_like(tok) or (name_tokens and fold(tok) in _CONNECTORS - {"y"} and i + 1 < len(tokens)
                               and _name_like(tokens[i + 1][0])):
            name_tokens.append(tokens[i])
            i += 1
            continue
        break
    if not name_tokens:
        return None, 0, text
    start, end = name_tokens[0].start(), name_tokens[-1].end()
    return text[start:end], start, text[end:]


_LIST_SEPARATOR = re.compile(r",\s*|\s+(?:and|y|e)\s+")


def _name_list(text: str, start: int) -> tuple[list[str], int, int]:
    """Names listed from ``start`` ("X, Y and Z", "X y Y", "X e da Y"): the names, where the first one
    starts and where the last one ends."""
    end_match = _CLAUSE_END.search(fold(text), start)
    stop = end_match.start() if end_match else len(text)
    names: list[str] = []
    first = last = part_start = start
    for k, sep in enumerate([*_LIST_SEPARATOR.finditer(text, start, stop), None]):
        begin, end = part_start, sep.start() if sep else stop
        part_start = sep.end() if sep else stop
        name, offset, rest = _leading_name(text[begin:end], free_words=3 if k == 0 else 0)
        if name is not None and _is_instrument(name):
            break  # "por meio de um FIDC": an instrument, not an investor
        if name is None:
            if any(_name_like(t[0]) for t in _TOKEN.finditer(text[begin:end])):
                break
            continue  # "angel investors", "investidores-anjo": named by nobody
        if re.search(r"\w", rest) and k > 0:
            break  # "..., la colombiana Saludia suma": the list is over
        first = first if names else begin + offset
        names.append(name)
        last = begin + offset + len(name)
        if re.search(r"\w", rest):
            break
    return names, first, last


_INSTRUMENTS = re.compile(r"(?:cr[ai]s?|ipo|fidc|safe|debentures?|bonds?|notes)")


def _is_instrument(name: str) -> bool:
    """"FIDC", "CRIs": a round type or a security, never an investor."""
    found = round_types(name)
    whole_type = bool(found) and (found[0].start, found[0].end) == (0, len(name))
    return whole_type or bool(_INSTRUMENTS.fullmatch(fold(name)))


@dataclass(frozen=True)
class _Investors:
    leads: tuple[str, ...]
    others: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]  # where the lists are, to keep them out of other checks


def find_investors(sentence: str, money: list[Money] = ()) -> _Investors:
    """Lead investors ("led by", "liderada por", "X led the round") and others ("with participation from")."""
    folded = fold(sentence)
    leads: list[str] = []
    others: list[str] = []
    spans: list[tuple[int, int]] = []
    for m in _LEAD_INTRO.finditer(folded):
        names, _, end = _name_list(sentence, m.end())
        leads += names
        spans.append((m.start(), end))
    for m in _LEAD_AFTER.finditer(folded):
        name = _trailing_name(sentence[:m.start()])
        if name:
            leads.append(name)
            spans.append((m.start() - len(name), m.start()))
    for m in _PARTICIPATION_INTRO.finditer(folded):
        names, _, end = _name_list(sentence, m.end())
        others += names
        spans.append((m.start(), end))
    for item in money:  # "US$ 5 millones de Grupo Salud Norte", "aporte de R$ 4 milhões da Cerrado Capital"
        m = _FROM_AFTER_MONEY.match(folded[item.end:])
        if m is None:
            continue
        names, first, end = _name_list(sentence, item.end + m.end())
        if names and not any(fold(n) in map(fold, leads) for n in names):
            others += names
            spans.append((first, end))
    return _Investors(_unique(leads), tuple(n for n in _unique(others) if n not in leads), tuple(spans))


def _trailing_name(text: str) -> str | None:
    """The name that ends ``text`` when it is a clause's subject: "..., Sierra Madre Capital" -> that name."""
    tokens = list(_TOKEN.finditer(text))
    picked: list[re.Match] = []
    for tok in reversed(tokens):
        if picked and text[tok.end():picked[-1].start()] != " ":
            break
        if _name_like(tok[0]) or (picked and fold(tok[0]) in _CONNECTORS):
            picked.append(tok)
            continue
        break
    while picked and fold(picked[-1][0]) in _CONNECTORS | _STOP:
        picked.pop()
    if not picked:
        return None
    head = text[:picked[-1].start()].rstrip()
    if not (head.endswith((",", ".", ";", ":")) or all(fold(t[0]) in _STOP for t in _TOKEN.finditer(head))):
        return None  # a name inside a clause, not its subject
    return text[picked[-1].start():picked[0].end()]


def _unique(names: list[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(fold(name), name)
    return tuple(seen.values())


# --- round or look-alike ----------------------------------------------------------------------

# Checked in this order on the folded sentence, with investor lists blanked and amounts replaced by '¤'.
_NOT_ROUND = (
    ("ipo", re.compile(
        r"\bipo\b|\binitial public offering\b|\bgo(?:es|ing)? public\b|\bwent public\b|\boferta publica\b|\bopi\b"
        r"|\bsalida a bolsa\b|\bcotizar en bolsa\b|\babertura de capital\b|\babre (?:seu )?capital\b"
        r"|\bestre(?:ia|ou|ar) na (?:bolsa|b3|nasdaq|nyse)\b|\bdebut(?:s|ed)? on the (?:nasdaq|nyse)\b"
        r"|\bfollow-on\b|\b(?:salio|sale|saldra) a (?:la )?bolsa\b|\b(?:debuto|debuta) en (?:la )?bolsa\b"
        r"|\b(?:listed|listing|lists) (?:its shares )?on\b|\bdebuted on\b")),
    ("fund_close", re.compile(
        r"\b(?:first|final|second|initial) close\b|\bprimer cierre\b|\bcierre final\b|\bprimeiro fechamento\b"
        r"|\bfechamento final\b"
        r"|(?:¤|\b(?:its|new|debut|first|second|third|fourth|fifth|latest|inaugural|flagship|maiden))\s+"
        r"(?:(?!to\b)[\w-]+\s+)?fund\b(?!\s+(?:its|their|the|expansion|growth|operations|product|research|hiring))"
        r"|\bfund (?:i{1,3}|iv|v|vi)\b|\bfund of ¤"
        r"|\b(?:su|nuevo|segundo|tercer|tercero|primer|cuarto|quinto)\s+fondo\b|\bfondo (?:de|por) ¤"
        r"|\b(?:cierra|cerro|lanza|lanzo|anuncia|anuncio)\b[^.;]{0,40}\bfondo\b"
        r"|\b(?:seu|novo|segundo|terceiro|primeiro|quarto)\s+fundo\b|\bfundo de ¤"
        r"|\b(?:fecha|fechou|lanca|lancou)\b[^.;]{0,40}\bfundo\b")),
    ("bond", re.compile(
        r"\bbonds?\b|\bnotes due\b|\bsenior (?:secured |unsecured )?notes\b|\bdebentures?\b|\bbonos?\b"
        r"|\bobligaciones negociables\b|\bcertificados bursatiles\b|\bcebures\b|\beurobon(?:o|d)s?\b"
        r"|\btitulos de deuda\b|\b(?:cra|cri)s?\b")),
    ("acquisition", re.compile(
        r"(?<!to )\bacquir(?:e|es|ed)\b|\bacquisition of\b|\b(?:agreed|agrees|plans) to (?:buy|acquire)\b|\bbought\b"
        r"|\bbuys\b|\btakeover\b|\bmerg(?:e|es|ed|er)\b|\badquiri[oó]\b|\badquiere\b|\badquirira\b"
        r"|\badquisicion de\b|\bcompro\b|\bcomprara\b|\bla compra de\b|\bacordo comprar\b|\bse fusiona\b"
        r"|\bfusion con\b|\badquiriu\b|\badquire\b|\baquisicao d[aoe]\b|\bcomprou\b|\bfusao com\b"
        r"|\bincorporou\b|\bsold to\b|\b(?:comprad|adquirid|vendid)[ao]s? (?:por|pel[oa]s?|para|a)\b"
        r"|\bacquired by\b")),
    ("grant", re.compile(
        r"\bgrants?\b|\bnon-?dilutive\b|\bsubvencion\b|\bsubsidio\b|\bno reembolsables?\b|\bsubvencao\b"
        r"|\bnao[- ]reembolsave(?:l|is)\b|\bedital\b|\b(?:won|wins|awarded|gano|gana|ganhou|ganha)\b[^.;]{0,40}"
        r"\b(?:prize|premio|award)\b")),
    ("rumour", re.compile(
        r"\bin (?:advanced )?talks\b|\b(?:seeking|looking|plans?|aims?) to raise\b|\bin discussions\b"
        r"|\breportedly\b|\baccording to (?:people|sources|a person)\b|\bsources (?:said|say|told)\b"
        r"|\bis said to be\b|\bnegocia\b|\bnegociando\b|\ben conversaciones\b|\bestaria\b|\bestarian\b"
        r"|\bbusca(?:ria|ndo)? (?:levantar|recaudar|captar)\b|\bplanea (?:levantar|recaudar)\b"
        r"|\bsegun fuentes\b|\bfuentes cercanas\b|\bem (?:negociacao|negociacoes|conversas)\b"
        r"|\b(?:busca|pretende) (?:levantar|captar)\b|\bsegundo fontes\b|\bpessoas a par\b|\bpeople familiar\b"
        r"|\bis (?:currently )?raising\b|\b(?:could|would) value\b|\bpersonas (?:familiarizadas|cercanas)\b"
        r"|\bpessoas (?:familiarizadas|proximas)\b")),
    ("aggregate", re.compile(
        r"(?:^|,\s*)(?:(?:las|los|as|os|the)\s+)?(?:[\w-]+\s+){0,3}(?:startups|fintechs|scaleups|healthtechs|edtechs"
        r"|agtechs|proptechs|insurtechs|companies|empresas|emprendimientos|unicorns|unicornios)\b(?:\s+[\w-]+){0,3}"
        r"\s+(?:raised|levantaron|recaudaron|captaron|captaram|levantaram|received|recibieron|receberam|attracted"
        r"|secured|obtuvieron)\b"
        r"|\b\d+\s+(?:rounds|deals|transactions|rondas|rodadas|operaciones|transacoes|aportes)\b"
        r"|\b\d+ ?% (?:more|less|up|down|mas|menos)\b|\b(?:up|down|queda de|alta de|caida de|crecimiento de"
        r"|aumento de) \d+ ?%|\b(?:first|second) (?:half|quarter)\b|\b(?:primer|segundo|primeiro) (?:semestre"
        r"|trimestre)\b|\byear-over-year\b|\binteranual\b|\bcomparacao anual\b|\bventure capital (?:investment"
        r"|funding|en|em|in)\b|\b(?:el|o) venture capital\b|\bsumo\b|\bsumaron\b|\bsomou\b|\bsomaram\b"
        r"|\btotalizou\b|\btotalizaram\b|\btotalizaron\b|\btotaled\b|\btotalled\b|\bmovimentaram\b"
        r"|\b(?:reached|alcanzo|alcanzaron|alcancou|alcancaram|atingiu|atingiram)\b"
        r"|\b(?:en el|no|in the) (?:trimestre|quarter|semestre)\b"
        r"|\bsince (?:its )?(?:founding|launch|inception)\b|\bdesde su (?:fundacion|creacion|lanzamiento)\b"
        r"|\bdesde (?:a|sua) (?:fundacao|criacao)\b|\b(?:so|thus) far\b|\bhasta (?:ahora|el momento)\b"
        r"|\bate (?:agora|o momento)\b|\bto date\b"
        r"|^(?:(?:la|el|o|a|the)\s+)?(?:inversion|investimento|investment|venture funding|vc funding|funding)\s+"
        r"(?:en|em|in|para|for|de)\b")),
    ("other", re.compile(
        r"\bfail(?:ed|ing|s)? to raise\b|\bno (?:logro|consiguio) (?:levantar|recaudar)\b"
        r"|\bnao conseguiu (?:captar|levantar)\b|\bshut(?:s|ting)? down\b"
        r"|\b(?:destinara|destinaran|destino|destinou|vai destinar|allocate[sd]?|earmark(?:s|ed)?|pledge[sd]?)\b"
        r"|\b(?:will|plans to|plan to|is going to) invest\b|\binvertira\b|\binvertiran\b|\bplanea invertir\b"
        r"|\bvai investir\b|\bvao investir\b|\binvestira\b|\bplaneja investir\b"
        r"|\b(?:anuncia|anuncio|anunciou|announces|announced|confirma|confirmo|confirmou)\s+(?:una |um |an |a )?"
        r"(?:nueva |novo |new )?(?:inversion|investimento|investment)\s+(?:de|of)\s+¤\s+(?:en|em|no|na|in)\b")),
)
_TOTAL_BEFORE = re.compile(
    r"(?:a total of|in total|total(?:ing|ling)?(?: funding| investment)?(?: to| of)?|bringing (?:its|the) total"
    r"(?: funding)?(?: raised)? to|suma|soma|sumando|somando|acumula|acumulando|totaliza(?:ndo)?"
    r"|elevando (?:o|su|a) (?:total|monto)(?: captado| levantado)? (?:para|a))\s*$")
_TOTAL_AFTER = re.compile(
    r"^\s*(?:in total|en total|no total|ao todo|to date|hasta la fecha|ate hoje|ate agora|since (?:its )?"
    r"(?:founding|launch|inception|\d{4})|(?:\w+ )?desde (?:su |a |sua )?(?:fundacion|fundacao|creacion|criacao"
    r"|lancamento|\d{4}))")
# A past round told as background, just before its amount: "had previously raised a $3M seed", "which raised".
_PRIOR_BEFORE = re.compile(
    r"(?:previously raised|(?<!it )had (?:previously )?raised|which (?:had )?raised|(?<!que )habia (?:levantado"
    r"|recaudado|captado|obtenido)|(?<!que )(?:ja )?havia (?:captado|levantado|recebido)|anteriormente"
    r"|(?:previous|prior|earlier) round|(?:comes|came) after|follows (?:a|an|its)|(?:ronda|rodada) anterior"
    r"|tras (?:una|su) ronda|apos (?:uma|a|sua) rodada)(?:\s+\S+){0,5}\s*$")
_PRIOR_AFTER = re.compile(r"^[^.;]{0,40}\b(?:last year|el ano pasado|no ano passado|ano passado)\b")
MIN_ROUND_AMOUNT = 10_000  # below this a figure is a price ("$5 a month"), not a round
_NOT_THE_ROUND = re.compile(
    r"\b(?:valuation|valued|valuing|valoracion|valuacion|valorizacion|avaliad[ao]|avaliacao|valor de mercado"
    r"|market cap|revenues?|sales|ingresos|ventas|facturacion|receita|faturamento|gmv|arr|tpv|lucro|profit"
    r"|ebitda)(?:\s+\w+){0,2}\s*$")
_VALUATION_AFTER = re.compile(r"^\s*(?:valuation|post-money|pre-money)\b")
_ROUND_CUE = re.compile(
    r"\b(?:rais(?:e|es|ed|ing)|secur(?:e|es|ed|ing)|lands?|landed|bags?|bagged|nabs?|nabbed|snags?|funding"
    r"|clos(?:e|es|ed)|obtain(?:s|ed)?|financing|round|seed|series [a-h]|pre-seed|investment|invest(?:s|ed)"
    r"|backed|venture debt|debt facility|aport(?:a|o|aron|ou|aram)|invirti(?:o|eron)|investi(?:u|ram)"
    r"|captaron|levantaron|recaudaron|financiamento|obteve|recebeu|recibio|received|receives|cheque"
    r"|credit (?:line|facility)|levant(?:a|o|aron|ado)|recaud(?:a|o|aron)|capt(?:a|o|ou|aram|ado|acao)"
    r"|consiguio|consigue|obtuv(?:o|ieron)|obtiene|ronda|inversion|financiamiento|aporte|rodada|investimento"
    r"|linea de credito|linha de credito|semilla|semente|fidc|serie [a-h])\b")
_ROUND_NOUN = re.compile(r"\b(?:round|ronda|rodada|seed|semilla|semente|series [a-h]|serie [a-h]|aporte)\b")
_STRONG_ROUND = re.compile(
    r"\b(?:rais(?:es|ed)|secured|closed|closes|levanto|levantou|recaudo|captou|cerro|fechou|recebeu|recibio"
    r"|announced|anuncio|anunciou)\b")


def _classify(cue_text: str, primary: Money | None, folded_sentence: str,
              names_a_type: bool) -> tuple[bool, str | None] | None:
    """(is_round, not_round_reason), or None when the sentence is not about funding at all."""
    for reason, pattern in _NOT_ROUND:
        if pattern.search(cue_text):
            return False, reason
    if primary is not None and _is_running_total(folded_sentence, primary):
        return False, "aggregate"
    if primary is not None and _is_background(folded_sentence, primary):
        return False, "other"
    if names_a_type or _ROUND_CUE.search(cue_text):
        return True, None
    return None


def _is_running_total(folded: str, money: Money) -> bool:
    return bool(_TOTAL_BEFORE.search(folded[max(0, money.start - 40):money.start])
                or _TOTAL_AFTER.match(folded[money.end:money.end + 50]))


def _is_background(folded: str, money: Money) -> bool:
    return bool(_PRIOR_BEFORE.search(folded[max(0, money.start - 60):money.start])
                or _PRIOR_AFTER.match(folded[money.end:]))


def _pick_money(folded: str, money: list[Money]) -> Money | None:
    """The round's amount: the first that is not a price, valuation, revenue, running total or past round."""
    plausible = [m for m in money if m.amount >= MIN_ROUND_AMOUNT]
    candidates = [m for m in plausible if not _NOT_THE_ROUND.search(folded[max(0, m.start - 45):m.start])
                  and not _VALUATION_AFTER.match(folded[m.end:])]
    fresh = [m for m in candidates if not (_is_running_total(folded, m) or _is_background(folded, m))]
    return (fresh or candidates or [None])[0]


# --- the company ------------------------------------------------------------------------------

_NATIONALITIES = {
    "brazilian", "mexican", "colombian", "chilean", "argentine", "argentinian", "peruvian", "uruguayan",
    "paraguayan", "bolivian", "ecuadorian", "venezuelan", "costa", "rican", "panamanian", "guatemalan",
    "dominican", "salvadoran", "honduran", "puerto", "latin", "american", "latam", "spanish", "us", "u.s",
    "brasileira", "brasileiro", "mexicana", "mexicano", "colombiana", "colombiano", "chilena", "chileno",
    "argentina", "argentino", "peruana", "peruano", "uruguaya", "uruguayo", "paulista", "carioca", "mineira",
    "gaucha", "latinoamericana", "latinoamericano", "costarricense",
}
_STOP = {
    "the", "a", "an", "o", "os", "as", "la", "el", "los", "las", "un", "una", "um", "uma", "con", "com", "tras",
    "after", "with", "in", "en", "em", "for", "para", "segun", "segundo", "de", "del", "da", "do", "this", "esta",
    "este", "essa", "esse", "today", "hoy", "hoje", "on", "its", "it", "su", "sua", "startup", "startups",
    "company", "empresa", "compania", "plataforma", "platform", "unicorn", "unicornio", "scaleup", "neobank",
    "neobanco", "ai", "ia", "vc", "b2b", "saas", "sample", "exclusive", "exclusivo", "breaking", "report",
    "reporte", "and", "y", "e", "by", "por", "to", "at", "nesta", "neste", "also", "now", "investors",
    "inversionistas", "inversores", "investidores", "mais", "more",
} | _NATIONALITIES
_DESCRIPTOR_SUFFIX = re.compile(r"(?:tech|-based|-driven|-powered|-stage|-focused|-backed|-founded)$")
_SUBJECT_VERB = re.compile(
    r"\b(?:rais(?:e|es|ed|ing)|secur(?:e|es|ed)|clos(?:e|es|ed)|lands?|landed|bags?|bagged|nabs?|nabbed|snags?"
    r"|gets?|got|obtain(?:s|ed)?|receive[sd]?|announce[sd]?|attracts?|levant[ao]|recaud[ao]|capt[ao]|captou"
    r"|consigu(?:e|io)|obtuvo|obtiene|cerro|cierra|recibio|recibe|anuncio|anuncia|anunciou|logro|levantou"
    r"|recebe|recebeu|fecha|fechou|garante|garantiu|conquista|conquistou|obteve|estruturou|estructuro"
    r"|acquir(?:e|es|ed)|adquirio|adquiere|adquiriu|compro|comprou|issued|emitio|emitiu|coloco|priced"
    r"|won|gano|ganhou|negocia|estaria|is|prepara|filed|estreou|soma|suma|acumula|will|invertira|vai|has|had"
    r"|habia|havia|levantaron|captaram|closes|aportaron|cerrar|levantar|recaudar|captar|fechar|raise)\b")


def _strip_descriptors(tokens: list[str]) -> list[str]:
    """Drop leading descriptors ("Brazilian fintech", "São Paulo's", "Bogotá-based") from a name run."""
    for i in range(len(tokens) - 1, -1, -1):
        if re.search(r"['’]s$", tokens[i]) or tokens[i].endswith("-based"):
            tokens = tokens[i + 1:]
            break
    while tokens and (fold(tokens[0]) in _STOP or _DESCRIPTOR_SUFFIX.search(fold(tokens[0]))):
        tokens = tokens[1:]
    while tokens and fold(tokens[-1]) in _CONNECTORS:
        tokens = tokens[:-1]
    return tokens


def _name_runs(text: str, offset: int = 0) -> list[tuple[str, int]]:
    """Runs of capitalised words in ``text`` (descriptors dropped), with where each starts."""
    runs: list[list[re.Match]] = []
    tokens = list(_TOKEN.finditer(text))
    for i, tok in enumerate(tokens):
        joined = runs and text[runs[-1][-1].end():tok.start()] == " "
        if _name_like(tok[0]):
            if joined and (runs[-1][-1] is tokens[i - 1]):
                runs[-1].append(tok)
            else:
                runs.append([tok])
        elif (joined and fold(tok[0]) in _CONNECTORS - {"y"} and i + 1 < len(tokens)
              and _name_like(tokens[i + 1][0]) and runs[-1][-1] is tokens[i - 1]):
            runs[-1].append(tok)
    out = []
    for run in runs:
        words = _strip_descriptors([t[0] for t in run])
        if words:
            out.append((" ".join(words), offset + run[0].start()))
    return out


def _only_name(head: str) -> str | None:
    """``head`` when it is nothing but a name after descriptors: "A Kash" -> "Kash"."""
    words = [t[0] for t in _TOKEN.finditer(head)]
    while words and not _name_like(words[0]) and fold(words[0]) in _STOP:
        words = words[1:]
    words = _strip_descriptors(words)
    if words and all(_name_like(w) or fold(w) in _CONNECTORS for w in words) and head.strip().endswith(words[-1]):
        return " ".join(words)
    return None


def find_company(masked: str) -> str | None:
    """The company a funding sentence is about, from the sentence with amounts, investor lists and round
    types blanked: the subject before the first verb (past an appositive "X, a Mexican fintech, raised"),
    else the first name after it ("Con esta ronda ..., la colombiana Saludia suma ...")."""
    folded = fold(masked)
    anchor = _SUBJECT_VERB.search(folded) or _ROUND_CUE.search(folded)
    cut = anchor.start() if anchor else len(masked)
    prefix = masked[:cut]
    head, comma, _ = prefix.partition(",")
    if comma and (name := _only_name(head)):
        return name
    runs = _name_runs(prefix)
    if runs:
        return runs[-1][0]
    after = _name_runs(masked[cut:], cut)
    return after[0][0] if after else None


# --- events -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FundingEvent:
    """One sentence's funding claim, or look-alike, as the text states it."""

    sentence: str
    company: str | None
    amount: float | None
    amount_low: float | None
    amount_high: float | None
    amount_qualifier: str | None
    currency: str | None
    currency_rule: str | None
    amount_text: str | None
    round_type: str | None  # canonical (see _ROUND_TYPES)
    round_type_text: str | None  # as written
    lead_investors: tuple[str, ...]
    investors: tuple[str, ...]  # every named investor, leads first
    is_round: bool
    not_round_reason: str | None
    confidence: float


@dataclass(frozen=True)
class _Sentence:
    text: str
    money: list[Money]
    investors: _Investors
    types: list[_RoundType]
    masked: str  # amounts as '¤', investor lists and round types blanked
    cue_text: str  # folded ``masked``


def _read(sentence: str, language: str | None) -> _Sentence:
    money = find_money(sentence, language)
    investors = find_investors(sentence, money)
    types = [t for t in round_types(sentence) if not any(s <= t.start < e for s, e in investors.spans)]
    masked = _mask(sentence, [(m.start, m.end) for m in money], "¤")
    masked = _mask(masked, list(investors.spans))
    masked = _mask(masked, [(t.start, t.end) for t in types])
    return _Sentence(sentence, money, investors, types, masked, fold(masked))


def _nearest_type(s: _Sentence, primary: Money | None) -> _RoundType | None:
    """The round type closest to the chosen amount (a type nearer another amount belongs to that one)."""
    if primary is None or not s.money:
        return s.types[0] if s.types else None

    def gap(t: _RoundType, m: Money) -> int:
        return max(m.start - t.end, t.start - m.end, 0)

    mine = [t for t in s.types if min(s.money, key=lambda m: gap(t, m)) is primary]
    return min(mine, key=lambda t: gap(t, primary)) if mine else None


def _confidence(is_round: bool, money: Money | None, company: str | None, round_type: str | None,
                leads: tuple[str, ...]) -> float:
    score = 0.5
    if money is not None:
        score += {"stated": 0.2, "dollar_sign": 0.1}.get(money.currency_rule or "", -0.1)
    score += 0.1 if company else 0.0
    score += 0.1 if (round_type or not is_round) else 0.0
    score += 0.05 if leads else 0.0
    return round(min(max(score, 0.05), 0.95), 2)


def _event(s: _Sentence, context: list[_Sentence]) -> FundingEvent | None:
    primary = _pick_money(fold(s.text), s.money)
    verdict = _classify(s.cue_text, primary, fold(s.text), bool(s.types))
    if verdict is None:
        return None
    is_round, reason = verdict
    if primary is None and not is_round:  # "a deal valued at $120M": a look-alike's value is its amount
        primary = next((m for m in s.money if m.amount >= MIN_ROUND_AMOUNT), None)
    if primary is None and not (is_round and _ROUND_NOUN.search(s.cue_text)
                                and (s.investors.leads or _STRONG_ROUND.search(s.cue_text))):
        return None  # look-alikes and rounds are reported with an amount, or as a clearly announced round
    kind = _nearest_type(s, primary) or next((t for c in context for t in c.types), None)
    leads = s.investors.leads or next((c.investors.leads for c in context if c.investors.leads), ())
    others = s.investors.others + tuple(o for c in context for o in c.investors.others)
    company = find_company(s.masked)
    if not is_round:
        kind, leads, others = None, (), ()
    return FundingEvent(
        sentence=s.text, company=company,
        amount=primary.amount if primary else None, amount_low=primary.low if primary else None,
        amount_high=primary.high if primary else None, amount_qualifier=primary.qualifier if primary else None,
        currency=primary.currency if primary else None, currency_rule=primary.currency_rule if primary else None,
        amount_text=primary.text if primary else None,
        round_type=kind.canonical if kind else None, round_type_text=kind.text if kind else None,
        lead_investors=leads, investors=_unique(list(leads) + list(others)),
        is_round=is_round, not_round_reason=None if is_round else reason,
        confidence=_confidence(is_round, primary, company, kind.canonical if kind else None, leads),
    )


def _merge(events: list[FundingEvent]) -> list[FundingEvent]:
    """One event per distinct amount: a title and the lead paragraph usually state the same round."""
    merged: list[FundingEvent] = []
    for event in events:
        twin = next((i for i, e in enumerate(merged) if e.is_round == event.is_round and e.amount is not None
                     and (e.amount, e.currency) == (event.amount, event.currency)), None)
        if twin is None:
            merged.append(event)
            continue
        best, other = sorted((merged[twin], event), key=lambda e: (-e.confidence, -len(e.sentence)))
        merged[twin] = _fill(best, other)
    with_amount = [e for e in merged if e.is_round and e.amount is not None]
    return [e for e in merged if e.amount is not None or not e.is_round or not with_amount]


def _fill(event: FundingEvent, other: FundingEvent) -> FundingEvent:
    filled = replace(
        event,
        company=event.company or other.company,
        round_type=event.round_type or other.round_type,
        round_type_text=event.round_type_text or other.round_type_text,
        lead_investors=event.lead_investors or other.lead_investors,
        investors=_unique(list(event.investors) + list(other.investors)),
    )
    return replace(filled, confidence=_confidence(filled.is_round, _money_of(filled), filled.company,
                                                  filled.round_type, filled.lead_investors))


def _money_of(event: FundingEvent) -> Money | None:
    if event.amount is None:
        return None
    return Money(event.amount, event.amount_low, event.amount_high, event.amount_qualifier or "exact",
                 event.currency, event.currency_rule, event.amount_text or "", 0, 0)


def extract_events(text: str, language: str | None = None, *, title: str | None = None) -> list[FundingEvent]:
    """Every funding event (rounds and look-alikes) stated in ``title`` and ``text``, in order.

    ``language`` ('en', 'es', 'pt') only matters for the bare-``$`` rule; None reads like Spanish or
    Portuguese. An event missing its company takes the one named in the title, else the one most
    rounds of the text name.
    """
    sentences = ([_read(title, language)] if title else []) + [_read(s, language) for s in split_sentences(text)]
    events: list[FundingEvent] = []
    used: set[int] = set()
    for i, s in enumerate(sentences):
        if i in used:
            continue
        context = []
        for j in range(i + 1, min(i + 3, len(sentences))):
            if sentences[j].money:
                break
            context.append(sentences[j])
        event = _event(s, context)
        if event is not None:
            events.append(event)
            if event.amount is not None:
                used.update(range(i + 1, i + 1 + len(context)))
    return _with_company(_merge(events), title_company=find_company(sentences[0].masked) if title else None)


def _with_company(events: list[FundingEvent], title_company: str | None) -> list[FundingEvent]:
    """"The company raised ...": the company of the title, else the one most rounds name (market totals
    keep none)."""
    named = Counter(e.company for e in events if e.company and e.is_round)
    fallback = title_company or (named.most_common(1)[0][0] if named else None)
    if fallback is None:
        return events
    return [e if e.company or e.not_round_reason == "aggregate" else _fill(replace(e, company=fallback), e)
            for e in events]


# --- feed triage ------------------------------------------------------------------------------

_STRONG_FUNDING = re.compile(
    r"\b(?:rais(?:e|es|ed|ing)|funding|round|seed|pre-seed|series [a-h]|secures?|secured|backs|backed"
    r"|venture debt|levanta|levanto|recauda|recaudo|ronda|semilla|serie [a-h]|capta|captou|captacao|aporte"
    r"|rodada|semente|fondo|fundo|fund)\b")
_WEAK_FUNDING = re.compile(r"\b(?:invest(?:s|ed|ment|ments)?|inversion(?:es)?|investimentos?|financiamiento"
                           r"|financiamento|financing|capital)\b")


def looks_like_funding(text: str) -> bool:
    """Whether a feed item's title and summary look like funding news worth fetching the page of."""
    folded = fold(text)
    return bool(_STRONG_FUNDING.search(folded) or (_WEAK_FUNDING.search(folded) and find_money(text)))
