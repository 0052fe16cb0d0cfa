import pytest

from ingestors.domain.gpus import canonical_gpu_model


@pytest.mark.parametrize("text, expected", [
    ("NVIDIA H100 SXM5 80GB", "H100"),
    ("NVIDIA H100 NVL", "H100"),
    ("NVIDIA A100 80GB PCIe", "A100"),
    ("NVIDIA A10G", "A10G"),
    ("NVIDIA A10", "A10"),
    ("Nvidia Tesla T4 GPU running in Americas", "T4"),
    ("NVIDIA L4", "L4"),
    ("NVIDIA L40S", "L40S"),
    ("AMD Instinct MI300A", "MI300A"),
    ("AMD Instinct MI250X", "MI250X"),
    ("NVIDIA Tesla V100-SXM2-32GB", "V100"),
    ("NVIDIA GH200 Superchip", "GH200"),
    ("AWS Trainium2", "Trainium2"),
    ("None", None),
    ("", None),
    (None, None),
])
def test_canonical_gpu_model(text, expected):
    assert canonical_gpu_model(text) == expected
