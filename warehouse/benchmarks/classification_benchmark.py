"""Layer-classification benchmark: accuracy per layer on a labelled set of real organisations.

The labelled set is ``warehouse/benchmarks/labels/classification_orgs.csv``: real organisations of the
LatAm chain (cable owners and telecom operators, data-center and cloud operators, chip and energy companies,
universities and institutes, TOP500 and Epoch sites, registry organisations, banks, governments, startups),
each with the layers (and hardware sub-layers) it belongs to -- empty when it is outside the chain -- and
``split`` dev (tune on it) or test (frozen). Two kinds of rows:

* ``written``: a Wikidata-style record whose class labels (and some class QIDs) and description in Spanish,
  Portuguese or English were written for this set, in our own words;
* ``yc_capture``: a LatAm YC company whose tags, industries and descriptions are read at run time from the
  real capture in ``../shared/samples/yc`` (skipped when that folder is absent).

The rules are the dbt seed ``layer_rules.csv``, applied by :func:`ingestors.domain.classification.classify`.

    python warehouse/benchmarks/classification_benchmark.py            # per layer, both splits
    python warehouse/benchmarks/classification_benchmark.py --errors   # and every wrong organisation
"""

from __future__ import annotations

import argparse
import csv
import json
from dataclasses import dataclass
from pathlib import Path

from ingestors.core.config import REPO_ROOT
from ingestors.domain.classification import OrgFeatures, classify, rules_from_rows

LABELS = Path(__file__).parent / "labels" / "classification_orgs.csv"
RULES_SEED = REPO_ROOT / "dbt_project" / "seeds" / "layer_rules.csv"
YC_CAPTURE = REPO_ROOT.parent / "shared" / "samples" / "yc"
LAYERS = ("hardware_infrastructure", "data", "research", "foundation_models", "mlops_tooling", "applications",
          "integration", "end_users")


def load_rules():
    with RULES_SEED.open(encoding="utf-8") as fh:
        return rules_from_rows(csv.DictReader(fh))


def yc_companies(folder: Path = YC_CAPTURE) -> dict[str, dict]:
    """Every company record in the capture's JSON files, by slug (empty when the capture is absent)."""
    out: dict[str, dict] = {}
    for path in sorted(folder.glob("**/*.json")) if folder.is_dir() else []:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, OSError):
            continue
        for c in data if isinstance(data, list) else [data]:
            if isinstance(c, dict) and c.get("slug") and "all_locations" in c:
                out[c["slug"]] = c
    return out


def features(row: dict[str, str], yc: dict[str, dict]) -> OrgFeatures | None:
    """The record the classifier sees, as int_organization_features builds it; None when its capture is absent."""
    if row["source"] == "yc_capture":
        c = yc.get(row["yc_slug"])
        if c is None:
            return None
        industries = [*(c.get("industries") or []), c.get("industry"), c.get("subindustry")]
        return OrgFeatures(row["org_id"], tags=tuple(c.get("tags") or ()),
                           industries=tuple(i for i in industries if i),
                           description=" ".join(x for x in (c.get("one_liner"), c.get("long_description")) if x))
    classes = tuple(x for x in row["classes"].split("|") if x)
    return OrgFeatures(row["org_id"], classes=classes, description=row["description"])


@dataclass
class LayerScore:
    layer: str
    organisations: int = 0
    correct: int = 0
    true_positives: int = 0
    predicted: int = 0
    actual: int = 0

    @property
    def accuracy(self) -> float:
        return self.correct / self.organisations if self.organisations else 1.0

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.actual if self.actual else 1.0


def evaluate(split: str, rows: list[dict[str, str]] | None = None):
    """Per-layer scores, exact-match accuracy (every layer and hardware sub-layer right), and the wrong rows."""
    rows = [r for r in (rows if rows is not None else load_labels()) if r["split"] == split]
    rules, yc = load_rules(), yc_companies()
    scores = {layer: LayerScore(layer) for layer in LAYERS}
    exact, seen, errors = 0, 0, []
    for row in rows:
        item = features(row, yc)
        if item is None:
            continue
        seen += 1
        got = {(m.layer_code, m.sub_layer_code) for m in classify(item, rules).memberships}
        want = {tuple(x.split("/")) if "/" in x else (x, None) for x in row["expected"].split("|") if x}
        got_layers, want_layers = {g[0] for g in got}, {w[0] for w in want}
        for layer, s in scores.items():
            s.organisations += 1
            s.correct += (layer in got_layers) == (layer in want_layers)
            s.true_positives += layer in got_layers and layer in want_layers
            s.predicted += layer in got_layers
            s.actual += layer in want_layers
        want_subs = {w for w in want if w[1]}
        # a hardware membership without its sub-layer is not the sub-layer the label names
        got_subs = {g for g in got if g[1] or g[0] == "hardware_infrastructure"}
        if got_layers == want_layers and got_subs == want_subs:
            exact += 1
        else:
            errors.append((row, sorted(f"{a}/{b}" if b else a for a, b in got)))
    return scores, (exact / seen if seen else 1.0), seen, errors


def load_labels(path: Path = LABELS) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="print every wrongly classified organisation")
    args = parser.parse_args()
    rows = load_labels()
    for split in ("dev", "test"):
        scores, exact, seen, errors = evaluate(split, rows)
        print(f"{split}: {seen} organisations, exact match {exact:.3f}")
        for s in scores.values():
            print(f"  {s.layer:24} accuracy {s.accuracy:.3f}  precision {s.precision:.3f}  recall {s.recall:.3f}"
                  f"  (members {s.actual})")
        if args.errors:
            for row, got in errors:
                print(f"    {row['org_id']} {row['name']!r}: want {row['expected'] or '-'} got {'|'.join(got) or '-'}")


if __name__ == "__main__":
    main()
