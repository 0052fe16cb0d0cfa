"""Evaluate the funding-event extractor (ingestors/domain/funding_text.py) on the labelled news sentences.

The labelled set is tests/ingestors/fixtures/news/labelled.yaml: fictional sentences in the style of LatAm
tech press, in English, Spanish and Portuguese, rounds and look-alikes. ``split: dev`` items were tuned
against; ``split: test`` items, written with them, are held out; ``split: blind`` items were written after
the extractor, in phrasings it was not designed for, and never tuned against. Every split is reported.

Each item is scored on its primary event: the first event the extractor reports as a round, else its first
event, else none. Fields, each as precision / recall / F1:

* is_round: the item is a round (a primary event with is_round) against the label;
* amount+currency: the primary event's (amount, currency) against the labelled pair, over every item that
  has one on either side; a wrong pair counts as a false positive and a false negative;
* company, round_type: the same slot scoring, over the labelled rounds;
* lead investors: each named lead, over the labelled rounds (micro-averaged).

Reason accuracy is the share of labelled look-alikes whose primary event carries the labelled reason.

    uv run python warehouse/benchmarks/news_extraction.py            # writes NEWS_EXTRACTION.md
    uv run python warehouse/benchmarks/news_extraction.py --split dev --errors --no-write
"""

from __future__ import annotations

import argparse
import math
import platform
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
LABELLED = REPO / "tests" / "ingestors" / "fixtures" / "news" / "labelled.yaml"
REPORT = HERE / "NEWS_EXTRACTION.md"
FIELDS = ("is_round", "amount+currency", "company", "round_type", "lead investors")
KNOWN_LIMITS = """\
Known limits, by design: a bare `$` in Spanish or Portuguese text is read as USD below a thousand million (the
documented rule), so Argentine, Chilean or Colombian press writing pesos as `$` is misread unless the sentence
says pesos (es-51); a look-alike with no amount ("bought for an undisclosed sum") gives no event (es-54); one
event per sentence, so a second round in the same sentence ("$12.5M in equity alongside a $40M debt facility")
is not reported."""
# The blind batch's first and only clean scoring, before the fixes its errors prompted (kept as measured).
BLIND_FIRST_SCORING = """\
The `blind` batch was scored once, on 2026-11-23, before any change it prompted; that run is the honest estimate
of how the extractor does on phrasings it was not written for:

| field | precision | recall | F1 |
|---|---|---|---|
| is_round | 0.810 | 0.810 | **0.810** |
| amount+currency | 0.964 | 0.794 | **0.871** |
| company | 0.778 | 0.667 | **0.718** |
| round_type | 1.000 | 0.846 | **0.917** |
| lead investors | 1.000 | 0.556 | **0.714** |

Look-alike reason right: 7 of 15. The misses were phrase coverage (an investor-first headline "X leads $45M
Series C in Y", reported speech "said it had raised", "salió a bolsa", passive "foi comprada", "picked up",
"aportaron", "recebeu um cheque", a Portuguese "financiamento" loan, "CRIs" read as an investor name); they were
fixed afterwards, so the `blind` figures below are no longer blind. One `test` item (pt-30, a FIDC read as an
investor) was also fixed after the held-out run showed it (round_type F1 on `test` was 0.980 before).
"""

sys.path.insert(0, str(REPO))
from ingestors.domain.funding_text import FundingEvent, extract_events, fold  # noqa: E402


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Result:
    items: int = 0
    scores: dict[str, Score] = field(default_factory=lambda: {name: Score() for name in FIELDS})
    reasons_right: int = 0
    look_alikes: int = 0
    errors: list[str] = field(default_factory=list)


def load(path: Path = LABELLED) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def primary(events: list[FundingEvent]) -> FundingEvent | None:
    return next((e for e in events if e.is_round), events[0] if events else None)


def _slot(score: Score, expected, predicted, same) -> bool:
    """Score one slot; True when it is right (both empty counts as right and scores nothing)."""
    if expected is None and predicted is None:
        return True
    if expected is not None and predicted is not None and same(expected, predicted):
        score.tp += 1
        return True
    if predicted is not None:
        score.fp += 1
    if expected is not None:
        score.fn += 1
    return False


def _same_money(a: tuple, b: tuple) -> bool:
    return math.isclose(a[0], b[0], rel_tol=1e-6) and a[1] == b[1]


def _name(value: str | None) -> str | None:
    return " ".join(fold(value).split()) if value else None


