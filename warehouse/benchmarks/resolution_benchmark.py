"""Entity-resolution benchmark: precision and recall of the pairwise rule on a labelled set of real names.

The labelled set is ``warehouse/benchmarks/labels/resolution_pairs.csv``: pairs of organisation names as real
sources write them (TeleGeography cable owners, PeeringDB organisations, Epoch's cluster owners and model
organisations, TOP500 sites, YC companies and their former names, and names from organisations' own pages),
each labelled same / not the same organisation, with its hard case (subsidiary, division, joint venture,
same name in two countries, rebrand, close names ...). ``split`` is ``dev`` (look at it while tuning the
rules) or ``test`` (frozen: never tune on it). YC pairs are labelled by the directory's own ids: two ids are
two companies, and a former name YC lists is the same company.

Each side becomes an :class:`ingestors.domain.resolution.OrgRecord` with the source, country, aliases and
website the source gives, and :func:`ingestors.domain.resolution.decide` says whether they are the same.

    python warehouse/benchmarks/resolution_benchmark.py            # both splits, per case
    python warehouse/benchmarks/resolution_benchmark.py --errors   # and every wrong decision
"""

from __future__ import annotations

import argparse
import csv
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from ingestors.domain.resolution import OrgRecord, decide

LABELS = Path(__file__).parent / "labels" / "resolution_pairs.csv"


@dataclass(frozen=True)
class Scores:
    pairs: int
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        predicted = self.true_positives + self.false_positives
        return self.true_positives / predicted if predicted else 1.0

    @property
    def recall(self) -> float:
        actual = self.true_positives + self.false_negatives
        return self.true_positives / actual if actual else 1.0


def load_pairs(path: Path = LABELS) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _record(row: dict[str, str], side: str) -> OrgRecord:
    return OrgRecord(
        key=f"{row['pair_id']}:{side}",
        source=row[f"source_{side}"],
        name=row[f"name_{side}"],
        country_iso2=row[f"country_{side}"] or None,
        website=row[f"website_{side}"] or None,
        aliases=tuple(a for a in row[f"aliases_{side}"].split("|") if a),
    )


def predict(row: dict[str, str]) -> bool:
    return decide(_record(row, "a"), _record(row, "b")).is_match


def score(split: str, rows: list[dict[str, str]] | None = None) -> tuple[Scores, list[dict[str, str]]]:
    """Scores on one split, and the rows decided wrongly."""
    rows = [r for r in (rows if rows is not None else load_pairs()) if r["split"] == split]
    tp = fp = fn = 0
    errors = []
    for r in rows:
        truth, guess = r["same"] == "true", predict(r)
        tp += truth and guess
        fp += guess and not truth
        fn += truth and not guess
        if truth != guess:
            errors.append(r)
    return Scores(len(rows), tp, fp, fn), errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="print every wrong decision")
    args = parser.parse_args()
    rows = load_pairs()
    for split in ("dev", "test"):
        s, errors = score(split, rows)
        print(f"{split:4}  pairs {s.pairs:3}  precision {s.precision:.3f}  recall {s.recall:.3f}  "
              f"(tp {s.true_positives}, fp {s.false_positives}, fn {s.false_negatives})")
        by_case: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for r in rows:
            if r["split"] == split:
                by_case[r["case"]][0] += 1
        for r in errors:
            by_case[r["case"]][1] += 1
        print("      wrong by case: " + ", ".join(f"{c} {w}/{n}" for c, (n, w) in sorted(by_case.items()) if w))
        if args.errors:
            for r in errors:
                print(f"      {r['pair_id']} {r['case']:24} same={r['same']:5} {r['name_a']!r} ({r['country_a']}) | "
                      f"{r['name_b']!r} ({r['country_b']})")


if __name__ == "__main__":
    main()
