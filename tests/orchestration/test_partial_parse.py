"""A build's partial-parse state is copied back to dbt's target folder, so the next build in the same
warehouse reuses it (dbt parses the whole project again when the profile's path changes)."""

from __future__ import annotations

from orchestration import dbt_manifest


def test_a_builds_partial_parse_state_replaces_the_one_in_target(tmp_path, monkeypatch):
    target, run = tmp_path / "target", tmp_path / "target" / "cadena_dbt-run"
    run.mkdir(parents=True)
    (target / "partial_parse.msgpack").write_bytes(b"for another warehouse")
    (run / "partial_parse.msgpack").write_bytes(b"for this warehouse")
    monkeypatch.setattr(dbt_manifest, "TARGET_DIR", target)
    dbt_manifest.keep_partial_parse_warm(run)
    assert (target / "partial_parse.msgpack").read_bytes() == b"for this warehouse"
    assert sorted(p.name for p in target.iterdir()) == ["cadena_dbt-run", "partial_parse.msgpack"]


def test_a_run_without_partial_parse_state_leaves_target_alone(tmp_path, monkeypatch):
    target = tmp_path / "target"
    (target / "run").mkdir(parents=True)
    (target / "partial_parse.msgpack").write_bytes(b"kept")
    monkeypatch.setattr(dbt_manifest, "TARGET_DIR", target)
    dbt_manifest.keep_partial_parse_warm(target / "run")
    assert (target / "partial_parse.msgpack").read_bytes() == b"kept"


def _saved_state(checksum: bytes) -> bytes:
    """The bytes around the profile hash in dbt's partial-parse file (msgpack), with some other state around."""
    return (b"\x85\xa5nodes\x80\xabstate_check\x82\xacprofile_hash\x82\xa4name\xa6sha256\xa8checksum\xd9\x40"
            + checksum + b"\xa4more\xa5bytes")


def test_the_saved_parse_is_rekeyed_to_the_warehouse_it_is_used_for(tmp_path, monkeypatch):
    target = tmp_path / "target"
    target.mkdir()
    other = dbt_manifest.profile_checksum(tmp_path / "a" / "work" / "cadena_work.duckdb").encode()
    (target / "partial_parse.msgpack").write_bytes(_saved_state(other))
    monkeypatch.setattr(dbt_manifest, "TARGET_DIR", target)
    working_db = tmp_path / "b" / "work" / "cadena_work.duckdb"
    dbt_manifest.warm_partial_parse(working_db, target / "run" / "partial_parse.msgpack")
    wanted = dbt_manifest.profile_checksum(working_db).encode()
    assert wanted != other
    assert (target / "run" / "partial_parse.msgpack").read_bytes() == _saved_state(wanted)
    assert (target / "partial_parse.msgpack").read_bytes() == _saved_state(other)  # the saved state is left as it was


def test_a_file_whose_profile_hash_cannot_be_found_is_copied_as_it_is(tmp_path, monkeypatch):
    target = tmp_path / "target"
    target.mkdir()
    (target / "partial_parse.msgpack").write_bytes(b"a format this code does not know")
    monkeypatch.setattr(dbt_manifest, "TARGET_DIR", target)
    dbt_manifest.warm_partial_parse(tmp_path / "cadena_work.duckdb", target / "run" / "partial_parse.msgpack")
    assert (target / "run" / "partial_parse.msgpack").read_bytes() == b"a format this code does not know"


def test_dbt_parses_nothing_again_in_a_new_warehouse(tmp_path, monkeypatch):
    """The real check: dbt itself accepts the re-keyed state for a warehouse it has never seen. Before, it logged
    "profile has changed" and parsed all ~410 files; now it parses only files that changed since the saved
    parse or whose environment variables differ (another test's build may have saved it: a few dozen)."""
    import json

    from dbt.cli.main import dbtRunner

    if not (dbt_manifest.TARGET_DIR / "partial_parse.msgpack").is_file():
        dbt_manifest.ensure_manifest(write_derived=False)
    run_target = tmp_path / "target"
    working_db = tmp_path / "never-seen" / "work" / "cadena_work.duckdb"
    dbt_manifest.warm_partial_parse(working_db, run_target / "partial_parse.msgpack")
    monkeypatch.setenv("CADENA_DB_PATH", str(working_db))
    monkeypatch.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    result = dbtRunner().invoke(["parse", "--quiet", "--project-dir", str(dbt_manifest.DBT_PROJECT_DIR),
                                 "--profiles-dir", str(dbt_manifest.DBT_PROJECT_DIR),
                                 "--target-path", str(run_target), "--log-path", str(tmp_path)])
    assert result.success, result.exception
    perf = json.loads((run_target / "perf_info.json").read_text())
    assert perf["path_count"] > 300
    assert perf["parsed_path_count"] < perf["path_count"] / 4
