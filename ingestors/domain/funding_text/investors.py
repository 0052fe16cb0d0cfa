"""Investors a sentence names: leads ("led by", "liderada por", "X led the round") and the others
("with participation from", "US$ 5 millones de X")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingestors.domain.funding_text.amounts import Money
from ingestors.domain.funding_text.round_types import round_types
from ingestors.domain.funding_text.text import _CONNECTORS, _STOP, _TOKEN, _name_like, _name_runs, _unique, fold
from ingestors.domain.funding_text.vocabulary import _ROUND_CUE, INVESTING_VERB, LEAD_VERB

# A raising verb before the investing verb: "Kuali, backed by X, raised": then the opening name is the company.
_SUBJECT_VERB_IN_HEAD = re.compile(r"\b(?:raised|raises|levanto|levantou|capto|captou|recaudo|recibio|recebeu"
                                   r"|obtuvo|obteve|cerro|fechou|secured|closed)\b")

_LEAD_INTRO = re.compile(
    r"\b(?:co-?)?(?:led|spearheaded|headed)\s+by\b"
    r"|\b(?:co-?)?(?:liderad|encabezad|comandad|capitanead|conducid|encabecad|puxad)[ao]s?\s+(?:por|pel[oa]s?)\b"
    r"|\bcom\s+lideranca\s+d[aoe]s?\b|\b(?:teve|tuvo|tiene|tem|had) (?:como|as) lider(?:es)?\b")
_LEAD_AFTER = re.compile(
    r"\s+(?:co-?leads?|co-?led|led|leads|lidera|liderou|lidero|encabezo|encabeza|comandou)\s+[^,.;]{0,40}?"
    r"\b(?:round|ronda|rodada|investment|inversion|investimento|aporte|financing|deal|seed|series [a-h]"
    r"|serie [a-h])\b")
_PARTICIPATION_INTRO = re.compile(
    r"\b(?:with (?:additional |the )?)?participation (?:from|of|by)\b|\bcon (?:la )?participacion de(?:l)?\b"
    r"|\b(?:com|e|contou com) (?:a )?participacao d[aoe]s?\b|\bjoined by\b|\bparticipacion de\b"
    r"|\bcon el respaldo de\b|\bcom apoio d[aoe]s?\b|\b(?:investid|respaldad|apoiad|financiad|backed)[ao]?s?\s+"
    r"(?:pel[oa]s?|por|by)\b|\bin a round joined by\b")
# "com a Ipiranga Capital na liderança", "con Fondo X a la cabeza": a lead named before the word for leading.
_LEAD_BEFORE = re.compile(r"\b(?:com|con|with)\s+(?:a\s+|o\s+|el\s+|la\s+)?(?P<name>[A-ZÀ-ÖØ-Þ][\w&.\-]*"
                          r"(?:\s+[A-ZÀ-ÖØ-Þ][\w&.\-]*)*)\s+(?:na lideran[cç]a|a la cabeza|in the lead|como l[ií]der)")
_FROM_AFTER_MONEY = re.compile(r"^[^,.;]{0,60}?\b(?:from|por parte de|de parte de|de|d[aoe]s?|con|com (?:o|a))\s+")
_CLAUSE_END = re.compile(
    r"[.;:()]\s|[.;:]$|,\s*(?:with|con|com|the company|la empresa|a empresa|la compania|which|que|who|segun"
    r"|segundo|according|said|dijo|disse|informo|afirmou|alongside|bringing|elevando|to)\b"
    r"|\s(?:to|para|that|which|who|que|according|segun|segundo|with|at a|a una|em uma|en una|in a|bringing"
    r"|elevando|alongside|as well as|junto|e contou|y conto|and saw)\s")
_JOINERS = (_CONNECTORS - {"y"}) | {"la", "las", "los", "el"}
_PARTICIPANTS = re.compile(r"\b(?:tambien |tambem |also )?(?:participaron|participaram|participated|participou"
                           r"|participo|joined)\b(?:\s+(?:de la ronda|da rodada|in the round|the round))?"
                           r"(?:\s+(?:tambien|tambem))?")
_FILLER = {"the", "el", "la", "los", "las", "o", "a", "os", "as", "de", "del", "da", "do", "das", "dos", "pela",
           "pelo", "pelas", "pelos", "por", "from", "existing", "investors", "investor", "inversionistas",
           "inversionista", "inversores", "investidores", "fund", "fondo", "fundo", "gestora", "firm", "also",
           "new", "other", "otros", "outros", "its", "su", "sua", "seu", "including", "incluyendo", "incluindo"}


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
        if _name_like(tok):
            name_tokens.append(tokens[i])
            i += 1
            continue
        j = i  # "Río de la Plata Capital": joiners between two capitalised words
        while name_tokens and j < len(tokens) and fold(tokens[j][0]) in _JOINERS:
            j += 1
        if j > i and j < len(tokens) and _name_like(tokens[j][0]):
            name_tokens += tokens[i:j + 1]
            i = j + 1
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
    whole_type = bool(found) and found[0].start == 0  # "FIDC", "Serie B de US$ 18 millones"
    return whole_type or bool(_INSTRUMENTS.fullmatch(fold(name)))


@dataclass(frozen=True)
class _Investors:
    leads: tuple[str, ...]
    others: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]  # where the lists are, to keep them out of other checks


def _investor_first(sentence: str, folded: str, start: int) -> tuple[list[str], bool, tuple[int, int]] | None:
    """"Fondo X lideró una inversión de US$ 7M en Rutamax", "Rainforest Capital has invested $5M in Amazonia
    Bio": the investors that open the sentence, whether they lead, and the span they take."""
    m = INVESTING_VERB.search(folded, start)
    if m is None or re.match(r"\s+(?:by|por|pel[oa]s?)\b", folded[m.end():]):
        return None  # "backed by", "liderada por": the investors come after
    head = sentence[start:m.start()]
    if re.search(r"\b(?:was|were|is|are|fue|foi|which|que)\s*$", fold(head)) or _SUBJECT_VERB_IN_HEAD.search(
            fold(head)):
        return None
    main = head.split(",")[0]
    names = [runs[-1][0] for part in re.split(r"\s+(?:y|e|and)\s+", main) if (runs := _name_runs(part))]
    if not names:
        return None
    first = sentence.find(names[0], start)  # "Retail group X put": from the start, unless a cue precedes the
    if not _ROUND_CUE.search(fold(sentence[start:first])):  # names ("esse foi o cheque que a X colocou")
        first = start
    return names, bool(LEAD_VERB.match(m[0].split()[-1])), (first, m.start())


def find_investors(sentence: str, money: list[Money] = (), start: int = 0) -> _Investors:
    """Lead investors ("led by", "liderada por", "X led the round", "X lideró una inversión en Y") and others
    ("with participation from", "X invested in Y"); ``start`` skips the sentence's lead-in."""
    folded = fold(sentence)
    leads: list[str] = []
    others: list[str] = []
    spans: list[tuple[int, int]] = []
    first = _investor_first(sentence, folded, start)
    if first is not None:
        names, lead, span = first
        (leads if lead else others).extend(names)
        spans.append(span)
    for m in _LEAD_BEFORE.finditer(sentence):
        leads.append(m["name"])
        spans.append((m.start(), m.end()))
    for m in _PARTICIPANTS.finditer(folded):
        names, _, end = _name_list(sentence, m.end())
        others += names
        spans.append((m.start(), end))
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
    for item in [] if first else money:  # "US$ 5 millones de Grupo Salud", "aporte de R$ 4 milhões da Cerrado"
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
