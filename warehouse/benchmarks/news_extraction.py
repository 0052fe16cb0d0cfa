"""Evaluate the funding-event extractor (ingestors/domain/funding_text) on the labelled news passages.

The set is tests/ingestors/fixtures/news/passages_{es,pt,en}.yaml (policy in the README there): passages in
the style of LatAm tech press, each labelled with the events it states (rounds and look-alikes). The split
is a fixed hash of the id (:func:`split_of`): about 40 % ``test``, frozen in ``test_split.lock`` and never
tuned on, the rest ``dev``. Both are reported, per language and per field, with a ``blind`` batch
(passages_blind.yaml) written after tuning and scored apart (its first scoring kept in BLIND_FIRST).

Scoring is per event. In each passage, every labelled round is matched with one reported round (the one
agreeing on company or amount, else the next unmatched one):

* **is_round**: a matched pair is a true positive, a reported round left over a false positive (a
  look-alike taken for a round, a round invented), a labelled round left over a false negative;
* **fields** on true positives, as accuracy: company (case and accents ignored), amount+currency (both, the
  amount within 0.1 %), round type (null = null counts as right), lead investors (the same set);
* **reason**: the share of labelled look-alikes for which the extractor reports a look-alike event with the
  labelled reason;
* **buyer and target** of acquisitions: every labelled acquisition carries ``acquirer`` and ``target``
  (null when the sentence names none, as in a merger); the reported acquisition look-alike (the one naming
  the labelled company, else the first) goes through ``ingestors.domain.exits.split_acquisition``, as the
  warehouse's ``int_news_exits`` does, and each side is right when it equals the label (case and accents
  ignored, null = null). An acquisition not reported counts as wrong on both sides. These labels were added
  after the test part was frozen: ``digest`` leaves them out and ``test_split_exits.lock`` freezes them.

The extractor is given the registry's organisation names as its gazetteer, never the labels' names.

    python warehouse/benchmarks/news_extraction.py                 # writes NEWS_EXTRACTION.md
    python warehouse/benchmarks/news_extraction.py --split dev --errors --no-write
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
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
FIXTURES = REPO / "tests" / "ingestors" / "fixtures" / "news"
LANGUAGES = ("es", "pt", "en")
LOCK = FIXTURES / "test_split.lock"
EXITS_LOCK = FIXTURES / "test_split_exits.lock"
EXIT_LABELS = ("acquirer", "target")  # added to acquisition events after the freeze (issue 14's exit measure)
REPORT = HERE / "NEWS_EXTRACTION.md"
TEST_SHARE = 40  # percent of ids whose hash falls in the test part
FIELDS = ("company", "amount+currency", "round_type", "lead")
TARGETS = {"is_round F1": 0.93, "company": 0.90, "amount+currency": 0.93, "round_type": 0.85, "lead": 0.85}
# The frozen test part's first scoring, before any change to the extractor made for this set (kept as measured).
FIRST_TEST_SCORING = """\
The `test` part was frozen (`test_split.lock`) and scored once with the extractor as it was on main before
this set existed (no gazetteer, no multi-deal split, the old vocabulary):

| measure | test, before tuning |
|---|---|
| is_round precision / recall / F1 | {p} / {r} / **{f}** |
| company | {company} |
| amount+currency | {amount} |
| round_type | {kind} |
| lead | {lead} |
| look-alike reason right | {reason} |
"""
# The blind batch's first and only clean scoring, before the fixes its errors prompted (kept as measured).
BLIND_FIRST = """\
The `blind` batch (`passages_blind.yaml`, 45 passages: 15 es, 15 pt, 15 en) was written after the rules were
tuned on `dev`, in phrasings they were not written for (passives, quotes, amounts in words, digest items with a
colon, investors "betting on" a company, unnamed-source verbs), and scored once on 2026-12-07 before any change
it prompted. That run is the most honest figure this set gives:

| measure | blind, first scoring |
|---|---|
| is_round precision / recall / F1 | 0.862 / 0.806 / **0.833** |
| company | 0.760 |
| amount+currency | 1.000 |
| round_type | 0.960 |
| lead | 0.880 |
| look-alike reason right | 0.571 (12 of 21) |

