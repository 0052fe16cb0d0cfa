"""Defect 3 of issue 12 on real data: the change feed compares every tracked column,
and an entity back after a removal is "returned".

A copy of the replayed warehouse gets two later "loads" of TeleGeography made
by editing its raw tables (a cable's owners revised and another cable gone,
then the cable back); only the cable models, their snapshot and the change
feed are rebuilt (dbt build --select), not the whole warehouse.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import duckdb
import pytest

from ingestors.core.config import Settings
from orchestration.dbt_manifest import DBT_PROJECT_DIR, dbt_env, dbt_executable, warm_partial_parse

# what the edits feed that the tests read (not the whole warehouse)
ONLY = "fct_submarine_cables fct_cable_landings snap_submarine_cables mart_changes"


@pytest.fixture(scope="module")
def changed_warehouse(replay_build, tmp_path_factory):
    root = tmp_path_factory.mktemp("replay_changes")
    shutil.copytree(replay_build.settings.warehouse_dir / "work", root / "work")
    settings = Settings(warehouse_dir=root, contact="tests@example.org")
    db = str(settings.working_db)
    # a new target folder: start it from the last parse, re-keyed to this warehouse, as the builds do
    warm_partial_parse(settings.working_db, root / "dbt_target" / "partial_parse.msgpack")

    def build() -> None:
        proc = subprocess.run(
            [dbt_executable(), "build", "--select", ONLY, "--target-path", str(root / "dbt_target"),
             "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR), "--quiet"],
            cwd=DBT_PROJECT_DIR, env=dbt_env(settings), capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]

    with duckdb.connect(db) as con:
        owned, gone = "alba-1", "alonso-de-ojeda"
        before = con.execute("select owners from raw_telegeography.cables where cable_id = ?", [owned]).fetchone()
        con.execute("create table main.kept_cable as from raw_telegeography.cables where cable_id = ?", [gone])
        con.execute("create table main.kept_landings as from raw_telegeography.cable_landings where cable_id = ?",
                    [gone])
        # load 2: TeleGeography revises a cable's owners and drops another cable
        con.execute("update raw_telegeography.cables set owners = list_append(owners, 'Example Carrier') "
                    "where cable_id = ?", [owned])
        con.execute("delete from raw_telegeography.cable_landings where cable_id = ?", [gone])
        con.execute("delete from raw_telegeography.cables where cable_id = ?", [gone])
    build()
    with duckdb.connect(db) as con:
        # load 3: the cable is back
        con.execute("insert into raw_telegeography.cables from main.kept_cable")
        con.execute("insert into raw_telegeography.cable_landings from main.kept_landings")
    build()
    with duckdb.connect(db, read_only=True) as con:
        rows = con.execute("select entity_id, change_type, before_value, after_value from mart_changes "
                           "where entity_type = 'submarine_cable' and change_type <> 'new' "
                           "order by entity_id, changed_at").fetchall()
    return before[0], rows


def test_a_change_of_a_tracked_column_shows_before_and_after(changed_warehouse):
    owners_before, rows = changed_warehouse
    changed = [r for r in rows if r[0] == "alba-1"]
    assert [r[1] for r in changed] == ["changed"]
    before, after = json.loads(changed[0][2]), json.loads(changed[0][3])
    assert before["owners"] == owners_before and after["owners"] == [*owners_before, "Example Carrier"]
    assert before != after


def test_a_cable_back_after_removal_is_returned(changed_warehouse):
    _, rows = changed_warehouse
    assert [r[1] for r in rows if r[0] == "alonso-de-ojeda"] == ["removed", "returned"]


def test_the_feed_compares_what_the_snapshot_tracks(changed_warehouse):
    _, rows = changed_warehouse
    tracked = {"cable_name", "length_km", "owners", "rfs_year", "is_planned", "latam_landing_count",
               "latam_countries"}  # snap_submarine_cables' check_cols
    assert all(set(json.loads(r[3])) == tracked for r in rows if r[3])
