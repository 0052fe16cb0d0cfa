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

The rules are ingestors.domain.funding.cluster.
"""


def model(dbt, session):
    dbt.config(materialized="table")
    from ingestors.domain.funding import CLUSTERED_COLUMNS, cluster
    from ingestors.domain.relations import read, write

    claims = read(dbt.ref("int_funding_claims_converted"),
                  "claim_id, organization_key, round_date, round_type, amount_usd, source_rank, confidence_score")
    return write(session, "_clustered", CLUSTERED_COLUMNS, cluster(claims))
