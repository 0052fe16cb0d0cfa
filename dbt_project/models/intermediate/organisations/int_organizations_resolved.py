"""Entity resolution over every organisation record (rules in ingestors/domain/resolution.py).

One row per source record with the canonical key of its cluster, the
organisation id it becomes in dim_organizations (the registry id for a cluster
with a registry record, else the canonical key), the rule that attached it and
its score.
"""


def model(dbt, session):
    dbt.config(materialized="table")
    from ingestors.domain.relations import read, write
    from ingestors.domain.resolution import OrgRecord, resolve

    records = []
    for r in read(dbt.ref("int_organization_records")):
        records.append(OrgRecord(
            key=r["record_key"], source=r["source_name"], name=r["name"], country_iso2=r["country_iso2"],
            website=r["website"], wikidata_qid=r["wikidata_qid"], aliases=tuple(r["aliases"] or ()),
            same_as=tuple(r["same_as_keys"] or ()), not_same_as=tuple(r["not_same_as_keys"] or ()),
        ))
    registry_prefix = "curated_registry:"
    rows = [(x.key, x.canonical_key, x.canonical_key.removeprefix(registry_prefix), x.rule, x.score)
            for x in resolve(records)]
    columns = (("record_key", "varchar"), ("canonical_key", "varchar"), ("organization_id", "varchar"),
               ("match_rule", "varchar"), ("match_score", "double"))
    return write(session, "_resolved", columns, rows)
