"""Layer classification: which layers of the value chain an organisation is in.

The rules are data (the dbt seed ``layer_rules.csv``): each maps a YC tag, a YC
industry, a keyword in the description (in English, Spanish or Portuguese:
Wikidata labels and descriptions arrive in the country's language), a Wikidata
class label, or a Wikidata class or industry QID to a layer (and sub-layer)
with a weight, and may mark an *AI signal*. An organisation joins a
layer when its matched weights for that layer reach 1.0. A rule that
``requires_ai`` counts only when the organisation shows an AI signal: a YC
fintech without AI is not an AI application and must not inflate that layer.
A *fallback* rule (a company with an AI signal and a product is an AI
application) counts only when no more specific layer fits. Organisations with
an AI signal but no layer are kept as *unclassified*; those
with no AI signal and no infrastructure role are outside the chain. Curator
memberships in the registry override all of this (see dbt).

Every membership keeps its evidence: the rules that fired for its layer, and
the AI-signal rules that let a ``requires_ai`` rule count.

Trap: "ai" is a word in English and a domain ending. Before keyword rules read
a description, URLs and domain-like names are taken out ("delt.ai is a digital
bank" must not read as an AI company; "IA" or "AI-native" still do).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

THRESHOLD = 1.0


_URL_RE = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_DOMAIN_RE = re.compile(
    r"\b[\w-]+(?:\.[\w-]+)*\.(?:ai|com|io|co|app|la|mx|br|cl|ar|pe|net|org|dev|tech)\b", re.IGNORECASE
)


def strip_domains(text: str) -> str:
    """'delt.ai is a digital bank; see https://delt.ai' -> ' is a digital bank; see '."""
    return _DOMAIN_RE.sub(" ", _URL_RE.sub(" ", text))


def slug(text: str) -> str:
    """'Artificial Intelligence' -> 'artificial-intelligence'; 'Real Estate and Construction' alike."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass(frozen=True)
class Rule:
    rule_id: str
    field: str  # tag | industry | keyword | wikidata_class | wikidata_qid
    pattern: str
    layer_code: str | None
    sub_layer_code: str | None
    weight: float
    ai_signal: bool
    requires_ai: bool
    fallback: bool = False  # counts only when no other layer (hardware aside) fits
    @cached_property
    def regex(self) -> re.Pattern[str]:
        return re.compile(self.pattern, re.IGNORECASE)

    def matches(self, item: OrgFeatures) -> bool:
        if self.field == "keyword":
            return bool(self.regex.search(item.text))
        if self.field == "wikidata_qid":  # classes may hold QIDs (Q3918) beside labels
            return self.pattern.upper() in {v.upper() for v in item.classes}
        if self.field == "wikidata_class":  # a substring of a label; '|' separates alternatives
            return any(p in v.lower() for p in self.pattern.lower().split("|") for v in item.classes)
        # YC writes "Artificial Intelligence", "Developer Tools"; rules say artificial-intelligence.
        return self.slug in {"tag": item.tag_slugs, "industry": item.industry_slugs}[self.field]

    @cached_property
    def slug(self) -> str:
        return slug(self.pattern)


class RuleSet(list):
    """The rules (a list, in seed order) with an index built once: ``classify`` looks an organisation's tags,
    industries and Wikidata classes up in it instead of asking all ~110 rules whether they match, and skips
    the class rules for the many organisations without classes. The rules that fire are the same, in the
    same order, as ``[r for r in rules if r.matches(item)]``."""

    @cached_property
    def _index(self) -> tuple:
        by_slug: dict[tuple[str, str], list[int]] = defaultdict(list)
        by_qid: dict[str, list[int]] = defaultdict(list)
        class_rules, keyword_rules = [], []
        for i, r in enumerate(self):
            if r.field == "keyword":
                keyword_rules.append((i, r.regex))
            elif r.field == "wikidata_qid":
                by_qid[r.pattern.upper()].append(i)
            elif r.field == "wikidata_class":
                class_rules.append((i, tuple(r.pattern.lower().split("|"))))
            elif r.field in ("tag", "industry"):
                by_slug[(r.field, r.slug)].append(i)
            else:
                raise ValueError(f"layer_rules: rule {r.rule_id} has an unknown field {r.field!r}")
        return by_slug, by_qid, class_rules, keyword_rules, frozenset(r.rule_id for r in self if r.fallback)

    @property
    def fallback_ids(self) -> frozenset[str]:
        return self._index[4]

    def fired(self, item: OrgFeatures) -> list[Rule]:
        by_slug, by_qid, class_rules, keyword_rules, _ = self._index
        hits: set[int] = set()
        for field_name, slugs in (("tag", item.tag_slugs), ("industry", item.industry_slugs)):
            for s in slugs:
                hits.update(by_slug.get((field_name, s), ()))
        if item.classes:
            for v in {v.upper() for v in item.classes}:
                hits.update(by_qid.get(v, ()))
            lowered = [v.lower() for v in item.classes]
            hits.update(i for i, alternatives in class_rules if any(p in v for p in alternatives for v in lowered))
        text = item.text
        hits.update(i for i, regex in keyword_rules if regex.search(text))
        return [self[i] for i in sorted(hits)]


