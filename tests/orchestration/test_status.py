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
