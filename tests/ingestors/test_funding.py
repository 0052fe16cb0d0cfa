"""One round, many claims: the grouping rules int_funding_rounds_clustered runs (ingestors.domain.funding)."""

from __future__ import annotations

from datetime import date

from ingestors.domain import funding as clustering


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


# --- matching claims to organisations and investors (int_funding_claims_matched, int_funding_investors) ---


def _claim(claim_id, name, *, hint=None, country=None):
    return {"claim_id": claim_id, "organization_name_stated": name, "organization_id_hint": hint,
            "country_iso2_stated": country}


def test_a_claim_matches_by_source_id_then_name_then_name_and_country():
    records = [{"record_key": "r:a", "name": "Acme IA", "aliases": ["Acme"], "country_iso2": "BR"},
               {"record_key": "r:b", "name": "Acme", "aliases": [], "country_iso2": "MX"},
               {"record_key": "r:c", "name": "Clinix S.A.", "aliases": [], "country_iso2": "CL"}]
    resolved = [{"record_key": "r:a", "organization_id": "acme-br"},
                {"record_key": "r:b", "organization_id": "acme-mx"}, {"record_key": "r:c", "organization_id": "clinix"}]
    claims = [_claim("c1", "whatever", hint="clinix"), _claim("c2", "Clinix"), _claim("c3", "ACME", country="MX"),
              _claim("c4", "Acme"), _claim("c5", "Nadie")]
    assert clustering.match_claims(claims, records, resolved) == [
        ("c1", "clinix", "clinix", "source_id"), ("c2", "clinix", "clinix", "name"),
        ("c3", "acme-mx", "acme-mx", "name_and_country"), ("c4", None, "name:acme", "ambiguous_name"),
        ("c5", None, "name:nadie", "no_match")]


def test_investor_spellings_and_aliases_are_one_investor():
    claims = [{"claim_id": "c1", "investors": ["Kaszek"], "lead_investors": ["Kaszek Ventures"]},
              {"claim_id": "c2", "investors": ["a16z", "Kaszek"], "lead_investors": []}]
    rows = clustering.investor_rows(claims, {"c1": "r1", "c2": "r2"}, [("a16z", "Andreessen Horowitz")])
    # one row per round, claim and stated name: "Kaszek Ventures" (lead) and "Kaszek" are one investor
    assert {(r[0], r[2], r[3], r[4], r[5]) for r in rows} == {
        ("r1", "inv_kaszek", "Kaszek", "Kaszek Ventures", True), ("r1", "inv_kaszek", "Kaszek", "Kaszek", False),
        ("r2", "inv_andreessen-horowitz", "Andreessen Horowitz", "a16z", False),
        ("r2", "inv_kaszek", "Kaszek", "Kaszek", False)}


def _reference_cluster(claims):
    """The clustering as first written (every claim compared with every claim of every earlier round of its
    organisation): quadratic, but obviously the rule. The windowed implementation must agree with it."""
    by_org = {}
    for c in claims:
        by_org.setdefault(c["organization_key"], []).append(c)
    out = []
    for key, group in by_org.items():
        rounds = []
        for c in sorted(group, key=lambda c: (c["round_date"], c["source_rank"], c["claim_id"])):
            fit = next((r for r in rounds if (c["round_date"] - r[0]["round_date"]).days <= clustering.WINDOW_DAYS
                        and all(clustering._types_agree(o["round_type"], c["round_type"])
                                and clustering._amounts_agree(o["amount_usd"], c["amount_usd"]) for o in r)), None)
            if fit:
                fit.append(c)
            else:
                rounds.append([c])
        for r in rounds:
            obj = clustering._Round(r[0])
            for c in r[1:]:
                obj.claims.append(c)
            amounts = [c["amount_usd"] for c in r if c["amount_usd"]]
            conflicting = bool(amounts) and max(amounts) > min(amounts) * (1 + clustering.CONFLICT_TOLERANCE)
            headline = obj.headline()["claim_id"]
            out.extend((c["claim_id"], obj.round_id(key), c["claim_id"] == headline, conflicting) for c in r)
    return out


def test_the_windowed_clustering_gives_the_same_rounds_as_the_pairwise_rule():
    import random
    from datetime import timedelta

    rng = random.Random(17)
    types = ["seed", "series_a", "series_b", "debt", "undisclosed", "venture_unspecified", "grant"]
    claims = [
        claim(f"c{i:05d}", org=f"org{rng.randrange(40)}", day=date(2015, 1, 1) + timedelta(days=rng.randrange(3650)),
              type_=rng.choice(types), usd=rng.choice([None, 0.0, rng.uniform(1e5, 5e7), rng.uniform(1e5, 5e7)]),
              rank=rng.randrange(1, 5), confidence=rng.choice([None, rng.random()]))
        for i in range(3000)
    ]
    # a few organisations with dense bursts of near-identical reports, where rounds overlap in time
    claims += [claim(f"b{i:04d}", org="busy", day=date(2024, 1, 1) + timedelta(days=rng.randrange(200)),
                     type_=rng.choice(types[:3] + types[4:6]), usd=rng.choice([None, 1e6 * rng.uniform(1, 3)]))
               for i in range(600)]
    assert sorted(clustering.cluster(claims)) == sorted(_reference_cluster(claims))
