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


def _parse_in_process(settings: Settings, *extra: str) -> tuple[bool, str]:
    """``dbt parse`` in this process (dbt's ``dbtRunner``): no second interpreter and dbt import, which cost
    seconds on a loaded machine. dbt's output is captured, so a ``--json`` caller's stdout stays clean."""
    import contextlib
    import io

    from dbt.cli.main import dbtRunner

    before = {k: os.environ.get(k) for k in ("CADENA_DB_PATH", "DBT_SEND_ANONYMOUS_USAGE_STATS", "DBT_PROFILES_DIR")}
    os.environ.update({k: dbt_env(settings)[k] for k in before})
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            result = dbtRunner().invoke(["parse", "--quiet", "--project-dir", str(DBT_PROJECT_DIR),
                                         "--profiles-dir", str(DBT_PROJECT_DIR), *extra])
    finally:
        for key, value in before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return result.success, out.getvalue() + (f"\n{result.exception}" if result.exception else "")


def keep_partial_parse_warm(run_target: Path) -> None:
    """Copy a build's partial-parse state back to ``target/``, where the next build starts from.

    dbt invalidates partial parsing when the profile changes, and the profile's ``path`` (the
    working file, so the warehouse folder) is part of it: a build in a warehouse other than the one
    ``target/partial_parse.msgpack`` was written for parses the whole project again (20-30 s under
    load). dagster-dbt copies that file into each run's folder but never back; copying the run's
    updated file back keeps it valid for the warehouse in use, so only the first build after a
    switch of warehouse pays the full parse.
    """
    source = run_target / "partial_parse.msgpack"
    if source.is_file():
        tmp = TARGET_DIR / f".partial_parse.{os.getpid()}.msgpack"
        shutil.copy(source, tmp)
        os.replace(tmp, TARGET_DIR / "partial_parse.msgpack")


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
    ok, output = _parse_in_process(settings)
    if not ok:  # partial parsing can trip over a large change (a merge): parse from scratch once
        ok, output = _parse_in_process(settings, "--no-partial-parse")
    if not ok or not MANIFEST.is_file():
        raise RuntimeError(f"dbt parse failed:\n{output}")
    HASH_FILE.write_text(current)
    return MANIFEST
