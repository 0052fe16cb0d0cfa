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
    from ingestors.domain.resolution import normalise_name

    def rows(relation):
        columns = relation.columns
        return [dict(zip(columns, row, strict=True)) for row in relation.fetchall()]

    organization_of = {r["record_key"]: r["organization_id"] for r in rows(dbt.ref("int_organizations_resolved"))}
    known_ids = set(organization_of.values())
    by_name: dict[str, set[tuple[str, str | None]]] = {}
    for r in rows(dbt.ref("int_organization_records")):
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

    session.execute(
        "create or replace temp table _matched (claim_id varchar, organization_id varchar, "
        "organization_key varchar, match_rule varchar)"
    )
    out = []
    for claim in rows(dbt.ref("int_funding_claims")):
        organization_id, rule = match(claim)
        key = organization_id or "name:" + (normalise_name(claim["organization_name_stated"]) or claim["claim_id"])
        out.append((claim["claim_id"], organization_id, key, rule))
    if out:
        session.executemany("insert into _matched values (?, ?, ?, ?)", out)
    return session.table("_matched")
