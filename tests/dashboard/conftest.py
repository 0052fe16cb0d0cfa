"""The dashboard's modules live beside its entry script (Streamlit puts that folder on sys.path); so do the tests."""

from __future__ import annotations

import sys

from ingestors.core.config import REPO_ROOT

DASHBOARD = REPO_ROOT / "warehouse" / "dashboard"
if str(DASHBOARD) not in sys.path:
    sys.path.insert(0, str(DASHBOARD))