Its gaps were fixed afterwards (see the table below), so the current `blind` row is no longer blind.
"""
# Buyer and target before the splitter was changed for the labels (on dev only), kept as measured 2026-12-07.
EXITS_FIRST = """\
Scored once with `split_acquisition` as it was before the labels existed (commit 07fe99f's rules), then the
splitter was changed for the `dev` errors only (lower-case descriptors and stake shares before a target,
"agreed to buy" / "acordó comprar", a number is no buyer):

| part | labelled | buyer right | target right | both right |
|---|---|---|---|---|
| test, before | 11 | 0.636 | 0.364 | **0.182** |
| dev, before | 7 | 0.571 | 0.429 | **0.143** |
| blind, before | 3 | 0.667 | 0.333 | **0.333** |
"""
CAVEAT = """\
How far to trust these figures: the passages and the rules were written by the same hand, after reading the
same articles, so the frozen `test` part measures phrasings the rules were not tuned on but not a different
writer, and its figures are optimistic. The blind batch's first scoring (round F1 0.833, company 0.760, look-alike
reason 0.571) is the closest this set gets to an honest estimate; real passages kept aside by the lead (issue 14)
remain the measure that counts."""
FIRST = {"p": "0.914", "r": "0.895", "f": "0.904", "company": "0.776", "amount": "0.976", "kind": "0.988",
         "lead": "0.941", "reason": "0.574 (27 of 47)"}  # measured 2026-12-07 on commit 581c2f9's extractor

sys.path.insert(0, str(REPO))
from ingestors.domain.exits import split_acquisition  # noqa: E402
from ingestors.domain.funding_text import FundingEvent, Gazetteer, extract_events, fold, load_gazetteer  # noqa: E402


def split_of(item_id: str) -> str:
    """'test' or 'dev', fixed by the id alone: the first 8 hex digits of its SHA-256, modulo 100, below 40."""
    return "test" if int(hashlib.sha256(item_id.encode()).hexdigest()[:8], 16) % 100 < TEST_SHARE else "dev"


def digest(item: dict) -> str:
    """A digest of a passage and its labels as frozen (the split and language it is given, and the buyer and
    target labels added later, are left out)."""
    core = {k: v for k, v in item.items() if k not in ("split", "lang")}
    core["events"] = [{k: v for k, v in e.items() if k not in EXIT_LABELS} for e in item.get("events", [])]
    return hashlib.sha256(json.dumps(core, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def exit_digest(item: dict) -> str:
    """A digest of a passage's buyer and target labels (frozen apart: ``test_split_exits.lock``)."""
    labels = [[e.get(k) for k in EXIT_LABELS] for e in item.get("events", []) if "acquirer" in e]
    return hashlib.sha256(json.dumps(labels, ensure_ascii=False).encode()).hexdigest()[:16]


def load() -> list[dict]:
    """Every passage, with ``lang`` and ``split`` added."""
    items = []
    for lang in LANGUAGES:
        for item in yaml.safe_load((FIXTURES / f"passages_{lang}.yaml").read_text(encoding="utf-8")):
            items.append({**item, "lang": lang, "split": split_of(item["id"])})
    return items


def load_blind() -> list[dict]:
    """The blind batch (passages_blind.yaml), written after tuning and scored apart: ``split`` is 'blind'."""
    items = yaml.safe_load((FIXTURES / "passages_blind.yaml").read_text(encoding="utf-8"))
    return [{**item, "lang": item["id"].split("-")[1], "split": "blind"} for item in items]


def frozen() -> dict[str, str]:
    """id -> digest of the test part as frozen."""
    lines = LOCK.read_text(encoding="utf-8").splitlines()
    return dict(line.split() for line in lines if line and not line.startswith("#"))


def frozen_exits() -> dict[str, str]:
    """id -> digest of the buyer and target labels of the test part's acquisitions, as frozen."""
    lines = EXITS_LOCK.read_text(encoding="utf-8").splitlines()
    return dict(line.split() for line in lines if line and not line.startswith("#"))


def write_exits_lock(items: list[dict]) -> None:
    test = sorted((i["id"], exit_digest(i)) for i in items
                  if i["split"] == "test" and any("acquirer" in e for e in i["events"]))
    header = "# The frozen test part's buyer and target labels: id and digest (news_extraction.exit_digest).\n"
    EXITS_LOCK.write_text(header + "".join(f"{i} {d}\n" for i, d in test), encoding="utf-8")


