#!/usr/bin/python3
"""PyTorch's side of the features section of `npm run bench` (bench/features-section.ts):
pytorch-fid's FID Inception-v3 (the architecture of test/reference/make_inception_fixtures.py)
with the weights of the .pth file the bench wrote (the same file ganbox's ONNX graph is built
from), forward passes on the bench's 299x299 uint8 RGB images (x/255, F.interpolate to 299x299 =
the identity here, 2x - 1, the network), under torch.no_grad(), eval mode.

  inception_bench.py --weights W.pth --images IMG.u8 --n N --batch B --batches K --pool3 OUT.f32

writes pool3 of the first batch (float32, [B, 2048]) to OUT.f32 for the agreement check, then
answers one JSON line per command on stdin (bench/features-section.ts alternates with ganbox):
  {"cmd": "run", "threads": T}  -> {"seconds": s, "images": K*B}   (warm-up at T first if new)
  {"cmd": "info"}               -> {"torch": version}
  {"cmd": "quit"}
"""
import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "test" / "reference"))
import make_inception_fixtures as m  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("--weights", required=True)
p.add_argument("--images", required=True)
p.add_argument("--n", type=int, required=True)
p.add_argument("--batch", type=int, default=8)
p.add_argument("--batches", type=int, default=2)
p.add_argument("--pool3", required=True)
a = p.parse_args()

net = m.FidInception().eval()
sd = torch.load(a.weights, map_location="cpu")
missing, unexpected = net.load_state_dict(sd, strict=False)
assert not unexpected and all(k.endswith("num_batches_tracked") for k in missing), (missing, unexpected)
px = np.fromfile(a.images, dtype=np.uint8).reshape(a.n, 299, 299, 3)
x = torch.from_numpy(px).permute(0, 3, 1, 2).float()  # NCHW, 0..255
batches = [x[(k * a.batch) % a.n:(k * a.batch) % a.n + a.batch] for k in range(a.batches)]
warm = set()
with torch.no_grad():
    pool3, _, _ = net(batches[0])
    pool3.numpy().astype(np.float32).tofile(a.pool3)
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        cmd = json.loads(line)
        if cmd["cmd"] == "quit":
            break
        if cmd["cmd"] == "info":
            print(json.dumps({"torch": torch.__version__}), flush=True)
            continue
        torch.set_num_threads(cmd["threads"])
        if cmd["threads"] not in warm:
            net(batches[0])  # warm-up at this thread count
            warm.add(cmd["threads"])
        t0 = time.perf_counter()
        for b in batches:
            net(b)
        print(json.dumps({"seconds": time.perf_counter() - t0, "images": a.batch * a.batches}), flush=True)
