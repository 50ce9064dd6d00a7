#!/usr/bin/python3
"""PyTorch's side of bench/features.ts: forward passes of pytorch-fid's FID Inception-v3 (the
architecture of test/reference/make_inception_fixtures.py, random weights: the cost does not
depend on them) on batches of 8 random 32x32 RGB images resized to 299x299, warm, with 2 and 1
threads. Run: /usr/bin/python3 bench/reference/inception_features.py (torch 1.13 here).
"""
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "test" / "reference"))
import make_inception_fixtures as m  # noqa: E402

for threads in (2, 1):
    torch.set_num_threads(threads)
    net = m.FidInception().eval()
    x = torch.randint(0, 256, (8, 3, 32, 32)).float()
    with torch.no_grad():
        net(x)  # warm-up
        t0 = time.time()
        for _ in range(3):
            net(x)
    print(f"pytorch {torch.__version__}, {threads} thread(s): {24 / (time.time() - t0):.2f} images/s")