def rules_from_rows(rows: Iterable[Mapping[str, object]]) -> RuleSet:
    def flag(v: object) -> bool:
        return str(v).lower() in ("true", "1")

    return RuleSet(
        Rule(str(r["rule_id"]), str(r["field"]), str(r["pattern"]), (r.get("layer_code") or None),
             (r.get("sub_layer_code") or None), float(r.get("weight") or 0), flag(r.get("ai_signal")),
             flag(r.get("requires_ai")), flag(r.get("fallback")))
        for r in rows
    )


@dataclass(frozen=True)
class OrgFeatures:
    key: str
    tags: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    description: str = ""

    # Computed once per organisation, not once per rule (a classification runs every rule over them).
    @cached_property
    def text(self) -> str:
        """The description with URLs and domain-like names (delt.ai, konta.com) taken out."""
        return strip_domains(self.description or "")

    @cached_property
    def tag_slugs(self) -> frozenset[str]:
        return frozenset(slug(v) for v in self.tags)

    @cached_property
    def industry_slugs(self) -> frozenset[str]:
        return frozenset(slug(v) for v in self.industries)


@dataclass(frozen=True)
class Membership:
    layer_code: str
    sub_layer_code: str | None
    score: float
    evidence: tuple[str, ...]  # the rule ids that fired


@dataclass(frozen=True)
class Classification:
    key: str
    has_ai_signal: bool
    memberships: tuple[Membership, ...] = field(default=())
    ai_signal_rules: tuple[str, ...] = ()  # the AI-signal rules that fired

    @property
    def in_value_chain(self) -> bool:
        return bool(self.memberships)

    @property
    def status(self) -> str:
        if self.memberships:
            return "classified"
        return "unclassified" if self.has_ai_signal else "outside_chain"


def classify(item: OrgFeatures, rules: Sequence[Rule]) -> Classification:
    """Layers for one organisation: a sub-layer when its own rules reach the threshold, else the
    layer when all its rules together do."""
    fired = rules.fired(item) if isinstance(rules, RuleSet) else [r for r in rules if r.matches(item)]
    signals = tuple(r.rule_id for r in fired if r.ai_signal)
    ai = bool(signals)
    by_layer: dict[str, list[Rule]] = defaultdict(list)
    for r in fired:
        if r.layer_code and (ai or not r.requires_ai):
            by_layer[r.layer_code].append(r)
    members = []
    for layer in sorted(by_layer):
        layer_rules = by_layer[layer]
        subs = sorted({r.sub_layer_code for r in layer_rules if r.sub_layer_code})
        sub_members = []
        for sub in subs:
            own = [r for r in layer_rules if r.sub_layer_code == sub]
            if sum(r.weight for r in own) >= THRESHOLD:
                sub_members.append(Membership(layer, sub, sum(r.weight for r in own), _evidence(own, signals)))
        total = sum(r.weight for r in layer_rules)
        if sub_members:
            members += sub_members
        elif total >= THRESHOLD:
            members.append(Membership(layer, None, total, _evidence(layer_rules, signals)))
    specific = {m.layer_code for m in members if m.layer_code not in ("applications", "hardware_infrastructure")}
    if specific:  # a foundation-model lab or an MLOps platform is not also an application by the fallback rules
        fallback = rules.fallback_ids if isinstance(rules, RuleSet) else {r.rule_id for r in rules if r.fallback}
        fallback_ids = fallback | set(signals)
        members = [m for m in members
                   if not (m.layer_code == "applications" and set(m.evidence) <= fallback_ids)]
    return Classification(item.key, ai, tuple(members), signals)


def _evidence(layer_rules: Sequence[Rule], signals: tuple[str, ...]) -> tuple[str, ...]:
    """The layer's rules, then the AI-signal rules (those that let a requires_ai rule count, or that vote)."""
    own = tuple(r.rule_id for r in layer_rules)
    return own + tuple(s for s in signals if s not in own)
