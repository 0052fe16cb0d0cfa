"""The dbt CLI resource Cadena's assets use."""

from functools import cached_property
from importlib.metadata import version as installed_version

from dagster_dbt import DbtCliResource
from packaging.version import Version


class CadenaDbtCliResource(DbtCliResource):
    """dagster-dbt's resource, minus a ``dbt --version`` subprocess (seconds) per run.

    dbt-core is a pinned dependency of this package, so its version is known.
    """

    @cached_property
    def _cli_version(self) -> Version:
        return Version(installed_version("dbt-core"))
