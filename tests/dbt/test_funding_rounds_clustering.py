"""One round, many claims: the grouping rules of int_funding_rounds_clustered (a dbt Python model)."""

from __future__ import annotations

import importlib.util
from datetime import date

from ingestors.core.config import REPO_ROOT

_PATH = REPO_ROOT / "dbt_project" / "models" / "intermediate" / "funding" / "int_funding_rounds_clustered.py"
_spec = importlib.util.spec_from_file_location("int_funding_rounds_clustered", _PATH)
clustering = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(clustering)


def claim(claim_id, *, org="acme", day=date(2025, 3, 1), type_="series_a", usd=10e6, rank=3, confidence=0.8):
    return {"claim_id": claim_id, "organization_key": org, "round_date": day, "round_type": type_,
            "amount_usd": usd, "source_rank": rank, "confidence_score": confidence}


def rounds_of(claims):
    out = {}
    for claim_id, round_id, is_headline, conflicting in clustering.cluster(claims):
        out.setdefault(round_id, {"claims": set(), "headline": None, "conflicting": conflicting})
        out[round_id]["claims"].add(claim_id)
        if is_headline:
            out[round_id]["headline"] = claim_id
    return sorted(out.values(), key=lambda r: sorted(r["claims"]))


def test_reports_of_the_same_round_become_one_round_with_every_claim():
    rounds = rounds_of([
        claim("news:a", day=date(2025, 3, 2), usd=10e6),
        claim("registry:x", day=date(2025, 3, 1), usd=10e6, rank=1),
        claim("sec:1", day=date(2025, 1, 20), type_="venture_unspecified", usd=8e6, rank=4),
    ])
    assert len(rounds) == 1
    assert rounds[0]["claims"] == {"news:a", "registry:x", "sec:1"}
    assert rounds[0]["headline"] == "registry:x"  # the best-ranked source gives the amount


def test_amounts_beyond_the_tolerance_window_or_type_are_separate_rounds():
    rounds = rounds_of([
        claim("a", usd=10e6),
        claim("b", usd=30e6, day=date(2025, 3, 10)),                 # 3x: another round
        claim("c", usd=10e6, day=date(2025, 9, 1)),                  # months later
        claim("d", usd=10e6, day=date(2025, 3, 5), type_="seed"),     # a different stage
        claim("e", org="other", usd=10e6),                           # another organisation
    ])
    assert [r["claims"] for r in rounds] == [{"a"}, {"b"}, {"c"}, {"d"}, {"e"}]


def test_disagreeing_amounts_within_the_tolerance_are_flagged_and_the_headline_rule_holds():
    rounds = rounds_of([claim("news:1", usd=10e6, confidence=0.7), claim("news:2", usd=12e6, confidence=0.9)])
    (only,) = rounds
    assert only["conflicting"] is True
    assert only["headline"] == "news:2"  # same rank: the more confident claim


def test_undisclosed_amounts_and_types_join_any_round():
    rounds = rounds_of([claim("a", usd=5e6), claim("b", usd=None, type_="undisclosed", day=date(2025, 3, 20))])
    (only,) = rounds
    assert only["claims"] == {"a", "b"} and only["conflicting"] is False
    assert only["headline"] == "a"  # a claim with a USD amount beats one without


def test_a_debt_facility_does_not_merge_with_an_equity_round_of_unstated_stage():
    rounds = rounds_of([claim("a", type_="venture_unspecified"), claim("b", type_="debt")])
    assert len(rounds) == 2


def test_round_ids_are_stable_when_a_later_claim_joins():
    first = clustering.cluster([claim("a"), claim("b", day=date(2025, 3, 3))])
    later = clustering.cluster([claim("a"), claim("b", day=date(2025, 3, 3)), claim("c", day=date(2025, 4, 1))])
    assert {r for _, r, _, _ in first} == {r for _, r, _, _ in later}
