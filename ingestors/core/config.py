"""The one place that reads Cadena's environment.

Every setting has a default that works offline on a fresh clone; see
`.env.example` at the repository root for the full list.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_US_REFERENCE = {"aws": "us-east-1", "azure": "eastus", "gcp": "us-east1", "oracle": "us-ashburn-1"}


def _path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default


@dataclass(frozen=True)
class Settings:
    """Paths and credentials, read once from the environment."""

    warehouse_dir: Path
    contact: str
    peeringdb_api_key: str | None = field(default=None, repr=False)
    http_timeout_s: float = 30.0  # per read
    http_deadline_s: float = 120.0  # per request, first byte sent to last byte read
    source_budget_s: float = 300.0  # per source: every request, retry and wait of one fetch
    max_response_bytes: int = 200 * 1024 * 1024
    keep_publications: int = 5  # publications kept for rollback
    export_licensed: bool = False  # export rows of licensed sources too (CADENA_EXPORT_LICENSED=1)
    # Each provider's US region that LatAm prices and capacity are compared with.
    us_reference_regions: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_US_REFERENCE))
    # Where offline mode finds the sample snapshots (a copy with one payload changed, in the benchmark).
    samples_dir: Path = REPO_ROOT / "ingestors" / "samples"

    @property
    def raw_dir(self) -> Path:
        """Immutable raw snapshots, one folder per source."""
        return self.warehouse_dir / "raw"

    @property
    def state_dir(self) -> Path:
        """Small JSON files recording each source's last load (read by `cadena status`)."""
        return self.warehouse_dir / "state"

    @property
    def working_db(self) -> Path:
        """The read-write DuckDB file. Only the writer pool opens it."""
        return self.warehouse_dir / "work" / "cadena_work.duckdb"

    @property
    def published_db(self) -> Path:
        """The read-only copy analysts and dashboards open."""
        return self.warehouse_dir / "cadena.duckdb"

    @property
    def user_agent(self) -> str:
        return f"cadena/0.1 (+https://github.com/cadena-latam/cadena; {self.contact})"

    @classmethod
    def from_env(cls) -> Settings:
        try:  # a local .env is optional and never committed
            from dotenv import load_dotenv

            load_dotenv(REPO_ROOT / ".env", override=False)
        except ImportError:  # pragma: no cover - python-dotenv is a core dependency
            pass
        return cls(
            warehouse_dir=_path("CADENA_WAREHOUSE_DIR", REPO_ROOT / "warehouse"),
            contact=os.environ.get("CADENA_CONTACT", "cadena-maintainers@users.noreply.github.com"),
            peeringdb_api_key=os.environ.get("PEERINGDB_API_KEY") or None,
            http_timeout_s=float(os.environ.get("CADENA_HTTP_TIMEOUT_S", "30")),
            http_deadline_s=float(os.environ.get("CADENA_HTTP_DEADLINE_S", "120")),
            source_budget_s=float(os.environ.get("CADENA_SOURCE_BUDGET_S", "300")),
            max_response_bytes=int(os.environ.get("CADENA_MAX_RESPONSE_MB", "200")) * 1024 * 1024,
            keep_publications=int(os.environ.get("CADENA_KEEP_PUBLICATIONS", "5")),
            samples_dir=_path("CADENA_SAMPLES_DIR", REPO_ROOT / "ingestors" / "samples"),
            export_licensed=os.environ.get("CADENA_EXPORT_LICENSED", "").lower() in ("1", "true", "yes"),
            us_reference_regions={
                provider: os.environ.get(f"CADENA_US_REFERENCE_{provider.upper()}", default)
                for provider, default in DEFAULT_US_REFERENCE.items()
            },
        )


# Credentials a source reads at fetch time (the names are what .env.example lists).
GOOGLE_CLOUD_API_KEY = "GOOGLE_CLOUD_API_KEY"
TOP500_XLSX = "CADENA_TOP500_XLSX"
TOP500_USERNAME, TOP500_PASSWORD = "TOP500_USERNAME", "TOP500_PASSWORD"


def secret(name: str) -> str | None:
    """An optional credential or path from the environment; empty counts as unset."""
    return os.environ.get(name) or None
