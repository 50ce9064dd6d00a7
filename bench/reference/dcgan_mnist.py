#!/usr/bin/env python3
"""The PyTorch reference for ganbox's canonical DCGAN-MNIST workload (issue 3), CPU only.

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

Sampling: G in eval mode under torch.inference_mode(), batches of 256.

Modes:
  dcgan_mnist.py --threads N --serve      line protocol on stdin/stdout, used by bench/run.ts:
      {"cmd": "train", "iters": K}       -> {"seconds": s, "images": K*64}
      {"cmd": "sample", "batches": K}    -> {"seconds": s, "images": K*256}
      {"cmd": "info"}                    -> {"torch": version, "threads": n, "maxrss_mb": peak RSS}
      {"cmd": "quit"}
  dcgan_mnist.py --threads N [--iters K]  a standalone run that prints images/s.
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
SAMPLE_BATCH = 256


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.project = nn.Linear(LATENT, 7 * 7 * 128, bias=False)
        self.bn0 = nn.BatchNorm2d(128, momentum=0.1, eps=1e-5)
        self.convt1 = nn.ConvTranspose2d(128, 64, 4, 2, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(64, momentum=0.1, eps=1e-5)
        self.convt2 = nn.ConvTranspose2d(64, 1, 4, 2, 1)

    def forward(self, z):
        h = self.project(z).view(-1, 128, 7, 7)
        h = F.relu(self.bn0(h))
        h = F.relu(self.bn1(self.convt1(h)))
        return torch.tanh(self.convt2(h))


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 64, 4, 2, 1)
        self.conv2 = nn.Conv2d(64, 128, 4, 2, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(128, momentum=0.1, eps=1e-5)
        self.logit = nn.Linear(7 * 7 * 128, 1)

    def forward(self, x):
        h = F.leaky_relu(self.conv1(x), 0.2)
        h = F.leaky_relu(self.bn2(self.conv2(h)), 0.2)
        return self.logit(h.flatten(1))


def init_weights(m):
    if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
        nn.init.normal_(m.weight, 0.0, 0.02)
        if m.bias is not None:
            nn.init.zeros_(m.bias)
    elif isinstance(m, nn.BatchNorm2d):
        nn.init.normal_(m.weight, 1.0, 0.02)
        nn.init.zeros_(m.bias)


class Workload:
    def __init__(self, seed=0):
        torch.manual_seed(seed)
        self.G, self.D = Generator(), Discriminator()
        self.G.apply(init_weights)
        self.D.apply(init_weights)
        self.opt_g = torch.optim.Adam(self.G.parameters(), lr=2e-4, betas=(0.5, 0.999), eps=1e-8)
        self.opt_d = torch.optim.Adam(self.D.parameters(), lr=2e-4, betas=(0.5, 0.999), eps=1e-8)
        self.real = [torch.rand(BATCH, 1, 28, 28) * 2 - 1 for _ in range(8)]
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
            return self.G(torch.randn(SAMPLE_BATCH, LATENT))


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
            out = {"seconds": time.perf_counter() - t0, "images": msg["batches"] * SAMPLE_BATCH}
        elif cmd == "info":
            out = {"torch": torch.__version__, "threads": torch.get_num_threads(), "maxrss_mb": maxrss_mb()}
        elif cmd == "quit":
            return
        else:
            out = {"error": f"unknown command {cmd}"}
        print(json.dumps(out), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--threads", type=int, default=torch.get_num_threads())
    ap.add_argument("--serve", action="store_true")
    ap.add_argument("--iters", type=int, default=20)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    w = Workload()
    if args.serve:
        serve(w, args.threads)
        return
    for _ in range(3):
        w.train_step()
    t0 = time.perf_counter()
    for _ in range(args.iters):
        w.train_step()
    dt = time.perf_counter() - t0
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads: "
          f"{args.iters * BATCH / dt:.1f} images/s training, peak RSS {maxrss_mb():.0f} MB")


if __name__ == "__main__":
    main()
