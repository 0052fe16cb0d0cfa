"""A mart is as fresh as the sources it is built from.

Marts are rebuilt only when a source they read changed, so the time of a
mart's last build says little: a mart fed by a monthly source that has not
changed is still current. What matters is whether every source upstream of
it was fetched good within its cadence. The ``inputs_within_cadence`` check
of each mart says exactly that, naming the stale sources, the same rule
``cadena status`` applies (``ingestors.core.state.freshness``). A source that
is skipped by design (no key or file configured) does not make a mart stale.
The check runs after every build and on its own daily schedule.
"""

from datetime import UTC, datetime

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    multi_asset_check,
)

from ingestors.core import state
from ingestors.sources import BY_NAME
from orchestration.resources import CadenaResource
from orchestration.status import downstream_marts
from orchestration.transform import MART_KEYS

MART_FRESH_CHECK = "inputs_within_cadence"


def upstream_sources() -> dict[str, list[str]]:
    """Mart name -> the sources it is built from (from the dbt manifest)."""
    upstream: dict[str, list[str]] = {}
    for name in BY_NAME:
        for mart in downstream_marts(name):
            upstream.setdefault(mart, []).append(name)
    return upstream


def source_verdicts(settings, *, now: datetime) -> dict[str, str]:
    """Per source: 'fresh', 'stale (<age> old, cadence <c>)', 'never loaded' or 'not configured'."""
    return {name: state.freshness(settings, name, source.max_age, now=now).describe(source.cadence)
            for name, source in BY_NAME.items()}


@multi_asset_check(
    name="mart_inputs_fresh",
    specs=[AssetCheckSpec(MART_FRESH_CHECK, asset=key,
                          description="Every source this mart is built from was fetched good within its cadence.")
           for key in MART_KEYS],
    can_subset=True,
)
def mart_inputs_fresh(context: AssetCheckExecutionContext, cadena: CadenaResource):
    verdicts = source_verdicts(cadena.settings(), now=datetime.now(UTC))
    upstream = upstream_sources()
    for check_key in context.selected_asset_check_keys:
        sources = upstream.get(check_key.asset_key.path[-1], [])
        behind = {s: verdicts[s] for s in sources if not verdicts[s].startswith(("fresh", "not configured"))}
        yield AssetCheckResult(
            asset_key=check_key.asset_key,
            check_name=MART_FRESH_CHECK,
            passed=not behind,
            severity=AssetCheckSeverity.WARN,
            metadata={
                "sources": ", ".join(sources) or "none (seeds only)",
                "sources_behind": "; ".join(f"{s}: {v}" for s, v in behind.items()) or "none",
            },
        )
