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