def write_lock(items: list[dict]) -> None:
    test = sorted((i["id"], digest(i)) for i in items if i["split"] == "test")
    header = "# The frozen test part: id and digest of each passage with its labels (news_extraction.digest).\n"
    LOCK.write_text(header + "".join(f"{i} {d}\n" for i, d in test), encoding="utf-8")


@functools.cache
def registry_gazetteer() -> Gazetteer:
    """The registry's organisation names and aliases (what the news source passes in production)."""
    return load_gazetteer()


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    right: Counter = field(default_factory=Counter)  # field -> right on true positives
    reasons: int = 0
    reasons_right: int = 0
    passages: int = 0
    errors: list[str] = field(default_factory=list)

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

    def accuracy(self, name: str) -> float:
        return self.right[name] / self.tp if self.tp else 1.0

    @property
    def reason_accuracy(self) -> float:
        return self.reasons_right / self.reasons if self.reasons else 1.0

    def add(self, other: Tally) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn
        self.right.update(other.right)
        self.reasons += other.reasons
        self.reasons_right += other.reasons_right
        self.passages += other.passages
        self.errors += other.errors


def _name(value: str | None) -> str | None:
    return " ".join(fold(value).strip(" .,;:").split()) if value else None


def _same_money(label: dict, event: FundingEvent) -> bool:
    if label.get("amount") is None or event.amount is None:
        return label.get("amount") is None and event.amount is None
    return math.isclose(label["amount"], event.amount, rel_tol=1e-3) and label.get("currency") == event.currency


def _checks(label: dict, event: FundingEvent) -> dict[str, bool]:
    return {
        "company": _name(label.get("company")) == _name(event.company),
        "amount+currency": _same_money(label, event),
        "round_type": label.get("round_type") == event.round_type,
        "lead": {_name(n) for n in label.get("lead", [])} == {_name(n) for n in event.lead_investors},
    }


def _agreement(label: dict, event: FundingEvent) -> int:
    checks = _checks(label, event)
    return 2 * checks["company"] + 2 * (checks["amount+currency"] and label.get("amount") is not None)


def score_item(item: dict, names: list[str] | Gazetteer) -> Tally:
    tally = Tally(passages=1)
    events = extract_events(item["text"], item["lang"], organisations=names)
    rounds = [e for e in events if e.is_round]
    looks = [e for e in events if not e.is_round]
    wrong = []
    for label in [x for x in item["events"] if x["is_round"]]:
        if not rounds:
            tally.fn += 1
            wrong.append(f"missed {label.get('company')!r}")
            continue
        event = max(rounds, key=lambda e: _agreement(label, e))  # ties: the first in reading order
        rounds.remove(event)
        tally.tp += 1
        for name, ok in _checks(label, event).items():
            tally.right[name] += ok
            if not ok:
                got = {"company": event.company, "amount+currency": (event.amount, event.currency),
                       "round_type": event.round_type, "lead": list(event.lead_investors)}[name]
                want = {"company": label.get("company"), "amount+currency": (label.get("amount"),
                        label.get("currency")), "round_type": label.get("round_type"),
                        "lead": label.get("lead")}[name]
                wrong.append(f"{name}: got {got!r}, want {want!r}")
    for event in rounds:
        tally.fp += 1
        wrong.append(f"extra round {event.company!r} {event.amount} ({event.rule})"
                     if hasattr(event, "rule") else f"extra round {event.company!r} {event.amount}")
    for label in [x for x in item["events"] if not x["is_round"]]:
        tally.reasons += 1
        hit = next((e for e in looks if e.not_round_reason == label["reason"]), None)
        if hit is not None:
            looks.remove(hit)
            tally.reasons_right += 1
        else:
            wrong.append(f"reason {label['reason']} not reported")
    if wrong:
        tally.errors.append(f"`{item['id']}` ({item['split']}): " + "; ".join(wrong))
    return tally


def evaluate(items: list[dict], names: list[str] | Gazetteer | None = None) -> Tally:
    names = registry_gazetteer() if names is None else names
    total = Tally()
    for item in items:
        total.add(score_item(item, names))
    return total


@dataclass
class ExitTally:
    labelled: int = 0  # labelled acquisitions with buyer and target labels
    reported: int = 0  # of which the extractor reported as an acquisition look-alike
    acquirer: int = 0
    target: int = 0
    both: int = 0
    errors: list[str] = field(default_factory=list)

    def share(self, n: int) -> float:
        return n / self.labelled if self.labelled else 1.0


