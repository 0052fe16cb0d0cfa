"""Acquisitions and IPOs the news extractor told apart from rounds, with buyer and target.

The extractor keeps them as look-alikes (is_round false, not_round_reason
acquisition or ipo) naming one company; ingestors.domain.exits reads the
sentence's grammar for which side is the buyer. Both names are then matched to
organisations as funding claims are (ingestors.domain.funding.match_claims:
normalised name or alias of exactly one organisation).
"""


def model(dbt, session):
    dbt.config(materialized="table")
    from ingestors.domain.exits import exit_rows
    from ingestors.domain.funding import match_claims
    from ingestors.domain.relations import read, write

    events = read(dbt.ref("stg_news__funding_events").filter(
        "not is_round and not_round_reason in ('acquisition', 'ipo')"),
        "event_id, not_round_reason, sentence, company_name")
    exits = exit_rows(events)
    records, resolved = read(dbt.ref("int_organization_records")), read(dbt.ref("int_organizations_resolved"))

    def organisation_of(position: int) -> dict:
        claims = [{"claim_id": row[0], "organization_id_hint": None, "organization_name_stated": row[position],
                   "country_iso2_stated": None} for row in exits if row[position]]
        return {claim_id: organization_id for claim_id, organization_id, _, _ in
                match_claims(claims, records, resolved)}

    acquirers, targets = organisation_of(2), organisation_of(3)
    columns = (("event_id", "varchar"), ("exit_type", "varchar"), ("acquirer_name", "varchar"),
               ("acquirer_organization_id", "varchar"), ("target_name", "varchar"),
               ("target_organization_id", "varchar"), ("split_rule", "varchar"))
    rows = [(event_id, kind, acquirer, acquirers.get(event_id), target, targets.get(event_id), rule)
            for event_id, kind, acquirer, target, rule in exits]
    return write(session, "_news_exits", columns, rows)
