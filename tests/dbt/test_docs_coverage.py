"""dbt docs describe every model, seed and snapshot, and every column each of them has.

Which columns a relation has is only known once it is built, so the columns come
from the warehouse built offline for the session (``offline_warehouse``), read
from DuckDB's ``information_schema``; the descriptions come from the dbt
manifest, prepared by the project's own helper (``ensure_manifest`` runs ``dbt
parse`` only when the project changed). A relation is matched to its manifest
node by schema and alias, so the database file's name does not matter.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import duckdb
import pytest

from orchestration.dbt_manifest import ensure_manifest

DESCRIBED = ("model", "seed", "snapshot")

Relation = tuple[str, str]  # (schema, alias), lower case


def documented_nodes(manifest: Mapping[str, Any]) -> dict[Relation, dict[str, Any]]:
    """The manifest's models, seeds and snapshots that become relations, by (schema, alias)."""
    return {
        (node["schema"].lower(), node["alias"].lower()): node
        for node in manifest["nodes"].values()
        if node["resource_type"] in DESCRIBED and node["config"].get("materialized") != "ephemeral"
    }


def warehouse_columns(db_path: Path, relations: Iterable[Relation]) -> dict[Relation, list[str]]:
    """The columns of each of ``relations`` found in the DuckDB file, in table order."""
    wanted = set(relations)
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        rows = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where table_catalog = current_database() order by table_schema, table_name, ordinal_position"
        ).fetchall()
    finally:
        con.close()
    columns: dict[Relation, list[str]] = {}
    for schema, table, column in rows:
        if (schema.lower(), table.lower()) in wanted:
            columns.setdefault((schema.lower(), table.lower()), []).append(column)
    return columns


def _described(entry: Mapping[str, Any] | None) -> bool:
    return bool(entry and (entry.get("description") or "").strip())


def _yaml_file(node: Mapping[str, Any]) -> str:
    """Where the node's descriptions go: its YAML file, or the file it is defined in when it has none."""
    patch = node.get("patch_path")
    return patch.split("://", 1)[-1] if patch else node["original_file_path"]


def undescribed_columns(nodes: Mapping[Relation, Mapping[str, Any]],
                        columns: Mapping[Relation, list[str]]) -> list[str]:
    """``model.column (yaml file)`` for every built column without a description."""
    missing = []
    for relation, node in nodes.items():
        docs = {name.lower(): entry for name, entry in node["columns"].items()}
        missing += [f"{node['name']}.{column}  ({_yaml_file(node)})"
                    for column in columns.get(relation, []) if not _described(docs.get(column.lower()))]
    return sorted(missing)


def stale_column_docs(nodes: Mapping[Relation, Mapping[str, Any]],
                      columns: Mapping[Relation, list[str]]) -> list[str]:
    """``model.column`` for every documented column the built relation does not have."""
    stale = []
    for relation, node in nodes.items():
        built = {c.lower() for c in columns.get(relation, [])}
        if built:
            stale += [f"{node['name']}.{name}" for name in node["columns"] if name.lower() not in built]
    return sorted(stale)


@pytest.fixture(scope="module")
def nodes(offline_warehouse) -> dict[Relation, dict[str, Any]]:
    settings, _ = offline_warehouse
    return documented_nodes(json.loads(ensure_manifest(settings).read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def columns(offline_warehouse, nodes) -> dict[Relation, list[str]]:
    settings, _ = offline_warehouse
    return warehouse_columns(settings.working_db, nodes)


def test_every_model_seed_and_snapshot_has_a_description(nodes):
    missing = sorted(f"{node['resource_type']} {node['name']}  ({_yaml_file(node)})"
                     for node in nodes.values() if not _described(node))
    assert not missing, f"{len(missing)} node(s) have no description:\n" + "\n".join(missing)


def test_every_model_seed_and_snapshot_was_built(nodes, columns):
    # Without its relation a node's columns cannot be checked: the offline build must make every one.
    unbuilt = sorted(f"{schema}.{alias}" for schema, alias in nodes if (schema, alias) not in columns)
    assert not unbuilt, f"{len(unbuilt)} relation(s) missing from the offline warehouse:\n" + "\n".join(unbuilt)


def test_every_column_has_a_description(nodes, columns):
    missing = undescribed_columns(nodes, columns)
    assert not missing, (f"{len(missing)} column(s) have no description; add one to the model's YAML "
                         "(model.column  (file)):\n" + "\n".join(missing))


def test_every_described_column_exists(nodes, columns):
    stale = stale_column_docs(nodes, columns)
    assert not stale, (f"{len(stale)} documented column(s) are not in the built relation (renamed or "
                       "dropped?):\n" + "\n".join(stale))
