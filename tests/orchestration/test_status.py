import json
from datetime import UTC, datetime, timedelta

from ingestors.core import state
from ingestors.core.pipeline import RunResult
from orchestration.dbt_manifest import ensure_manifest
from orchestration.status import downstream_marts, source_status


def test_downstream_marts_follow_the_dbt_graph():
    ensure_manifest()
    marts = downstream_marts("peeringdb")
    assert {"fct_facilities", "fct_internet_exchanges", "mart_infrastructure__country"} <= set(marts)
    assert "fct_gpu_clusters" not in marts


def test_a_stale_source_names_the_marts_it_affects(settings):
    ensure_manifest()
    long_ago = datetime.now(UTC) - timedelta(days=10)
    state.record(settings, "peeringdb", long_ago, RunResult("peeringdb", "loaded", "snap-1", long_ago,
                                                            rows={"facilities": 3}))
    # make the recorded success look ten days old
    st = state.read(settings, "peeringdb")
    st["last_success"]["finished_at"] = long_ago.isoformat()
    (settings.state_dir / "peeringdb.json").write_text(json.dumps(st))
    row = next(r for r in source_status(settings) if r["source"] == "peeringdb")
    assert row["freshness"].startswith("STALE (10.0 days old")
    assert "mart_infrastructure__country" in row["affects"]
    fresh = next(r for r in source_status(settings) if r["source"] == "world_bank")
    assert fresh["freshness"] == "never loaded" and fresh["affects"] == ""


# --- issue 11: status never calls a failing source fresh, and says what is wrong with the publication ---


def test_a_failing_source_is_not_called_fresh(settings):
    now = datetime.now(UTC)
    state.record(settings, "yc", now, RunResult("yc", "loaded", "snap-1", now, rows={"companies": 3}))
    state.record(settings, "yc", now, RunResult("yc", "failed", message="yc: internal error: KeyError: 'x' "
                                                                         "(traceback in warehouse/logs/yc.log)"))
    row = next(r for r in source_status(settings) if r["source"] == "yc")
    assert row["freshness"].startswith("FAILING since ") and "internal error" in row["last_attempt"]


def test_status_lines_name_a_missing_corrupt_or_behind_publication(settings):
    from orchestration import build_policy
    from orchestration.status import warehouse_lines

    lines = warehouse_lines(settings)
    assert lines == [f"no published warehouse at {settings.published_db}; run `cadena refresh`"]
    settings.published_db.parent.mkdir(parents=True, exist_ok=True)
    settings.published_db.write_bytes(b"\0garbage" * 512)
    build_policy.mark_pending(settings, ["yc"])
    build_policy.record_failed_build(settings, "cadena_dbt: Database Error in model fct_x")
    lines = warehouse_lines(settings)
    assert len(lines) == 3 and all("\n" not in line for line in lines)
    assert "is corrupt" in lines[0]
    assert lines[1].startswith("the published warehouse is behind a failed build (")
    assert lines[1].endswith("cadena_dbt: Database Error in model fct_x")
    assert lines[2] == "loaded but not yet published: yc (the next refresh, CLI or sensor, builds and publishes them)"


def test_a_second_refresh_exits_75_naming_the_holder(settings, monkeypatch):
    from click.testing import CliRunner

    from orchestration.cli import main

    monkeypatch.setenv("CADENA_WAREHOUSE_DIR", str(settings.warehouse_dir))
    monkeypatch.setenv("CADENA_LOCK_WAIT_S", "0.2")
    import threading

    held, release = threading.Event(), threading.Event()

    def hold():  # another writer: a child process (within this one the lock is re-entrant)
        import subprocess
        import sys

        proc = subprocess.Popen([sys.executable, "-c",
                                 "import sys,time; from pathlib import Path; from ingestors.core.lock import "
                                 "writer_lock\nwith writer_lock(Path(sys.argv[1]), purpose='dagster build'):\n"
                                 "    print('held', flush=True); time.sleep(30)", str(settings.warehouse_dir)],
                                stdout=subprocess.PIPE, text=True)
        proc.stdout.readline()
        held.set()
        release.wait(30)
        proc.kill()
        proc.wait()

    threading.Thread(target=hold, daemon=True).start()
    assert held.wait(30)
    try:
        for args in (["refresh", "--offline"], ["publish"]):
            result = CliRunner().invoke(main, args)
            assert result.exit_code == 75, result.output
            assert "warehouse is busy: pid" in result.output and "(dagster build)" in result.output
    finally:
        release.set()
