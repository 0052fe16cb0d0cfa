"""The dbt CLI resource Cadena's assets use: dagster-dbt's, minus two slow extras."""

from functools import cached_property
from importlib.metadata import version as installed_version

from dagster_dbt import DbtCliResource
from packaging.version import Version

from orchestration.child_processes import install_child_reaper


class CadenaDbtCliResource(DbtCliResource):
    """dagster-dbt's resource without the per-run work Cadena does not use.

    * ``dbt --version`` in a subprocess (seconds): dbt-core is a pinned
      dependency of this package, so its version is known.
    * an in-process dbt adapter, loaded by parsing every macro (~6 s): it only
      serves ``fetch_row_counts`` / ``fetch_column_metadata``, which Cadena
      does not call. Row counts are in ``meta.load_log`` and the marts.
    """

    @cached_property
    def _cli_version(self) -> Version:
        return Version(installed_version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):  # noqa: ANN001 - signature of the parent
        return None


install_child_reaper()  # dbt children die with the refresh (see orchestration/child_processes.py)
