"""Keys and not-null columns of the marts are enforced by their contracts, not repeated as tests.

DuckDB enforces a contract's primary-key and not-null constraints when dbt creates the table, so a
`not_null` or `unique` data test on a contract-enforced model is a second, slower check of the same
thing (one dbt node each, ~50 ms). Tests that a constraint cannot express (relationships, accepted
values, expressions, multi-column uniqueness) stay tests.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from ingestors.core.config import REPO_ROOT

MODELS = REPO_ROOT / "dbt_project" / "models"


def _enforced_columns():
    for path in sorted(MODELS.rglob("_*__models.yml")):
        for model in yaml.safe_load(path.read_text()).get("models", []):
            contract = ((model.get("config") or {}).get("contract") or {})
            if contract.get("enforced"):
                for column in model.get("columns", []):
                    yield path, model["name"], column


def test_contracted_marts_enforce_keys_and_not_nulls_as_constraints():
    repeated = [f"{Path(p).name}: {m}.{c['name']}: {t}" for p, m, c in _enforced_columns()
                for t in c.get("data_tests") or [] if t in ("not_null", "unique")]
    assert not repeated, "use a constraint (primary_key / not_null) instead:\n" + "\n".join(repeated)


def test_every_contracted_mart_has_a_primary_key_or_a_tested_key():
    keyed = {}
    for _, model, column in _enforced_columns():
        kinds = {c["type"] for c in column.get("constraints") or []}
        keyed[model] = keyed.get(model, False) or "primary_key" in kinds
    unkeyed = sorted(m for m, has_key in keyed.items() if not has_key)
    # marts whose key spans several columns test it with unique_combination instead
    combination = set()
    for path in sorted(MODELS.rglob("_*__models.yml")):
        for model in yaml.safe_load(path.read_text()).get("models", []):
            tests = (model.get("data_tests") or []) + (model.get("tests") or [])
            if any(isinstance(t, dict) and "unique_combination" in t for t in tests):
                combination.add(model["name"])
    assert [m for m in unkeyed if m not in combination] == []