def score_exits(items: list[dict], names: list[str] | Gazetteer | None = None) -> ExitTally:
    """Buyer and target of every labelled acquisition, split from the reported event as the warehouse does."""
    names = registry_gazetteer() if names is None else names
    tally = ExitTally()
    for item in items:
        labels = [e for e in item["events"] if not e["is_round"] and "acquirer" in e]
        if not labels:
            continue
        reported = [e for e in extract_events(item["text"], item["lang"], organisations=names)
                    if not e.is_round and e.not_round_reason == "acquisition"]
        for label in labels:
            tally.labelled += 1
            event = next((e for e in reported if _name(e.company) == _name(label.get("company"))),
                         reported[0] if reported else None)
            if event is None:
                tally.errors.append(f"`{item['id']}` ({item['split']}): acquisition not reported")
                continue
            reported.remove(event)
            tally.reported += 1
            split = split_acquisition(event.sentence, event.company)
            buyer = _name(split.acquirer) == _name(label["acquirer"])
            target = _name(split.target) == _name(label["target"])
            tally.acquirer += buyer
            tally.target += target
            tally.both += buyer and target
            if not (buyer and target):
                tally.errors.append(f"`{item['id']}` ({item['split']}): got {split.acquirer!r} -> {split.target!r}, "
                                    f"want {label['acquirer']!r} -> {label['target']!r} ({split.rule})")
    return tally


EXIT_HEADER = ("| part | labelled acquisitions | reported | buyer right | target right | both right |",
               "|---|---|---|---|---|---|")


def exit_table(items: list[dict], names: Gazetteer, blind: list[dict] = ()) -> list[str]:
    lines = list(EXIT_HEADER)
    for split in ("test", "dev", "blind"):
        part = [i for i in [*items, *blind] if i["split"] == split]
        t = score_exits(part, names)
        if t.labelled:
            lines.append(f"| **{split}** | {t.labelled} | {t.reported} | {t.share(t.acquirer):.3f} | "
                         f"{t.share(t.target):.3f} | **{t.share(t.both):.3f}** |")
    return lines


def meets_targets(tally: Tally) -> dict[str, tuple[float, float, bool]]:
    """measure -> (value, target, met) for the issue's targets."""
    values = {"is_round F1": tally.f1, **{name: tally.accuracy(name) for name in FIELDS}}
    return {name: (values[name], target, values[name] >= target) for name, target in TARGETS.items()}


def _row(label: str, t: Tally) -> str:
    fields = " | ".join(f"{t.accuracy(name):.3f}" for name in FIELDS)
    return (f"| {label} | {t.passages} | {t.tp + t.fn} | {t.precision:.3f} | {t.recall:.3f} | **{t.f1:.3f}** | "
            f"{fields} | {t.reason_accuracy:.3f} ({t.reasons_right}/{t.reasons}) |")


HEADER = ("| part | passages | labelled rounds | round precision | round recall | round F1 | company | "
          "amount+currency | round type | lead | look-alike reason |",
          "|---|---|---|---|---|---|---|---|---|---|---|")


def table(items: list[dict], names: Gazetteer, blind: list[dict] = ()) -> list[str]:
    """Rows per part and language; ``blind`` passages (scored apart) after the set's own parts."""
    lines = list(HEADER)
    everything = [*items, *blind]
    for split in ("test", "dev", "blind"):
        part = [i for i in everything if i["split"] == split]
        if not part:
            continue
        lines.append(_row(f"**{split}**", evaluate(part, names)))
        for lang in LANGUAGES:
            lines.append(_row(f"{split} · {lang}", evaluate([i for i in part if i["lang"] == lang], names)))
        if split == "dev":
            lines.append(_row("test + dev", evaluate(items, names)))
    return lines


def _split_sizes(splits: Counter, split: str) -> str:
    per_lang = ", ".join(f"{splits[(split, lang)]} {lang}" for lang in LANGUAGES)
    return f"{split} {sum(splits[(split, lang)] for lang in LANGUAGES)} ({per_lang})"


