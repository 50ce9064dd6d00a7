#!/usr/bin/env python3
"""PacGAN's own 2-D grid experiment, re-done in PyTorch (CPU, one thread), to see how fast its
high-quality fraction grows: the evidence behind bench/modes-results.md's "within 10 minutes per
seed" paragraph. Not part of the tests; run with Debian's /usr/bin/python3 (python3-torch).

The setting of fjxmlzn/PacGAN, synthetic_data_experiments/2DGrid_GAN&PacGAN (config.py and
pacgan_task.py), read on 2026-12-02:
  data: 25 Gaussians at {-4,-2,0,2,4}^2, sigma 0.05 (ganbox's grid25);
  G: 2-d N(0, 1) latent -> 4 x [Linear(400, no bias) -> BatchNorm -> ReLU] -> Linear(2);
  D on m packed samples: 3 x maxout(200 units, 5 pieces) -> Linear(1);
  weights N(0, 0.02), biases 0; BatchNorm population statistics with momentum 0.05;
  Adam lr 1e-4, beta1 0.8; batch 100; the standard GAN loss (G non-saturating);
  400 epochs of 100,000 samples = 400,000 steps.
Evaluation as PacGAN and ganbox's modeDiagnostics: 2,500 samples of G in inference mode; high
quality = within 3 sigma of the nearest mode; captured = >= 1 high-quality sample; KL of the
high-quality histogram over modes to uniform.

  /usr/bin/python3 bench/reference/pacgan_grid.py --pack 4 --seed 0 --steps 40000 --every 2000
prints one line per evaluation: step, modes, high-quality %, KL, seconds.
"""
import argparse
import time

import torch


class Maxout(torch.nn.Module):
    def __init__(self, n_in, n_out, pieces):
        super().__init__()
        self.linear = torch.nn.Linear(n_in, n_out * pieces)
        self.n_out, self.pieces = n_out, pieces

    def forward(self, x):
        return self.linear(x).view(-1, self.n_out, self.pieces).max(-1)[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--pack', type=int, default=4)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--steps', type=int, default=40000)
    ap.add_argument('--every', type=int, default=2000)
    ap.add_argument('--lr', type=float, default=1e-4)
    a = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(a.seed)
    means = torch.tensor([[i, j] for i in range(-4, 5, 2) for j in range(-4, 5, 2)], dtype=torch.float32)
    sd, batch, hidden = 0.05, 100, 400

    layers = []
    for i in range(4):
        layers += [torch.nn.Linear(2 if i == 0 else hidden, hidden, bias=False), torch.nn.BatchNorm1d(hidden, momentum=0.05), torch.nn.ReLU()]
    G = torch.nn.Sequential(*layers, torch.nn.Linear(hidden, 2))
    D = torch.nn.Sequential(Maxout(2 * a.pack, 200, 5), Maxout(200, 200, 5), Maxout(200, 200, 5), torch.nn.Linear(200, 1))
    for m in list(G.modules()) + list(D.modules()):
        if isinstance(m, torch.nn.Linear):
            torch.nn.init.normal_(m.weight, 0, 0.02)
            if m.bias is not None:
                torch.nn.init.zeros_(m.bias)
    opt_g = torch.optim.Adam(G.parameters(), lr=a.lr, betas=(0.8, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), lr=a.lr, betas=(0.8, 0.999))
    softplus = torch.nn.functional.softplus

    def real(n):
        return means[torch.randint(0, 25, (n,))] + sd * torch.randn(n, 2)

    def pack(x):  # [m*B, 2] -> [B, 2m]: sample i of each of the m batches side by side
        return torch.cat([x[i * batch:(i + 1) * batch] for i in range(a.pack)], 1)

    def evaluate():
        G.eval()
        with torch.no_grad():
            x = G(torch.randn(2500, 2))
        G.train()
        dist, nearest = torch.cdist(x, means).min(1)
        hq = dist < 3 * sd
        counts = torch.bincount(nearest[hq], minlength=25).double()
        p = counts / max(1.0, float(counts.sum()))
        nz = p > 0
        kl = float((p[nz] * torch.log(p[nz] * 25)).sum())
        return int((counts > 0).sum()), 100 * float(hq.float().mean()), kl

    t0 = time.time()
    for step in range(1, a.steps + 1):
        xr = pack(real(batch * a.pack))
        xf = pack(G(torch.randn(batch * a.pack, 2)))
        loss_d = softplus(-D(xr)).mean() + softplus(D(xf.detach())).mean()
        opt_d.zero_grad()
        loss_d.backward()
        opt_d.step()
        loss_g = softplus(-D(xf)).mean()
        opt_g.zero_grad()
        loss_g.backward()
        opt_g.step()
        if step % a.every == 0:
            modes, hq, kl = evaluate()
            print(f'pack {a.pack} seed {a.seed} step {step} modes {modes} high-quality {hq:.1f}% kl {kl:.3f} {time.time() - t0:.0f}s', flush=True)


if __name__ == '__main__':
    main()
