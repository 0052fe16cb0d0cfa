"""Funding events in news text (English, Spanish, Portuguese). Pure functions: no I/O.

:func:`extract_events` reads a text (an article's title and body) sentence by
sentence and reports each sentence that states a funding amount next to a
funding word, or announces a round without an amount, as a :class:`FundingEvent`:
company, amount and currency as stated, round type as written, lead and other
investors, whether it is a round at all, and a confidence.

The package follows the steps of reading a sentence; each module's docstring
records the rules of its step (each rule is pinned by tests/ingestors/test_funding_text.py):

* ``text``: accent folding, sentences, language, name tokens;
* ``amounts``: numbers, scales, currencies, ranges and qualifiers;
* ``round_types``: "Série A", "ronda semilla", "venture debt" made canonical;
* ``investors``: lead and other investors;
* ``vocabulary``: raising verbs, round cues and look-alike cues (acquisition, IPO, fund close...);
* ``company``: the company a sentence is about, known organisations (:class:`Gazetteer`) first;
* ``events``: sentences cut into deals and assembled into events, merged across title and body; each event
  carries its sentence, the ``rule`` that decided it and a valuation where stated.

Measured on tests/ingestors/fixtures/news/ by warehouse/benchmarks/news_extraction.py
(warehouse/benchmarks/NEWS_EXTRACTION.md).
"""

from __future__ import annotations

from ingestors.domain.funding_text.amounts import Money, find_money, parse_number, scale_of
from ingestors.domain.funding_text.company import Gazetteer, find_company, load_gazetteer
from ingestors.domain.funding_text.events import FundingEvent, extract_events
from ingestors.domain.funding_text.investors import find_investors
from ingestors.domain.funding_text.round_types import canonical_round_type, round_types
from ingestors.domain.funding_text.text import fold, guess_language, split_sentences
from ingestors.domain.funding_text.vocabulary import MIN_ROUND_AMOUNT, looks_like_funding

__all__ = [
    "MIN_ROUND_AMOUNT", "FundingEvent", "Gazetteer", "Money", "canonical_round_type", "extract_events",
    "find_company", "find_investors", "find_money", "fold", "guess_language", "load_gazetteer",
    "looks_like_funding", "parse_number", "round_types", "scale_of", "split_sentences",
]
