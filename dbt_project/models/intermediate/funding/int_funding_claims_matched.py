"""Which organisation each funding claim is about.

Rules, in order: the source names a registry organisation itself (the registry,
or an SEC issuer already matched to a registry name at ingest) -> that one; the
stated company name, normalised as entity resolution normalises names
(ingestors.domain.resolution.normalise_name: case, accents, punctuation, legal
suffixes), equals the name or an alias of exactly one organisation -> that one
(when several share it, the claim's stated country decides); otherwise the
claim stays unmatched, and its round is keyed on the normalised name alone.
"""


def model(dbt, session):
    dbt.config(materialized="table")
    from ingestors.domain.funding import MATCHED_COLUMNS, match_claims
    from ingestors.domain.relations import read, write

    rows = match_claims(read(dbt.ref("int_funding_claims")), read(dbt.ref("int_organization_records")),
                        read(dbt.ref("int_organizations_resolved")))
    return write(session, "_matched", MATCHED_COLUMNS, rows)
