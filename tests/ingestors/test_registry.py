"""Every registered source is well formed."""

from __future__ import annotations

import pytest

from ingestors.core.offline import SAMPLES_DIR
from ingestors.sources import ALL


@pytest.mark.parametrize("source", ALL, ids=lambda s: s.name)
def test_source_is_well_formed(source):
    assert source.name.isidentifier()
    assert source.tables, "a source writes at least one table"
    for table in source.tables:
        assert set(table.key) <= set(table.model.model_fields), f"{table.name}: key not among the columns"
        table.duckdb_columns()  # every column type maps to DuckDB
    if source.plan.reads_local_files:
        return
    assert (SAMPLES_DIR / source.name).is_dir(), "every source ships offline samples"
    for filename in source.plan.sample_routes.values():
        assert (SAMPLES_DIR / source.name / filename).is_file(), f"missing sample {filename}"


def test_source_names_are_unique():
    names = [s.name for s in ALL]
    assert len(names) == len(set(names))


def test_ingestors_never_import_dagster_or_dbt():
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2] / "ingestors"
    offenders = [p for p in root.rglob("*.py")
                 if re.search(r"^\s*(import|from)\s+(dagster|dbt)\b", p.read_text(), re.MULTILINE)]
    assert offenders == []


def test_peeringdb_key_raises_the_rate_limit():
    from ingestors.sources import BY_NAME

    plan = BY_NAME["peeringdb"].plan
    assert plan.limits({}) == {"www.peeringdb.com": 20 / 60}
    assert plan.limits({"PEERINGDB_API_KEY": "k"}) == {"www.peeringdb.com": 40 / 60}