def score_item(item: dict, result: Result) -> None:
    expect = item["expect"]
    event = primary(extract_events(item["text"], item["lang"]))
    result.items += 1
    wrong = []
    is_round = bool(event and event.is_round)
    s = result.scores["is_round"]
    if is_round and expect["is_round"]:
        s.tp += 1
    elif is_round:
        s.fp += 1
        wrong.append(f"is_round: got a round, expected {expect.get('not_round_reason')}")
    elif expect["is_round"]:
        s.fn += 1
        wrong.append(f"is_round: missed ({event.not_round_reason if event else 'no event'})")
    want = (expect["amount"], expect["currency"]) if expect.get("amount") is not None else None
    got = (event.amount, event.currency) if event and event.amount is not None else None
    if not _slot(result.scores["amount+currency"], want, got, _same_money):
        wrong.append(f"amount: got {got}, expected {want}")
    if expect["is_round"]:
        _score_round_fields(expect, event, result, wrong)
    else:
        result.look_alikes += 1
        reason = event.not_round_reason if event and not event.is_round else None
        if reason == expect.get("not_round_reason"):
            result.reasons_right += 1
        else:
            wrong.append(f"reason: got {reason}, expected {expect.get('not_round_reason')}")
    if wrong:
        result.errors.append(f"`{item['id']}` ({item['split']}): " + "; ".join(wrong))


def _score_round_fields(expect: dict, event: FundingEvent | None, result: Result, wrong: list[str]) -> None:
    company = event.company if event else None
    if not _slot(result.scores["company"], _name(expect["company"]), _name(company), str.__eq__):
        wrong.append(f"company: got {company!r}, expected {expect['company']!r}")
    kind = event.round_type if event else None
    if not _slot(result.scores["round_type"], expect["round_type"], kind, str.__eq__):
        wrong.append(f"round_type: got {kind}, expected {expect['round_type']}")
    want = Counter(_name(n) for n in expect["lead"])
    got = Counter(_name(n) for n in (event.lead_investors if event else ()))
    s = result.scores["lead investors"]
    s.tp += sum((want & got).values())
    s.fp += sum((got - want).values())
    s.fn += sum((want - got).values())
    if want != got:
        wrong.append(f"leads: got {list(event.lead_investors) if event else []}, expected {expect['lead']}")


def evaluate(items: list[dict]) -> Result:
    result = Result()
    for item in items:
        score_item(item, result)
    return result


def _table(result: Result) -> list[str]:
    lines = ["| field | precision | recall | F1 | TP | FP | FN |", "|---|---|---|---|---|---|---|"]
    for name, s in result.scores.items():
        lines.append(f"| {name} | {s.precision:.3f} | {s.recall:.3f} | **{s.f1:.3f}** | {s.tp} | {s.fp} | {s.fn} |")
    share = result.reasons_right / result.look_alikes if result.look_alikes else 1.0
    lines.append("")
    lines.append(f"Look-alike reason right: {result.reasons_right} of {result.look_alikes} ({share:.1%}).")
    return lines


def report(items: list[dict]) -> str:
    splits = {"blind (`split: blind`)": [i for i in items if i["split"] == "blind"],
              "held-out (`split: test`)": [i for i in items if i["split"] == "test"],
              "tuning (`split: dev`)": [i for i in items if i["split"] == "dev"], "whole set": items}
    langs = Counter(i["lang"] for i in items)
    negatives = sum(not i["expect"]["is_round"] for i in items)
    now = datetime.now(UTC)
    lines = [
        "# News funding extraction: evaluation",
        "",
        f"Measured {now:%Y-%m-%d %H:%M} UTC with Python {platform.python_version()}; produced by "
        "`warehouse/benchmarks/news_extraction.py` from `tests/ingestors/fixtures/news/labelled.yaml`.",
        "",
        f"{len(items)} labelled items ({', '.join(f'{n} {lang}' for lang, n in sorted(langs.items()))}): "
        f"{len(items) - negatives} rounds and {negatives} look-alikes (acquisitions, fund closes, bonds, grants, "
        "aggregate totals, rumours, IPOs, capex pledges, past rounds). The sentences are fictional, written in the "
        "style of LatAm tech press. Rules were tuned on `dev`; `test` was written with `dev` and held out; "
        "`blind` was written afterwards in phrasings the rules were not designed for, scored once (below), and "
        "its gaps fixed since. Every split shares an author with the rules, so real articles will score lower: "
        "the first `blind` scoring is the best estimate there is. Scoring is explained in the script's "
        "docstring.",
        "",
    ]
    lines += ["## Honest estimate", "", BLIND_FIRST_SCORING]
    for title, subset in splits.items():
        result = evaluate(subset)
        lines += [f"## {title}: {len(subset)} items", "", *_table(result), ""]
    everything = evaluate(items)
    lines += ["## Items with an error", ""]
    lines += [f"- {e}" for e in everything.errors] or ["None."]
    lines += ["", KNOWN_LIMITS]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "test", "blind", "all"), default="all")
    parser.add_argument("--errors", action="store_true", help="list the items with an error")
    parser.add_argument("--no-write", action="store_true", help=f"do not rewrite {REPORT.name}")
    args = parser.parse_args()
    items = load()
    chosen = items if args.split == "all" else [i for i in items if i["split"] == args.split]
    result = evaluate(chosen)
    print("\n".join(_table(result)))
    if args.errors:
        print("\n".join(result.errors))
    if not args.no_write:
        REPORT.write_text(report(items), encoding="utf-8")
        print(f"wrote {REPORT.relative_to(REPO)}", file=sys.stderr)


if __name__ == "__main__":
    main()
