"""Prepare the dbt manifest once, not at every import.

``dbt parse`` costs seconds. The manifest is rebuilt only when a file of the
dbt project changed since the last parse (a hash of the project's files is kept
next to the manifest), so loading the Dagster definitions is cheap once the
manifest exists. `make setup` runs `cadena dbt-prepare`; `cadena refresh` calls
:func:`ensure_manifest` before loading the Dagster definitions; `dagster dev` / `dg dev`
re-parse through ``DbtProject.prepare_if_dev()``. Importing the definitions never parses.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from ingestors.core.config import REPO_ROOT, Settings

DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
TARGET_DIR = DBT_PROJECT_DIR / "target"
MANIFEST = TARGET_DIR / "manifest.json"
HASH_FILE = TARGET_DIR / "cadena_manifest.sha256"
WATCHED = ("dbt_project.yml", "profiles.yml", "models", "seeds", "macros", "tests", "snapshots", "analyses")


def project_hash() -> str:
    digest = hashlib.sha256()
    for entry in WATCHED:
        path = DBT_PROJECT_DIR / entry
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for f in files:
            digest.update(str(f.relative_to(DBT_PROJECT_DIR)).encode() + b"\0")
            digest.update(hashlib.sha256(f.read_bytes()).digest())
    return digest.hexdigest()


def dbt_executable() -> str:
    beside_python = Path(sys.executable).with_name("dbt")
    return str(beside_python) if beside_python.exists() else (shutil.which("dbt") or "dbt")


def dbt_env(settings: Settings) -> dict[str, str]:
    """Environment for a dbt subprocess: the working database path, no telemetry."""
    return {
        **os.environ,
        "CADENA_DB_PATH": str(settings.working_db),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_PROFILES_DIR": str(DBT_PROJECT_DIR),
    }


def ensure_manifest(settings: Settings | None = None, *, force: bool = False, write_derived: bool = True) -> Path:
    """Return the manifest path, running ``dbt parse`` only if the project changed.

    The dbt sources YAML derived from the Source declarations is rewritten first if stale (not in the
    test session, where a stale file must fail ``tests/test_derived_files.py`` instead).
    """
    if write_derived:
        from orchestration import derived

        derived.write({p: c for p, c in derived.source_files().items() if p != derived.README})
    current = project_hash()
    if not force and MANIFEST.is_file() and HASH_FILE.is_file() and HASH_FILE.read_text() == current:
        return MANIFEST
    settings = settings or Settings.from_env()
    command = [dbt_executable(), "parse", "--quiet", "--project-dir", str(DBT_PROJECT_DIR),
               "--profiles-dir", str(DBT_PROJECT_DIR)]
    proc = subprocess.run(command, cwd=DBT_PROJECT_DIR, env=dbt_env(settings), capture_output=True, text=True)
    if proc.returncode != 0:  # partial parsing can trip over a large change (a merge): parse from scratch once
        proc = subprocess.run([*command, "--no-partial-parse"], cwd=DBT_PROJECT_DIR, env=dbt_env(settings),
                              capture_output=True, text=True)
    if proc.returncode != 0 or not MANIFEST.is_file():
        raise RuntimeError(f"dbt parse failed:\n{proc.stdout}\n{proc.stderr}")
    HASH_FILE.write_text(current)
    return MANIFEST
