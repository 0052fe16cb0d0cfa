"""Investors named by funding claims, resolved to one id per investor.

A stated name is looked up in the investor_aliases seed (case- and
accent-insensitive: 'a16z' -> Andreessen Horowitz); otherwise it is normalised
as organisation names are (ingestors.domain.resolution.normalise_name) and stripped of
trailing generic words ('Kaszek Ventures' and 'Kaszek' are one investor).
The investor's display name is the alias seed's name, or else the spelling most
claims use. One row per round, claim and stated investor.
"""

import re
from collections import Counter

GENERIC_TAIL = re.compile(r"(?:\s+(?:ventures?|capital|partners|vc|fund|fondo|fundo|investments?|investimentos))+$")


def investor_key(name: str, aliases: dict[str, str]) -> str:
    from ingestors.domain.resolution import normalise_name

    canonical = aliases.get(normalise_name(name), name)
    key = GENERIC_TAIL.sub("", normalise_name(canonical)).strip()
    return key or normalise_name(canonical)


def model(dbt, session):
    dbt.config(materialized="table")
    from ingestors.domain.resolution import normalise_name

    aliases = {normalise_name(alias): name for alias, name in dbt.ref("investor_aliases").fetchall()}
    claims = dbt.ref("int_funding_claims_converted").project("claim_id, investors, lead_investors").fetchall()
    rounds = dict(dbt.ref("int_funding_rounds_clustered").project("claim_id, round_id").fetchall())

    rows, spellings = [], {}
    for claim_id, investors, leads in sorted(claims, key=lambda c: c[0]):
        leads = set(leads or [])
        for name in dict.fromkeys([*(leads or []), *(investors or [])]):
            if not name or not name.strip():
                continue
            key = investor_key(name, aliases)
            spellings.setdefault(key, Counter())[aliases.get(normalise_name(name), name.strip())] += 1
            rows.append([rounds[claim_id], claim_id, key, name.strip(), name in leads])

    display = {key: sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] for key, counts in spellings.items()}
    session.execute("create or replace temp table _investors (round_id varchar, claim_id varchar, "
                    "investor_id varchar, investor_name varchar, stated_name varchar, is_lead boolean)")
    out = [(round_id, claim_id, "inv_" + re.sub(r"\s+", "-", key), display[key], stated, lead)
           for round_id, claim_id, key, stated, lead in rows]
    if out:
        session.executemany("insert into _investors values (?, ?, ?, ?, ?, ?)", out)
    return session.table("_investors")
