"""One name per accelerator model, whatever the publisher calls it.

Azure says "NVIDIA A100 80GB PCIe", AWS "NVIDIA A10G", Google "Nvidia Tesla T4
GPU", TOP500 "NVIDIA H100 SXM5 80GB", Epoch "NVIDIA H100 SXM5 80GB". Beyond
NVIDIA's data-centre GPUs the names cover the other accelerator families the
publishers list: AMD Instinct (MI100 ... MI355X), Intel's Data Center GPU Max
(TOP500 writes "Intel Data Center GPU Max 1550"; Ponte Vecchio is its code
name) and Gaudi, NVIDIA's Grace superchips (GH200, GB200, GB300), Google TPUs,
AWS Trainium and Inferentia, Cerebras wafer-scale systems and Huawei Ascend. Marts
compare prices per GPU model, so every source maps its text to the short
canonical name here (``H100``, ``A100``, ``T4`` ...). Unknown text gives
``None``; callers keep the publisher's text beside it.
"""

from __future__ import annotations

import re

# Most specific first: "H100 NVL" before "H100", "A10G" before "A10", "A100" before "A10".
_PATTERNS: tuple[tuple[str, str], ...] = (
    # NVIDIA Grace superchips and Blackwell
    (r"\bGB300\b", "GB300"),
    (r"\bGB200\b", "GB200"),
    (r"\bB300\b", "B300"),
    (r"\bB200\b", "B200"),
    (r"\bB100\b", "B100"),
    (r"\bGH200\b", "GH200"),
    (r"\bGrace Hopper\b", "GH200"),
    # NVIDIA Hopper, Ampere, Ada, Volta, Turing, Pascal, Kepler, Maxwell
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
    (r"\bGV100\b", "V100"),  # TOP500's "NVIDIA Volta GV100": the V100's chip
    (r"\bT4G\b", "T4G"),
    (r"\bT4\b", "T4"),
    (r"\bP100\b", "P100"),
    (r"\bP40\b", "P40"),
    (r"\bP4\b", "P4"),
    (r"\bK80\b", "K80"),
    (r"\bK40[cm]?\b", "K40"),
    (r"\bK20X?\b", "K20X"),
    (r"\bM60\b", "M60"),
    # AMD Instinct
    (r"\bMI355X\b", "MI355X"),
    (r"\bMI325X\b", "MI325X"),
    (r"\bMI300X\b", "MI300X"),
    (r"\bMI300A\b", "MI300A"),
    (r"\bMI250X\b", "MI250X"),
    (r"\bMI250\b", "MI250"),
    (r"\bMI210\b", "MI210"),
    (r"\bMI100\b", "MI100"),
    (r"\bV620\b", "V620"),
    (r"\bV520\b", "V520"),
    # Intel
    (r"\bGPU Max 1550\b", "GPU Max 1550"),
    (r"\bGPU Max 1100\b", "GPU Max 1100"),
    (r"\bData Center GPU Max\b|\bPonte Vecchio\b", "GPU Max"),
    (r"\bGaudi\s*3\b", "Gaudi3"),
    (r"\bGaudi\s*2\b", "Gaudi2"),
    (r"\bGaudi\b", "Gaudi"),
    (r"\bXeon Phi\b", "Xeon Phi"),
    # Google, AWS, Cerebras, Huawei
    (r"\bTPU\s*v(\d+[a-z]?)\b", "TPU v{0}"),
    (r"\bTrainium\s*2\b", "Trainium2"),
    (r"\bTrainium\s*1?\b", "Trainium"),
    (r"\bInferentia\s*2\b", "Inferentia2"),
    (r"\bInferentia\s*1?\b", "Inferentia"),
    (r"\bCerebras CS-(\d)\b", "Cerebras CS-{0}"),
    (r"\bAscend\s*(910[BC]?)\b", "Ascend {0}"),
)
_COMPILED = tuple((re.compile(p, re.IGNORECASE), name) for p, name in _PATTERNS)


def canonical_gpu_model(text: str | None) -> str | None:
    """The canonical short name of the accelerator ``text`` mentions, or ``None``."""
    if not text:
        return None
    for pattern, name in _COMPILED:
        if m := pattern.search(text):
            return name.format(*m.groups())  # "TPU v{0}" -> "TPU v5p"
    return None
