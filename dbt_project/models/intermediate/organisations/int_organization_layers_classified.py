"""Layer classification of every organisation record (rules: the layer_rules seed;
logic: ingestors/domain/classification.py). One row per record and layer membership; a
record without any membership gets one row with a null layer and its status
(unclassified = AI signal but no layer; outside_chain = no AI signal)."""


def model(dbt, session):
    dbt.config(materialized="table")
    from ingestors.domain.classification import OrgFeatures, classify, rules_from_rows
    from ingestors.domain.relations import read, write

    rules = rules_from_rows(read(dbt.ref("layer_rules")))
    rows = []
    for f in read(dbt.ref("int_organization_features")):
        result = classify(OrgFeatures(f["record_key"], tuple(f["tags"] or ()), tuple(f["industries"] or ()),
                                      tuple(f["classes"] or ()), f["description"] or ""), rules)
        if result.memberships:
            rows += [(result.key, m.layer_code, m.sub_layer_code, float(m.score), list(m.evidence),
                      result.has_ai_signal, result.status) for m in result.memberships]
        else:
            rows.append((result.key, None, None, 0.0, [], result.has_ai_signal, result.status))
    columns = (("record_key", "varchar"), ("layer_code", "varchar"), ("sub_layer_code", "varchar"),
               ("score", "double"), ("evidence_rules", "varchar[]"), ("has_ai_signal", "boolean"),
               ("classification_status", "varchar"))
    return write(session, "_classified", columns, rows)
