"""Funding logic the dbt Python models run: which organisation a claim is about, which claims are one
round, and which stated investors are one investor. Pure functions over rows (dicts), tested directly
in tests/ingestors/test_funding.py; the models only read their inputs and write these functions' rows
(``ingestors.domain.relations``).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, deque
from collections.abc import Iterable
from datetime import date

from ingestors.domain.resolution import normalise_name

# --- which organisation a claim is about (int_funding_claims_matched) -------------------------
# Which organisation each funding claim is about.
#
# Rules, in order: the source names a registry organisation itself (the registry,
# or an SEC issuer already matched to a registry name at ingest) -> that one; the
# stated company name, normalised as entity resolution normalises names
# (ingestors.domain.resolution.normalise_name: case, accents, punctuation, legal
# suffixes), equals the name or an alias of exactly one organisation -> that one
# (when several share it, the claim's stated country decides); otherwise the
# claim stays unmatched, and its round is keyed on the normalised name alone.

MATCHED_COLUMNS = (("claim_id", "varchar"), ("organization_id", "varchar"), ("organization_key", "varchar"),
                   ("match_rule", "varchar"))


def match_claims(claims: Iterable[dict], records: Iterable[dict], resolved: Iterable[dict]) -> list[tuple]:
    """(claim_id, organization_id, organization_key, match_rule) for every claim."""
    organization_of = {r["record_key"]: r["organization_id"] for r in resolved}
    known_ids = set(organization_of.values())
    by_name: dict[str, set[tuple[str, str | None]]] = {}
    for r in records:
        organization_id = organization_of.get(r["record_key"])
        if organization_id is None:
            continue
        for name in [r["name"], *(r["aliases"] or [])]:
            key = normalise_name(name)
            if key:
                by_name.setdefault(key, set()).add((organization_id, r["country_iso2"]))

    def match(claim) -> tuple[str | None, str]:
        hint = claim["organization_id_hint"]
        if hint and hint in known_ids:
            return hint, "source_id"
        candidates = by_name.get(normalise_name(claim["organization_name_stated"]), set())
        ids = {organization_id for organization_id, _ in candidates}
        if len(ids) == 1:
            return ids.pop(), "name"
        in_country = {oid for oid, country in candidates if country and country == claim["country_iso2_stated"]}
        if len(in_country) == 1:
            return in_country.pop(), "name_and_country"
        return None, "ambiguous_name" if ids else "no_match"

    out = []
    for claim in claims:
        organization_id, rule = match(claim)
        key = organization_id or "name:" + (normalise_name(claim["organization_name_stated"]) or claim["claim_id"])
        out.append((claim["claim_id"], organization_id, key, rule))
    return out


# --- one round, many claims (int_funding_rounds_clustered) ------------------------------------
# One round, many claims: which claims report the same round.
#
# Claims about the same organisation (organization_key) are the same round when
# their dates lie within WINDOW_DAYS of the round's first claim, their canonical
# round types agree (a claim of type 'undisclosed' or 'venture_unspecified'
# agrees with any equity type), and their USD amounts, where both are known, are
# within AMOUNT_TOLERANCE of each other (the larger at most that much above the
# smaller). Claims are taken in date order and join the first round they fit,
# otherwise they open a new one.
#
# The headline claim of a round gives its amount, date and type: the claim with
# a converted amount from the best-ranked source (int_funding_claims.source_rank:
# registry, licensed export, news, SEC Form D), then the highest confidence, then
# the earliest. A round's claims disagree (is_conflicting) when their USD amounts
# differ by more than CONFLICT_TOLERANCE.
#
# The round id hashes the organisation key and the round's earliest claim id, so
# it stays put as later claims join.

CLUSTERED_COLUMNS = (("claim_id", "varchar"), ("round_id", "varchar"), ("is_headline", "boolean"),
                     ("is_conflicting", "boolean"))

WINDOW_DAYS = 90
AMOUNT_TOLERANCE = 0.35
CONFLICT_TOLERANCE = 0.10
WILDCARD_TYPES = {"undisclosed", "venture_unspecified"}
NON_EQUITY_TYPES = {"debt", "grant", "convertible", "secondary"}


def _types_agree(a: str, b: str) -> bool:
    if a == b:
        return True
    wildcard, other = (a, b) if a in WILDCARD_TYPES else (b, a)
    if wildcard not in WILDCARD_TYPES:
        return False
    return wildcard == "undisclosed" or other not in NON_EQUITY_TYPES


def _amounts_agree(a: float | None, b: float | None) -> bool:
    if not a or not b:
        return True
    return max(a, b) <= min(a, b) * (1 + AMOUNT_TOLERANCE)


class _Round:
    """A round being gathered. Besides its claims it keeps what :meth:`fits` compares a new claim with:
    the set of its claims' round types and the smallest and largest of their (non-zero) amounts. A new
    amount agrees with every amount of the round exactly when it agrees with those two (for positive
    amounts, ``max <= x * (1 + t)`` and ``x <= min * (1 + t)`` are the pairwise checks' extremes), so a
    fit costs O(types) instead of O(claims). A negative amount (never seen, but not excluded upstream)
    makes the round fall back to the pairwise check."""

    def __init__(self, claim: dict):
        self.claims: list[dict] = []
        self.types: set[str] = set()
        self.low = self.high = None
        self.pairwise = False
        self.add(claim)

    @property
    def first_date(self) -> date:
        return self.claims[0]["round_date"]

    def add(self, claim: dict) -> None:
        self.claims.append(claim)
        self.types.add(claim["round_type"])
        amount = claim["amount_usd"]
        if amount:
            self.pairwise = self.pairwise or amount < 0
            self.low = amount if self.low is None else min(self.low, amount)
            self.high = amount if self.high is None else max(self.high, amount)

    def fits(self, claim: dict) -> bool:
        if (claim["round_date"] - self.first_date).days > WINDOW_DAYS:
            return False
        if not all(_types_agree(t, claim["round_type"]) for t in self.types):
            return False
        amount = claim["amount_usd"]
        if not amount or self.low is None:
            return True
        if self.pairwise or amount < 0:
            return all(_amounts_agree(c["amount_usd"], amount) for c in self.claims)
        return _amounts_agree(self.low, amount) and _amounts_agree(self.high, amount)

    def headline(self) -> dict:
        def rank(c):
            return (c["amount_usd"] is None, c["source_rank"], -(c["confidence_score"] or 0), c["round_date"],
                    c["claim_id"])
        return min(self.claims, key=rank)

    def is_conflicting(self) -> bool:
        return self.low is not None and self.high > self.low * (1 + CONFLICT_TOLERANCE)

    def round_id(self, organization_key: str) -> str:
        first = min(c["claim_id"] for c in self.claims)
        return "rnd_" + hashlib.md5(f"{organization_key}|{first}".encode()).hexdigest()[:16]


def cluster(claims: list[dict]) -> list[tuple[str, str, bool, bool]]:
    """(claim_id, round_id, is_headline, is_conflicting) for every claim.

    Claims are taken in date order, so the rounds open in order of their first date, and a round whose
    first claim is more than WINDOW_DAYS before the current claim can take no later claim either: it
    leaves the ``open`` queue for good. A claim is compared only with the rounds still open, in the
    order they opened (the first that fits takes it), which keeps the cost near-linear in the claims of
    an organisation however many rounds it accumulates over the years.
    """
    by_organization: dict[str, list[dict]] = {}
    for claim in claims:
        by_organization.setdefault(claim["organization_key"], []).append(claim)
    out = []
    for key, group in by_organization.items():
        rounds: list[_Round] = []
        open_rounds: deque[_Round] = deque()
        for claim in sorted(group, key=lambda c: (c["round_date"], c["source_rank"], c["claim_id"])):
            while open_rounds and (claim["round_date"] - open_rounds[0].first_date).days > WINDOW_DAYS:
                open_rounds.popleft()
            fit = next((r for r in open_rounds if r.fits(claim)), None)
            if fit:
                fit.add(claim)
            else:
                rounds.append(_Round(claim))
                open_rounds.append(rounds[-1])
        for r in rounds:
            round_id, headline, conflicting = r.round_id(key), r.headline()["claim_id"], r.is_conflicting()
            out.extend((c["claim_id"], round_id, c["claim_id"] == headline, conflicting) for c in r.claims)
    return out


# --- one investor, many spellings (int_funding_investors) -------------------------------------
# Investors named by funding claims, resolved to one id per investor.
#
# A stated name is looked up in the investor_aliases seed (case- and
# accent-insensitive: 'a16z' -> Andreessen Horowitz); otherwise it is normalised
# as organisation names are (ingestors.domain.resolution.normalise_name) and stripped of
# trailing generic words ('Kaszek Ventures' and 'Kaszek' are one investor).
# The investor's display name is the alias seed's name, or else the spelling most
# claims use. One row per round, claim and stated investor.

GENERIC_TAIL = re.compile(r"(?:\s+(?:ventures?|capital|partners|vc|fund|fondo|fundo|investments?|investimentos))+$")
INVESTOR_COLUMNS = (("round_id", "varchar"), ("claim_id", "varchar"), ("investor_id", "varchar"),
                    ("investor_name", "varchar"), ("stated_name", "varchar"), ("is_lead", "boolean"))


def investor_key(name: str, aliases: dict[str, str]) -> str:
    canonical = aliases.get(normalise_name(name), name)
    key = GENERIC_TAIL.sub("", normalise_name(canonical)).strip()
    return key or normalise_name(canonical)


def investor_rows(claims: Iterable[dict], rounds: dict[str, str], alias_pairs: Iterable[tuple[str, str]]) -> list:
    """(round_id, claim_id, investor_id, investor_name, stated_name, is_lead) per claim and stated investor."""
    aliases = {normalise_name(alias): name for alias, name in alias_pairs}
    rows, spellings = [], {}
    for claim in sorted(claims, key=lambda c: c["claim_id"]):
        leads = set(claim["lead_investors"] or [])
        for name in dict.fromkeys([*(claim["lead_investors"] or []), *(claim["investors"] or [])]):
            if not name or not name.strip():
                continue
            key = investor_key(name, aliases)
            spellings.setdefault(key, Counter())[aliases.get(normalise_name(name), name.strip())] += 1
            rows.append([rounds[claim["claim_id"]], claim["claim_id"], key, name.strip(), name in leads])
    display = {key: sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] for key, counts in spellings.items()}
    return [(round_id, claim_id, "inv_" + re.sub(r"\s+", "-", key), display[key], stated, lead)
            for round_id, claim_id, key, stated, lead in rows]