def report(items: list[dict]) -> str:
    names = registry_gazetteer()
    langs = Counter(i["lang"] for i in items)
    splits = Counter((i["split"], i["lang"]) for i in items)
    hard = sum(bool(i.get("hard")) for i in items)
    real = sum(not i.get("fictional", True) for i in items)
    events = [e for i in items for e in i["events"]]
    reasons = Counter(e["reason"] for e in events if not e["is_round"])
    test = evaluate([i for i in items if i["split"] == "test"], names)
    lines = [
        "# News funding extraction: evaluation",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with Python {platform.python_version()}; produced by "
        "`warehouse/benchmarks/news_extraction.py` from `tests/ingestors/fixtures/news/passages_*.yaml` "
        "(labelling policy in the README there).",
        "",
        f"{len(items)} passages ({', '.join(f'{langs[lang]} {lang}' for lang in LANGUAGES)}); "
        f"{_split_sizes(splits, 'test')}, {_split_sizes(splits, 'dev')}. "
        f"{hard} passages ({hard / len(items):.0%}) are hard cases; {real} retell real rounds and carry the "
        f"URL and date of the page that reports them. {sum(e['is_round'] for e in events)} labelled rounds and "
        f"{sum(not e['is_round'] for e in events)} look-alikes "
        f"({', '.join(f'{n} {r}' for r, n in reasons.most_common())}).",
        "",
        "## Targets on the frozen test part",
        "",
        "| measure | value | target | met |",
        "|---|---|---|---|",
        *[f"| {name} | {value:.3f} | {target:.2f} | {'yes' if met else 'no'} |"
          for name, (value, target, met) in meets_targets(test).items()],
        "",
        "## Before tuning",
        "",
        FIRST_TEST_SCORING.format(**FIRST),
        "## A blind batch",
        "",
        BLIND_FIRST,
        "## Per part, language and field",
        "",
        "Round precision/recall/F1 count events; the field columns are accuracies on true-positive rounds; "
        "the last column is the share of labelled look-alikes reported with their reason.",
        "",
        *table(items, names, load_blind()),
        "",
        "## Buyer and target of acquisitions",
        "",
        "Each labelled acquisition's buyer and target against what the warehouse would record "
        "(`ingestors.domain.exits.split_acquisition` on the reported event, as `int_news_exits` does); shares "
        "are of labelled acquisitions, an acquisition not reported counting as wrong. The labels were added "
        "after the test part was frozen and are frozen apart (`test_split_exits.lock`); the splitter was then "
        "changed for `dev` errors only (first scoring below).",
        "",
        *exit_table(items, names, load_blind()),
        "",
        EXITS_FIRST,
        "## Dev passages with an error",
        "",
        "Only the `dev` part's errors are listed: the `test` part is scored, never read for tuning.",
        "",
    ]
    dev = [i for i in items if i["split"] == "dev"]
    errors = evaluate(dev, names).errors + score_exits(dev, names).errors
    lines += [f"- {e}" for e in errors] or ["None."]
    lines += ["", CAVEAT]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "test", "blind", "all"), default="all")
    parser.add_argument("--errors", action="store_true", help="list the passages with an error")
    parser.add_argument("--no-write", action="store_true", help=f"do not rewrite {REPORT.name}")
    parser.add_argument("--freeze", action="store_true", help=f"write {LOCK.name} (once, when the set is made)")
    parser.add_argument("--freeze-exits", action="store_true",
                        help=f"write {EXITS_LOCK.name} (once, when the buyer and target labels were added)")
    args = parser.parse_args()
    items = load()
    if args.freeze:
        write_lock(items)
        print(f"wrote {LOCK.relative_to(REPO)}", file=sys.stderr)
        return
    if args.freeze_exits:
        write_exits_lock(items)
        print(f"wrote {EXITS_LOCK.relative_to(REPO)}", file=sys.stderr)
        return
    chosen = load_blind() if args.split == "blind" else items if args.split == "all" else [
        i for i in items if i["split"] == args.split]
    names = registry_gazetteer()
    print("\n".join(table(chosen, names)))
    print("\n".join(exit_table(chosen, names)))
    if args.errors:  # the test part is never read for tuning: its errors are not printed
        dev = [i for i in chosen if i["split"] == "dev"]
        print("\n".join(evaluate(dev, names).errors + score_exits(dev, names).errors))
    if not args.no_write:
        REPORT.write_text(report(items), encoding="utf-8")
        print(f"wrote {REPORT.relative_to(REPO)}", file=sys.stderr)


if __name__ == "__main__":
    main()
