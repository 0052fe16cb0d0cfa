"""Sentences assembled into funding events: one per sentence, completed by its neighbours.

* **One event per sentence**: its first amount that is not a price (under
  10,000), a valuation, revenue, a running total or a past round told as
  background ("which had raised $3M", "la ronda anterior"); when only such
  amounts are left, the event is the look-alike they make (aggregate, other).
  A round's type and investors often come in the next sentence ("The round was
  led by X"): up to two following sentences without an amount of their own
  complete the event. A title and a body sentence stating the same amount are
  one event (the richer sentence kept); a sentence without a company takes the
  title's, else the one the text's rounds name most. Look-alikes are reported
  only with an amount ("acquired for an undisclosed sum" gives no event).
* **Confidence** starts at 0.5: +0.2 for an amount in a stated currency (+0.1
  when the currency comes from the bare-``$`` rule, -0.1 when it is unknown),
  +0.1 for a company, +0.1 for a round type (for a look-alike: its specific
  cue), +0.05 for named lead investors; capped to 0.05..0.95.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from ingestors.domain.funding_text.amounts import Money, find_money
from ingestors.domain.funding_text.company import find_company
from ingestors.domain.funding_text.investors import _Investors, find_investors
from ingestors.domain.funding_text.round_types import _RoundType, round_types
from ingestors.domain.funding_text.text import _mask, _unique, fold, split_sentences
from ingestors.domain.funding_text.vocabulary import (
    _ROUND_NOUN,
    _STRONG_ROUND,
    MIN_ROUND_AMOUNT,
    _classify,
    _pick_money,
)


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
