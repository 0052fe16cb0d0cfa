"""Sentences assembled into funding events: one per deal, completed by its neighbours.

* **One event per deal.** A sentence is one deal, unless it lists several (a newsletter's "A levantó US$ 3
  millones; B cerró una Serie A de US$ 9 millones; y C fue adquirida"): then it is cut at ``;``, ``:``,
  ", y/e/and/while/mientras/enquanto", "alongside" and before a capitalised name after a comma, and each
  piece that stands alone (an amount, or an acquisition) is a deal. A piece with an amount but no verb
  ("y NotCo una de US$ 235 millones") takes the verdict of the piece before it; a piece without a company
  takes the company of the piece before it.
* **The amount** of a deal is its first figure that is not a price (under 10,000), an aside (a
  conversion), a valuation, revenue, a running total or a past round told as background; when only such
  figures are left, the event is the look-alike they make (aggregate, other, valuation).
* **Round or look-alike**: the look-alike cues of :mod:`vocabulary` first; then an amount whose nearest
  round type is debt is ``debt``; a round over USD 20 bn (or in trillions) is ``implausible``; a round
  whose only figure is a valuation is ``valuation``.
* **Neighbours.** A round's type and investors often come in the next sentence ("The round was led by
  X"): up to two following sentences without an amount of their own complete the last deal of a
  sentence. A title (or headline line) and a body sentence stating the same amount for the same company
  are one event: the richer sentence is kept, and a look-alike beats a round ("raises $150M" in the
  headline, "in its IPO" in the body). A deal without a company takes the title's, else the one the
  text's rounds name most.
* **Explainable.** Every event carries its ``sentence`` (the deal's piece of it) and ``rule``: the cue
  that decided round or look-alike and how the company was found ("round: levantó; company: subject").
* **Confidence** starts at 0.5: +0.2 for an amount in a stated currency (+0.1
  when the currency comes from the bare-``$`` rule, -0.1 when it is unknown),
  +0.1 for a company, +0.1 for a round type (for a look-alike: its specific
  cue), +0.05 for named lead investors; capped to 0.05..0.95.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

from ingestors.domain.funding_text.amounts import Money, find_money
from ingestors.domain.funding_text.company import Gazetteer, find_company
from ingestors.domain.funding_text.investors import _Investors, find_investors
from ingestors.domain.funding_text.round_types import _RoundType, round_types
from ingestors.domain.funding_text.text import _mask, _unique, fold, lead_in, split_sentences
from ingestors.domain.funding_text.vocabulary import (
    _NOT_ROUND,
    _ROUND_NOUN,
    _STRONG_ROUND,
    _SUBJECT_VERB,
    MIN_ROUND_AMOUNT,
    PUBLIC_FUNDER,
    _classify,
    _pick_money,
    is_implausible,
    is_valuation,
)


@dataclass(frozen=True)
class FundingEvent:
    """One deal's funding claim, or look-alike, as the text states it."""

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
    valuation: float | None = None  # where stated, in ``valuation_currency``
    valuation_currency: str | None = None
    rule: str = ""  # what decided: "round: levantó; company: gazetteer"


@dataclass(frozen=True)
class _Sentence:
    text: str
    money: list[Money]
    investors: _Investors
    types: list[_RoundType]
    masked: str  # lead-in blanked, amounts as '¤', investor lists and round types blanked
    cue_text: str  # folded ``masked``
    digest: bool = False  # a newsletter line: "Name: US$ 1 millón (semilla)"


# "Exclusive:", "Funding roundup — Chile:", "Resumen:": a header before a colon, not the subject.
_HEADER = re.compile(r"^\s*[^:¤\d\"“”]{2,60}?:\s+")
_QUOTE = re.compile(r"\"[^\"]*\"|“[^”]*”|«[^»]*»")


def _digest_entry(sentence: str, money: list[Money]) -> bool:
    """"Chiapas Coffee Tech: US$ 1 millón (semilla)": a newsletter line, a name, a colon, then the amount."""
    header = _HEADER.match(sentence)
    return bool(header) and any(header.end() <= m.start <= header.end() + 1 for m in money)


def _read(sentence: str, language: str | None) -> _Sentence:
    money = find_money(sentence, language)
    start = lead_in(sentence)
    header = _HEADER.match(sentence, start)
    if (header and money and not _digest_entry(sentence, money) and not _SUBJECT_VERB.search(fold(header[0]))
            and not any(m.start < header.end() for m in money)):
        start = header.end()
    investors = find_investors(sentence, money, start)
    types = [t for t in round_types(sentence) if not any(s <= t.start < e for s, e in investors.spans)]
    masked = _mask(sentence, [(0, start)])
    masked = _mask(masked, [(m.start, m.end) for m in money], "¤")
    masked = _mask(masked, list(investors.spans))
    masked = _mask(masked, [(t.start, t.end) for t in types])
    return _Sentence(sentence, money, investors, types, masked, fold(masked), _digest_entry(sentence, money))


# --- one sentence, several deals --------------------------------------------------------------

