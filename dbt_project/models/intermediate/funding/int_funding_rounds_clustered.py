"""One round, many claims: which claims report the same round.

Claims about the same organisation (organization_key) are the same round when
their dates lie within WINDOW_DAYS of the round's first claim, their canonical
round types agree (a claim of type 'undisclosed' or 'venture_unspecified'
agrees with any equity type), and their USD amounts, where both are known, are
within AMOUNT_TOLERANCE of each other (the larger at most that much above the
smaller). Claims are taken in date order and join the first round they fit,
otherwise they open a new one.

The headline claim of a round gives its amount, date and type: the claim with
a converted amount from the best-ranked source (int_funding_claims.source_rank:
registry, licensed export, news, SEC Form D), then the highest confidence, then
the earliest. A round's claims disagree (is_conflicting) when their USD amounts
differ by more than CONFLICT_TOLERANCE.

The round id hashes the organisation key and the round's earliest claim id, so
it stays put as later claims join.
"""

import hashlib
from datetime import date

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
    def __init__(self, claim: dict):
        self.claims = [claim]

    @property
    def first_date(self) -> date:
        return self.claims[0]["round_date"]

    def fits(self, claim: dict) -> bool:
        if (claim["round_date"] - self.first_date).days > WINDOW_DAYS:
            return False
        return all(_types_agree(c["round_type"], claim["round_type"])
                   and _amounts_agree(c["amount_usd"], claim["amount_usd"]) for c in self.claims)

    def headline(self) -> dict:
        def rank(c):
            return (c["amount_usd"] is None, c["source_rank"], -(c["confidence_score"] or 0), c["round_date"],
                    c["claim_id"])
        return min(self.claims, key=rank)

    def is_conflicting(self) -> bool:
        amounts = [c["amount_usd"] for c in self.claims if c["amount_usd"]]
        return bool(amounts) and max(amounts) > min(amounts) * (1 + CONFLICT_TOLERANCE)

    def round_id(self, organization_key: str) -> str:
        first = min(c["claim_id"] for c in self.claims)
        return "rnd_" + hashlib.md5(f"{organization_key}|{first}".encode()).hexdigest()[:16]


def cluster(claims: list[dict]) -> list[tuple[str, str, bool, bool]]:
    """(claim_id, round_id, is_headline, is_conflicting) for every claim."""
    by_organization: dict[str, list[dict]] = {}
    for claim in claims:
        by_organization.setdefault(claim["organization_key"], []).append(claim)
    out = []
    for key, group in by_organization.items():
        rounds: list[_Round] = []
        for claim in sorted(group, key=lambda c: (c["round_date"], c["source_rank"], c["claim_id"])):
            fit = next((r for r in rounds if r.fits(claim)), None)
            if fit:
                fit.claims.append(claim)
            else:
                rounds.append(_Round(claim))
        for r in rounds:
            round_id, headline, conflicting = r.round_id(key), r.headline()["claim_id"], r.is_conflicting()
            out.extend((c["claim_id"], round_id, c["claim_id"] == headline, conflicting) for c in r.claims)
    return out


def model(dbt, session):
    dbt.config(materialized="table")
    relation = dbt.ref("int_funding_claims_converted").project(
        "claim_id, organization_key, round_date, round_type, amount_usd, source_rank, confidence_score")
    columns = relation.columns
    claims = [dict(zip(columns, row, strict=True)) for row in relation.fetchall()]
    session.execute("create or replace temp table _clustered "
                    "(claim_id varchar, round_id varchar, is_headline boolean, is_conflicting boolean)")
    rows = cluster(claims)
    if rows:
        session.executemany("insert into _clustered values (?, ?, ?, ?)", rows)
    return session.table("_clustered")
