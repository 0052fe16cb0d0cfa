"""Investors named by funding claims, resolved to one id per investor.

A stated name is looked up in the investor_aliases seed (case- and
accent-insensitive: 'a16z' -> Andreessen Horowitz); otherwise it is normalised
as organisation names are (ingestors.domain.resolution.normalise_name) and stripped of
trailing generic words ('Kaszek Ventures' and 'Kaszek' are one investor).
The investor's display name is the alias seed's name, or else the spelling most
claims use. One row per round, claim and stated investor.

The rules are ingestors.domain.funding.investor_rows.
"""


def model(dbt, session):
    dbt.config(materialized="table")
    from ingestors.domain.funding import INVESTOR_COLUMNS, investor_rows
    from ingestors.domain.relations import read, write

    rounds = dict(dbt.ref("int_funding_rounds_clustered").project("claim_id, round_id").fetchall())
    rows = investor_rows(read(dbt.ref("int_funding_claims_converted"), "claim_id, investors, lead_investors"),
                         rounds, dbt.ref("investor_aliases").fetchall())
    return write(session, "_investors", INVESTOR_COLUMNS, rows)