_CUT = re.compile(r";\s*|:\s+|,\s*(?:(?:y|e|and|while|whereas|mientras que|mientras|enquanto)\s+)?(?=[A-ZÀ-ÖØ-Þ]|"
                  r"(?:la|el|los|las|a|o|as|os|the)\s+[A-ZÀ-ÖØ-Þa-z])|\s+(?:alongside|junto con|y, por separado,)\s+"
                  r"|\s+(?:y|e|and)\s+(?=[A-ZÀ-ÖØ-Þ][\w.]*\s+(?:una?\b|uma\b|one\b|US\$|R\$|USD|\$))")
_ACQUISITION = dict(_NOT_ROUND)["acquisition"]


def _pieces(sentence: str) -> list[str]:
    """The deals of a sentence that lists several; ``[sentence]`` otherwise."""
    cuts = [0] + [m.end() for m in _CUT.finditer(sentence)] + [len(sentence)]
    parts = [sentence[a:b] for a, b in zip(cuts, cuts[1:], strict=False) if sentence[a:b].strip()]
    standing = [bool(find_money(p)) or bool(_ACQUISITION.search(fold(p))) for p in parts]
    if sum(standing) < 2:
        return [sentence]
    pieces: list[str] = []
    pending = ""  # pieces that do not stand alone join the next one (or the last, at the end)
    for part, stands in zip(parts, standing, strict=False):
        if not stands:
            if pieces and not part.rstrip().endswith(":") and not pending:
                pieces[-1] += part
            elif not part.rstrip().endswith(":"):
                pending += part
            continue
        pieces.append(pending + part)
        pending = ""
    if pending and pieces:
        pieces[-1] += pending
    return [p.strip(" ,;:") for p in pieces]


# --- events -----------------------------------------------------------------------------------


def _nearest_type(s: _Sentence, primary: Money | None) -> _RoundType | None:
    """The round type closest to the chosen amount (a type nearer another amount belongs to that one)."""
    money = [m for m in s.money if not m.aside]
    if primary is None or not money:
        return s.types[0] if s.types else None

    def gap(t: _RoundType, m: Money) -> int:
        return max(m.start - t.end, t.start - m.end, 0)

    mine = [t for t in s.types if min(money, key=lambda m: gap(t, m)) is primary]
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


Verdict = tuple[bool, str | None, str]


def _verdict(s: _Sentence, primary: Money | None, inherited: Verdict | None) -> Verdict | None:
    folded = fold(s.text)
    verdict = _classify(s.cue_text, primary, folded, bool(s.types))
    if verdict is None and inherited is not None and primary is not None:
        verdict = (inherited[0], inherited[1], f"{inherited[2]} (previous deal)")
    if verdict is None and primary is None and any(is_valuation(folded, m) for m in s.money):
        return False, "valuation", "a valuation and no new money"
    if verdict is None and primary is not None and s.digest:
        verdict = (True, None, "digest entry")
    if verdict is None or not verdict[0]:
        return verdict
    if not s.investors.leads and (funder := PUBLIC_FUNDER.search(folded)):
        return False, "grant", f"public funder {funder[0]}"
    kind = _nearest_type(s, primary)
    if kind is not None and kind.canonical == "debt":
        return False, "debt", kind.text
    if primary is not None and is_implausible(primary):
        return False, "implausible", f"{primary.text} is more than a startup round (over USD 20 bn)"
    if primary is None and any(is_valuation(folded, m) for m in s.money):
        return False, "valuation", "a valuation and no new money"
    return verdict


def _event(s: _Sentence, context: list[_Sentence], gazetteer: Gazetteer | None,
           inherited: Verdict | None = None) -> FundingEvent | None:
    folded = fold(s.text)
    primary = _pick_money(folded, s.money)
    verdict = _verdict(s, primary, inherited)
    if verdict is None:
        return None
    is_round, reason, cue = verdict
    company, how = find_company(_QUOTE.sub(lambda m: " " * len(m[0]), s.masked), gazetteer)
    valued = next((m for m in s.money if m is not primary and is_valuation(folded, m)), None)
    if primary is None and not is_round:  # "a deal valued at $120M": a look-alike's value is its amount
        primary = next((m for m in s.money if m.amount >= MIN_ROUND_AMOUNT and not m.aside), None)
        valued = primary if reason == "valuation" else valued
    announced = is_round and _ROUND_NOUN.search(s.cue_text) and (s.investors.leads
                                                                   or _STRONG_ROUND.search(s.cue_text))
    named_exit = reason in ("acquisition", "ipo") and company
    if primary is None and not announced and not named_exit:
        return None  # reported with an amount, or a clearly announced round, or a named exit
    kind = _nearest_type(s, primary) or next((t for c in context for t in c.types), None)
    leads = s.investors.leads or next((c.investors.leads for c in context if c.investors.leads), ())
    others = s.investors.others + tuple(o for c in context for o in c.investors.others)
    if not is_round:
        kind, leads, others = None, (), ()
    rule = f"{'round' if is_round else reason}: {cue}" + (f"; company: {how}" if how else "")
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
        valuation=valued.amount if valued else None, valuation_currency=valued.currency if valued else None,
        rule=rule,
    )


