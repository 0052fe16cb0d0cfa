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
import pprint
import re
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


PARTIAL_PARSE_NAME = "partial_parse.msgpack"
# In dbt's partial-parse file (msgpack): the profile hash's checksum, a 64-character str8 (0xd9 0x40).
_PROFILE_CHECKSUM = re.compile(rb"profile_hash.{0,40}?checksum\xd9\x40([0-9a-f]{64})", re.S)


def profile_checksum(working_db: Path) -> str:
    """dbt's hash of the profile's connection details when the profile points at ``working_db``.

    dbt keys partial parsing on it (``ManifestLoader.build_manifest_state_check``: the sorted
    ``connection_info()`` items, pretty-printed, hashed) and the profile's ``path`` is one of them.
    """
    import yaml
    from dbt.adapters.duckdb.credentials import DuckDBCredentials
    from dbt.contracts.files import FileHash

    # the profile's own fields (settings, extensions, ... if it ever has them), with the path this build renders
    profile = yaml.safe_load((DBT_PROJECT_DIR / "profiles.yml").read_text())["cadena"]
    output = dict(profile["outputs"][profile.get("target", "local")])
    fields = {k: v for k, v in output.items() if k not in ("type", "threads")}
    fields.update(path=str(working_db), schema=fields.get("schema", "main"))
    keys = sorted(DuckDBCredentials.from_dict(fields).connection_info())
    return FileHash.from_contents(pprint.pformat(keys)).checksum


def warm_partial_parse(working_db: Path, destination: Path | None = None) -> None:
    """Put ``target/partial_parse.msgpack`` at ``destination``, keyed to the profile of ``working_db``.

    Every warehouse folder gives the profile another ``path``, and dbt reads any change of the profile
    as "profile has changed": it parses all ~550 nodes again (10-30 s), although nothing a node
    parses to depends on the path (the database name, which does, is the file's stem, the same in
    every warehouse). Re-keying the saved state to this profile's hash lets dbt parse only what
    changed. Should the hash be computed differently from dbt's, the two disagree and dbt parses in
    full, as it would have anyway: the rewrite can cost a parse, never skip a needed one.
    """
    saved = TARGET_DIR / PARTIAL_PARSE_NAME
    if not saved.is_file():
        return
    destination = destination or saved
    data = saved.read_bytes()
    found = _PROFILE_CHECKSUM.findall(data)
    wanted = profile_checksum(working_db).encode()
    if len(found) == 1 and found[0] != wanted and data.count(found[0]) == 1:
        data = data.replace(found[0], wanted)
    destination.parent.mkdir(parents=True, exist_ok=True)
    tmp = destination.with_name(f".{destination.name}.{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, destination)


def keep_partial_parse_warm(run_target: Path) -> None:
    """Copy a build's partial-parse state back to ``target/``, where the next build starts from.

    dagster-dbt copies ``target/partial_parse.msgpack`` into each run's folder but never back;
    copying the run's updated file back means the next build only parses what changed since.
    """
    source = run_target / PARTIAL_PARSE_NAME
    if source.is_file():
        tmp = TARGET_DIR / f".partial_parse.{os.getpid()}.msgpack"
        shutil.copy(source, tmp)
        os.replace(tmp, TARGET_DIR / PARTIAL_PARSE_NAME)


def manifest_is_current(current: str | None = None) -> bool:
    """True when ``target/manifest.json`` was parsed from the dbt project's files as they are now."""
    current = current or project_hash()
    return MANIFEST.is_file() and HASH_FILE.is_file() and HASH_FILE.read_text() == current


def record_manifest(files: str) -> None:
    """Note that ``target/manifest.json`` was parsed from the project's files of hash ``files`` (by a parse done
    elsewhere: dagster-dbt's dev preparation)."""
    HASH_FILE.write_text(files)


def ensure_manifest(settings: Settings | None = None, *, force: bool = False, write_derived: bool = True) -> Path:
    """Return the manifest path, running ``dbt parse`` only if the project changed.

    The dbt sources YAML derived from the Source declarations is rewritten first if stale (not in the
    test session, where a stale file must fail ``tests/test_derived_files.py`` instead).
    """
    if write_derived:
        from orchestration import derived

        derived.write({p: c for p, c in derived.source_files().items() if p != derived.README})
    current = project_hash()
    if not force and manifest_is_current(current):
        return MANIFEST
    settings = settings or Settings.from_env()
    warm_partial_parse(settings.working_db)
    ok, output = _parse_in_process(settings)
    if not ok:  # partial parsing can trip over a large change (a merge): parse from scratch once
        ok, output = _parse_in_process(settings, "--no-partial-parse")
    if not ok or not MANIFEST.is_file():
        raise RuntimeError(f"dbt parse failed:\n{output}")
    record_manifest(current)
    return MANIFEST
