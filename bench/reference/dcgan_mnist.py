#!/usr/bin/env python3
"""The PyTorch reference for ganbox's benchmark workloads (issue 3, issue 15), CPU only.

Two workloads, the nets of src/models/dcgan.ts (one rule builds every size: s stride-2 stages):
  --workload mnist (default): the canonical DCGAN-MNIST iteration, 28x28x1, s = 2.
  --workload dcgan64: the PyTorch DCGAN example's 64x64x3 network, s = 4, ngf = ndf = 64:
    G: Linear(100, 4*4*512, bias=False) -> BatchNorm2d(512) -> ReLU
       -> 3 x [ConvTranspose2d(c, c/2, 4, 2, 1, bias=False) -> BatchNorm2d -> ReLU]   (512->256->128->64)
       -> ConvTranspose2d(64, 3, 4, 2, 1) -> tanh
    D: Conv2d(3, 64, 4, 2, 1) -> LeakyReLU(0.2)
       -> 3 x [Conv2d(c, 2c, 4, 2, 1, bias=False) -> BatchNorm2d -> LeakyReLU(0.2)]   (64->128->256->512)
       -> Flatten -> Linear(4*4*512, 1)
    Compat (as in dcgan.ts): the example's first ConvTranspose2d(nz, 512, 4, 1, 0) on a 1x1 input and
    last Conv2d(512, 1, 4, 1, 0) are exactly these Linear layers (ganbox's last one has a bias).
    Batch 64 for training and for sampling (64x64 images cost ~35x the MNIST ones).
  The loop, loss, optimiser and initialisation below are the same for both.

The canonical workload in detail:

Same network as src/models/dcgan.ts for 28x28x1 (NCHW here, NHWC in ganbox):
  G: Linear(100, 7*7*128, bias=False) -> BatchNorm2d(128) -> ReLU
     -> ConvTranspose2d(128, 64, 4, 2, 1, bias=False) -> BatchNorm2d(64) -> ReLU
     -> ConvTranspose2d(64, 1, 4, 2, 1) -> tanh
  D: Conv2d(1, 64, 4, 2, 1) -> LeakyReLU(0.2)
     -> Conv2d(64, 128, 4, 2, 1, bias=False) -> BatchNorm2d(128) -> LeakyReLU(0.2)
     -> Flatten -> Linear(6272, 1)
BatchNorm momentum 0.1, eps 1e-5 (ganbox's settings). Init: kernels N(0, 0.02), BatchNorm gamma
N(1, 0.02), biases and beta 0 (Radford et al. 2015; ganbox's initWeights).

One iteration, as the issue defines it: z ~ N(0, 1) [64, 100], fake = G(z); one D step on a real
batch and the fake batch (fake detached), L_D = BCE(D(x), 1) + BCE(D(fake), 0); then one G step
with the non-saturating loss L_G = BCE(D(fake), 1), reusing the same fake batch. Adam(2e-4,
betas (0.5, 0.999), eps 1e-8) for both. Real batches are uniform random in [-1, 1] of the MNIST
shape (the data's values do not change the work done).

Sampling: G in eval mode under torch.inference_mode(), batches of 256 (64 for dcgan64).

Modes:
  dcgan_mnist.py --threads N --serve      line protocol on stdin/stdout, used by bench/run.ts:
      {"cmd": "train", "iters": K}       -> {"seconds": s, "images": K*64}
      {"cmd": "sample", "batches": K}    -> {"seconds": s, "images": K*sample batch}
      {"cmd": "info"}                    -> {"torch": version, "threads": n, "workload": name, "maxrss_mb": peak RSS}
      {"cmd": "quit"}
  dcgan_mnist.py --threads N [--workload W] [--iters K]  a standalone run that prints images/s.
"""
import argparse
import json
import resource
import sys
import time

import torch
from torch import nn
import torch.nn.functional as F

BATCH = 64
LATENT = 100
# workload -> (side, channels, stride-2 stages, sample batch); width ngf = ndf = 64 for both.
WORKLOADS = {"mnist": (28, 1, 2, 256), "dcgan64": (64, 3, 4, 64)}
WIDTH = 64