def _sentence_events(text: str, language: str | None, context: list[_Sentence],
                     gazetteer: Gazetteer | None) -> list[FundingEvent]:
    """The events of one sentence: one per deal it states."""
    pieces = _pieces(text)
    if len(pieces) == 1:
        event = _event(_read(text, language), context, gazetteer)
        return [event] if event else []
    events: list[FundingEvent] = []
    inherited: Verdict | None = None
    for k, piece in enumerate(pieces):
        event = _event(_read(piece, language), context if k == len(pieces) - 1 else [], gazetteer, inherited)
        if event is None:
            continue
        if event.company is None and events:
            event = replace(event, company=events[-1].company, rule=f"{event.rule}; company: previous deal")
        event = replace(event, rule=f"{event.rule}; deal {k + 1} of {len(pieces)}")
        inherited = (event.is_round, event.not_round_reason, event.rule.split(":", 1)[-1].split(";")[0].strip())
        events.append(event)
    return events


def _same_deal(a: FundingEvent, b: FundingEvent) -> bool:
    return (a.amount is not None and (a.amount, a.currency) == (b.amount, b.currency)
            and (a.company is None or b.company is None or fold(a.company) == fold(b.company)))


def _merge(events: list[FundingEvent]) -> list[FundingEvent]:
    """One event per deal: a title and the lead paragraph usually state the same round; when one of them
    says it is a look-alike (an IPO, an acquisition), the look-alike stands."""
    merged: list[FundingEvent] = []
    for event in events:
        twin = next((i for i, e in enumerate(merged) if _same_deal(e, event)), None)
        if twin is None:
            merged.append(event)
            continue
        best, other = sorted((merged[twin], event), key=lambda e: (e.is_round, -e.confidence, -len(e.sentence)))
        merged[twin] = _fill(best, other)
    with_amount = [e for e in merged if e.is_round and e.amount is not None]
    return [e for e in merged if e.amount is not None or not e.is_round or not with_amount]


def _fill(event: FundingEvent, other: FundingEvent) -> FundingEvent:
    both_rounds = event.is_round and other.is_round
    filled = replace(
        event,
        company=event.company or other.company,
        round_type=event.round_type or (other.round_type if both_rounds else None),
        round_type_text=event.round_type_text or (other.round_type_text if both_rounds else None),
        lead_investors=event.lead_investors or (other.lead_investors if both_rounds else ()),
        investors=_unique(list(event.investors) + (list(other.investors) if both_rounds else [])),
        valuation=event.valuation or other.valuation,
        valuation_currency=event.valuation_currency or other.valuation_currency,
    )
    return replace(filled, confidence=_confidence(filled.is_round, _money_of(filled), filled.company,
                                                  filled.round_type, filled.lead_investors))


def _money_of(event: FundingEvent) -> Money | None:
    if event.amount is None:
        return None
    return Money(event.amount, event.amount_low, event.amount_high, event.amount_qualifier or "exact",
                 event.currency, event.currency_rule, event.amount_text or "", 0, 0)


def extract_events(text: str, language: str | None = None, *, title: str | None = None,
                   organisations: Gazetteer | Iterable[str] | None = None) -> list[FundingEvent]:
    """Every funding event (rounds and look-alikes) stated in ``title`` and ``text``, in order.

    ``language`` ('en', 'es', 'pt') only matters for the bare-``$`` rule; None reads like Spanish or
    Portuguese. ``organisations`` are known organisation names (a :class:`Gazetteer`, e.g.
    :func:`load_gazetteer`'s registry names, or any names), looked for first when naming the company. An
    event missing its company takes the one named in the title, else the one most rounds of the text name.
    """
    gazetteer = organisations if isinstance(organisations, Gazetteer) or organisations is None \
        else Gazetteer(organisations)
    texts = ([title] if title else []) + split_sentences(text)
    sentences = [_read(s, language) for s in texts]
    events: list[FundingEvent] = []
    used: set[int] = set()
    for i in range(len(sentences)):
        if i in used:
            continue
        context = []
        for j in range(i + 1, min(i + 3, len(sentences))):
            if sentences[j].money:
                break
            context.append(sentences[j])
        found = _sentence_events(texts[i], language, context, gazetteer)
        events += found
        if any(e.amount is not None for e in found):
            used.update(range(i + 1, i + 1 + len(context)))
    title_company = find_company(sentences[0].masked, gazetteer)[0] if title else None
    return _with_company(_merge(events), title_company=title_company)


def _with_company(events: list[FundingEvent], title_company: str | None) -> list[FundingEvent]:
    """"The company raised ...": the company of the title, else the one most rounds name (market totals
    keep none)."""
    named = Counter(e.company for e in events if e.company and e.is_round)
    fallback = title_company or (named.most_common(1)[0][0] if named else None)
    if fallback is None:
        return events
    return [e if e.company or e.not_round_reason == "aggregate" else
            _fill(replace(e, company=fallback, rule=f"{e.rule}; company: title or text"), e) for e in events]
