"""Which room may import which (read from the source with ast, not by importing anything).

* ``ingestors/core`` (the framework) imports neither ``ingestors.domain`` nor ``ingestors.sources``;
* ``ingestors`` imports no dagster and no dbt;
* dbt Python models import only ``ingestors.domain`` (and the standard library);
* the dashboard imports only what reads the published file: ``ingestors.core.config``,
  ``ingestors.core.publish`` and ``ingestors.core.market_map`` (the market map's query).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from ingestors.core.config import REPO_ROOT


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return found


def files(*parts: str) -> list[Path]:
    return sorted(REPO_ROOT.joinpath(*parts).rglob("*.py"))


@pytest.mark.parametrize("path", files("ingestors", "core"), ids=lambda p: p.name)
def test_core_knows_no_domain_and_no_source(path):
    bad = {m for m in imports(path) if m.startswith(("ingestors.domain", "ingestors.sources"))}
    assert not bad, f"{path.name} imports {bad}"


@pytest.mark.parametrize("path", files("ingestors"), ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_ingestors_import_no_dagster_or_dbt(path):
    bad = {m for m in imports(path) if m.split(".")[0] in ("dagster", "dagster_dbt", "dbt")}
    assert not bad, f"{path} imports {bad}"


@pytest.mark.parametrize("path", files("dbt_project", "models"), ids=lambda p: p.name)
def test_dbt_python_models_import_only_the_domain(path):
    bad = {m for m in imports(path)
           if m.split(".")[0] not in sys.stdlib_module_names and not m.startswith("ingestors.domain")}
    assert not bad, f"{path.name} imports {bad}"


@pytest.mark.parametrize("path", files("warehouse", "dashboard"), ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_the_dashboard_reads_only_the_publication(path):
    allowed = ("ingestors.core.config", "ingestors.core.publish", "ingestors.core.market_map")
    bad = {m for m in imports(path) if m.startswith(("ingestors", "orchestration"))
           and not m.startswith(allowed)}
    assert not bad, f"{path} imports {bad}"
