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
    # Intel data-centre GPUs and the other accelerator families (TOP500 and Epoch spellings)
    ("Intel Data Center GPU Max 1550", "GPU Max 1550"),
    ("Intel Data Center GPU Max", "GPU Max"),
    ("Intel Ponte Vecchio", "GPU Max"),
    ("Intel Gaudi 2", "Gaudi2"),
    ("Intel Gaudi3 AI Accelerator", "Gaudi3"),
    ("AMD Instinct MI250", "MI250"),
    ("AMD Instinct MI210 64 GB", "MI210"),
    ("AMD Instinct MI325X", "MI325X"),
    ("AMD Instinct MI355X", "MI355X"),
    ("NVIDIA GB200 NVL72", "GB200"),
    ("NVIDIA GB300 (Blackwell Ultra)", "GB300"),
    ("NVIDIA B200", "B200"),
    ("NVIDIA Volta GV100", "V100"),
    ("NVIDIA Tesla K40m", "K40"),
    ("NVIDIA Tesla K20x", "K20X"),
    ("NVIDIA Tesla K40/Intel Xeon Phi 7120P", "K40"),
    ("Intel Xeon Phi 5110P", "Xeon Phi"),
    ("Google TPU v5p", "TPU v5p"),
    ("Google TPU v4", "TPU v4"),
    ("Amazon Trainium1", "Trainium"),
    ("Cerebras CS-2", "Cerebras CS-2"),
    ("Huawei Ascend 910B", "Ascend 910B"),
    ("None", None),
    ("", None),
    (None, None),
])
def test_canonical_gpu_model(text, expected):
    assert canonical_gpu_model(text) == expected
