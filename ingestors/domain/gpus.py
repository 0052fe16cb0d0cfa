"""One name per accelerator model, whatever the publisher calls it.

Azure says "NVIDIA A100 80GB PCIe", AWS "NVIDIA A10G", Google "Nvidia Tesla T4
GPU", TOP500 "NVIDIA H100 SXM5 80GB", Epoch "NVIDIA H100 SXM5 80GB". Marts
compare prices per GPU model, so every source maps its text to the short
canonical name here (``H100``, ``A100``, ``T4`` ...). Unknown text gives
``None``; callers keep the publisher's text beside it.
"""

from __future__ import annotations

import re

# Most specific first: "H100 NVL" before "H100", "A10G" before "A10", "A100" before "A10".
_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"\bGB200\b", "GB200"),
    (r"\bB200\b", "B200"),
    (r"\bGH200\b", "GH200"),
    (r"\bH200\b", "H200"),
    (r"\bH100\b", "H100"),
    (r"\bH800\b", "H800"),
    (r"\bH20\b", "H20"),
    (r"\bA100\b", "A100"),
    (r"\bA800\b", "A800"),
    (r"\bA10G\b", "A10G"),
    (r"\bA10\b", "A10"),
    (r"\bA40\b", "A40"),
    (r"\bA30\b", "A30"),
    (r"\bA16\b", "A16"),
    (r"\bA2\b", "A2"),
    (r"\bL40S\b", "L40S"),
    (r"\bL40\b", "L40"),
    (r"\bL4\b", "L4"),
    (r"\bV100\b", "V100"),
    (r"\bT4G\b", "T4G"),
    (r"\bT4\b", "T4"),
    (r"\bP100\b", "P100"),
    (r"\bP40\b", "P40"),
    (r"\bP4\b", "P4"),
    (r"\bK80\b", "K80"),
    (r"\bM60\b", "M60"),
    (r"\bMI300X\b", "MI300X"),
    (r"\bMI300A\b", "MI300A"),
    (r"\bMI250X?\b", "MI250X"),
    (r"\bMI210\b", "MI210"),
    (r"\bMI100\b", "MI100"),
    (r"\bV620\b", "V620"),
    (r"\bV520\b", "V520"),
    (r"\bGaudi\s*3\b", "Gaudi3"),
    (r"\bGaudi\s*2\b", "Gaudi2"),
    (r"\bGaudi\b", "Gaudi"),
    (r"\bTrainium\s*2\b", "Trainium2"),
    (r"\bTrainium\b", "Trainium"),
    (r"\bInferentia\s*2\b", "Inferentia2"),
    (r"\bInferentia\b", "Inferentia"),
    (r"\bGrace Hopper\b", "GH200"),
)
_COMPILED = tuple((re.compile(p, re.IGNORECASE), name) for p, name in _PATTERNS)


def canonical_gpu_model(text: str | None) -> str | None:
    """The canonical short name of the accelerator ``text`` mentions, or ``None``."""
    if not text:
        return None
    for pattern, name in _COMPILED:
        if pattern.search(text):
            return name
    return None