class Generator(nn.Module):
    """z [B, 100] -> [B, C, side, side]: Linear -> BN -> ReLU, (stages - 1) x (ConvT -> BN -> ReLU), ConvT -> tanh."""

    def __init__(self, side, channels, stages, ngf=WIDTH):
        super().__init__()
        self.start = side >> stages                       # 7 (28x28), 4 (64x64)
        self.ch = ngf << (stages - 1)                     # 128 (28x28), 512 (64x64)
        self.project = nn.Linear(LATENT, self.start * self.start * self.ch, bias=False)
        self.bn0 = nn.BatchNorm2d(self.ch, momentum=0.1, eps=1e-5)
        blocks, ch = [], self.ch
        for _ in range(1, stages):
            blocks += [nn.ConvTranspose2d(ch, ch // 2, 4, 2, 1, bias=False),
                       nn.BatchNorm2d(ch // 2, momentum=0.1, eps=1e-5), nn.ReLU()]
            ch //= 2
        self.blocks = nn.Sequential(*blocks)
        self.out = nn.ConvTranspose2d(ch, channels, 4, 2, 1)

    def forward(self, z):
        h = self.project(z).view(-1, self.ch, self.start, self.start)
        h = F.relu(self.bn0(h))
        return torch.tanh(self.out(self.blocks(h)))


class Discriminator(nn.Module):
    """[B, C, side, side] -> logit [B, 1]: Conv -> LReLU, (stages - 1) x (Conv -> BN -> LReLU), Linear."""

    def __init__(self, side, channels, stages, ndf=WIDTH):
        super().__init__()
        layers = [nn.Conv2d(channels, ndf, 4, 2, 1), nn.LeakyReLU(0.2)]  # no BatchNorm on the input layer
        ch = ndf
        for _ in range(1, stages):
            layers += [nn.Conv2d(ch, ch * 2, 4, 2, 1, bias=False),
                       nn.BatchNorm2d(ch * 2, momentum=0.1, eps=1e-5), nn.LeakyReLU(0.2)]
            ch *= 2
        self.features = nn.Sequential(*layers)
        end = side >> stages
        self.logit = nn.Linear(end * end * ch, 1)        # 7*7*128 = 6272 (28x28), 4*4*512 = 8192 (64x64)

    def forward(self, x):
        return self.logit(self.features(x).flatten(1))


def init_weights(m):
    if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
        nn.init.normal_(m.weight, 0.0, 0.02)
        if m.bias is not None:
            nn.init.zeros_(m.bias)
    elif isinstance(m, nn.BatchNorm2d):
        nn.init.normal_(m.weight, 1.0, 0.02)
        nn.init.zeros_(m.bias)


class Workload:
    def __init__(self, name="mnist", seed=0):
        torch.manual_seed(seed)
        self.name = name
        side, channels, stages, self.sample_batch = WORKLOADS[name]
        self.G, self.D = Generator(side, channels, stages), Discriminator(side, channels, stages)
        self.G.apply(init_weights)
        self.D.apply(init_weights)
        self.opt_g = torch.optim.Adam(self.G.parameters(), lr=2e-4, betas=(0.5, 0.999), eps=1e-8)
        self.opt_d = torch.optim.Adam(self.D.parameters(), lr=2e-4, betas=(0.5, 0.999), eps=1e-8)
        self.real = [torch.rand(BATCH, channels, side, side) * 2 - 1 for _ in range(8)]
        self.ones = torch.ones(BATCH, 1)
        self.zeros = torch.zeros(BATCH, 1)
        self.step = 0

    def train_step(self):
        self.G.train()
        self.D.train()
        real = self.real[self.step % len(self.real)]
        self.step += 1
        z = torch.randn(BATCH, LATENT)
        fake = self.G(z)
        self.opt_d.zero_grad(set_to_none=True)
        loss_d = (F.binary_cross_entropy_with_logits(self.D(real), self.ones)
                  + F.binary_cross_entropy_with_logits(self.D(fake.detach()), self.zeros))
        loss_d.backward()
        self.opt_d.step()
        self.opt_g.zero_grad(set_to_none=True)
        loss_g = F.binary_cross_entropy_with_logits(self.D(fake), self.ones)
        loss_g.backward()
        self.opt_g.step()
        return loss_d.item(), loss_g.item()

    def sample(self):
        self.G.eval()
        with torch.inference_mode():
            return self.G(torch.randn(self.sample_batch, LATENT))


def maxrss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def serve(w, threads):
    for line in sys.stdin:
        msg = json.loads(line)
        cmd = msg["cmd"]
        if cmd == "train":
            t0 = time.perf_counter()
            for _ in range(msg["iters"]):
                w.train_step()
            out = {"seconds": time.perf_counter() - t0, "images": msg["iters"] * BATCH}
        elif cmd == "sample":
            t0 = time.perf_counter()
            for _ in range(msg["batches"]):
                w.sample()
            out = {"seconds": time.perf_counter() - t0, "images": msg["batches"] * w.sample_batch}
        elif cmd == "info":
            out = {"torch": torch.__version__, "threads": torch.get_num_threads(), "workload": w.name,
                   "maxrss_mb": maxrss_mb()}
        elif cmd == "quit":
            return
        else:
            out = {"error": f"unknown command {cmd}"}
        print(json.dumps(out), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--threads", type=int, default=torch.get_num_threads())
    ap.add_argument("--workload", choices=sorted(WORKLOADS), default="mnist")
    ap.add_argument("--serve", action="store_true")
    ap.add_argument("--iters", type=int, default=20)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    w = Workload(args.workload)
    if args.serve:
        serve(w, args.threads)
        return
    for _ in range(3):
        w.train_step()
    t0 = time.perf_counter()
    for _ in range(args.iters):
        w.train_step()
    dt = time.perf_counter() - t0
    print(f"torch {torch.__version__}, {args.workload}, {torch.get_num_threads()} threads: "
          f"{args.iters * BATCH / dt:.1f} images/s training, peak RSS {maxrss_mb():.0f} MB")


if __name__ == "__main__":
    main()
