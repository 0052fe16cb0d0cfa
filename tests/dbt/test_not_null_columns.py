"""A model's not-null columns are checked by one ``not_null_columns`` test, not one dbt node per column.

Each dbt node costs ~50 ms of dbt's own overhead whatever its query; a model with six not-null columns
checked one by one pays six times that for what one ``where a is null or b is null ...`` query says.
(Contract-enforced marts need neither: their constraints do it, see test_constraints.py.)
"""

from __future__ import annotations

import yaml

from ingestors.core.config import REPO_ROOT

MODELS = REPO_ROOT / "dbt_project" / "models"


def test_no_model_column_has_its_own_not_null_test():
    single = []
    for path in sorted(MODELS.rglob("_*__models.yml")):
        for model in yaml.safe_load(path.read_text()).get("models", []):
            for column in model.get("columns", []) or []:
                if "not_null" in (column.get("data_tests") or []):
                    single.append(f"{path.name}: {model['name']}.{column['name']}")
    assert not single, "list these columns in the model's not_null_columns test instead:\n" + "\n".join(single)


def test_not_null_columns_lists_only_columns_the_model_documents():
    wrong = []
    for path in sorted(MODELS.rglob("_*__models.yml")):
        for model in yaml.safe_load(path.read_text()).get("models", []):
            documented = {c["name"] for c in model.get("columns", []) or []}
            for test in model.get("data_tests") or []:
                if isinstance(test, dict) and "not_null_columns" in test:
                    listed = test["not_null_columns"]["arguments"]["columns"]
                    wrong += [f"{model['name']}.{c}" for c in listed if c not in documented]
    assert not wrong, "\n".join(wrong)
