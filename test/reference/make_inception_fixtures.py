#!/usr/bin/python3
"""Reference outputs for test/features/inception-fid.test.ts (run with Debian's /usr/bin/python3:
torch 1.13, numpy 1.24; torchvision is not needed).

1. The network of pytorch-fid (`fid_inception_v3` in pytorch_fid/inception.py: torchvision's
   Inception3 with num_classes=1008, aux_logits=False, transform_input=False and the FIDInceptionA /
   C / E_1 / E_2 blocks), written out here module by module with torchvision's attribute names, so
   its state_dict has the names and shapes of pt_inception-2015-12-05-6726825d.pth.
2. Its weights come from a formula the TypeScript test reproduces bit for bit (weight_values below,
   `formulaWeights` in test/features/formula-weights.ts): no 95 MB file is committed. The test
   writes the .pth itself and loads it through src/io/torch-pth.ts.
3. Two 48x48 RGB images (hash pixels, stored in the fixture) go through pytorch-fid's forward:
   F.interpolate(x/255, (299, 299), bilinear, align_corners=False), 2x - 1, the network; pool3 is
   the 2048-d average pool, logits the fc output, logits-unbiased the fc output without its bias
   (torch-fidelity's 'logits_unbiased').
4. pool3 of the same images under the 'tf1' rule (TF1 resize in numpy, (x - 128)/128), as
   torch-fidelity feeds its network.
5. Small resize fixtures: F.interpolate bilinear align_corners=False (pytorch-fid) and the
   TensorFlow 1 resize_bilinear (align_corners=False, no half-pixel centres) that torch-fidelity
   reimplements, written here in numpy from its definition.

Outputs: test/fixtures/inception/inception_fid.json.
"""
import base64
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = Path(__file__).resolve().parent.parent / "fixtures" / "inception"


# ---------------------------------------------------------------- the formula weights
def fnv1a(name: str) -> int:
    h = 2166136261
    for b in name.encode("utf-8"):
        h ^= b
        h = (h * 16777619) & 0xFFFFFFFF
    return h


def lowbias32(x: np.ndarray) -> np.ndarray:
    """Chris Wellons' lowbias32 on uint64 arrays holding uint32 values."""
    m = np.uint64(0xFFFFFFFF)
    x = x ^ (x >> np.uint64(16))
    x = (x * np.uint64(0x7FEB352D)) & m
    x = x ^ (x >> np.uint64(15))
    x = (x * np.uint64(0x846CA68B)) & m
    x = x ^ (x >> np.uint64(16))
    return x


def uniform(name: str, n: int) -> np.ndarray:
    """n values in [-1, 1), multiples of 2^-23: u_i = lowbias32(i * 0x9E3779B1 + fnv1a(name)) / 2^31 - 1 (top 24 bits)."""
    i = np.arange(n, dtype=np.uint64)
    key = (i * np.uint64(0x9E3779B1) + np.uint64(fnv1a(name))) & np.uint64(0xFFFFFFFF)
    h = lowbias32(key) >> np.uint64(8)
    return h.astype(np.float64) / 2.0**23 - 1.0


def weight_values(name: str, shape) -> np.ndarray:
    """The formula: He-uniform convolutions, BN close to identity, a small fc; float64 products rounded once to float32."""
    n = int(np.prod(shape))
    u = uniform(name, n)
    if name.endswith("conv.weight"):
        fan_in = int(np.prod(shape[1:]))
        v = u * np.sqrt(6.0 / fan_in)
    elif name.endswith("bn.weight"):
        v = 1.0 + 0.25 * u
    elif name.endswith("bn.bias"):
        v = 0.2 * u
    elif name.endswith("bn.running_mean"):
        v = 0.2 * u
    elif name.endswith("bn.running_var"):
        v = 1.0 + 0.5 * u
    elif name == "fc.weight":
        v = u * np.sqrt(3.0 / shape[1])
    elif name == "fc.bias":
        v = 0.5 * u
    else:
        raise ValueError(name)
    return v.astype(np.float32).reshape(shape)


# ---------------------------------------------------------------- the pytorch-fid network
class BasicConv2d(nn.Module):
    def __init__(self, cin, cout, **kw):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, bias=False, **kw)
        self.bn = nn.BatchNorm2d(cout, eps=0.001)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)))


def avg_no_pad(x):  # FID patch: TensorFlow's average pool leaves the padded zeros out
    return F.avg_pool2d(x, kernel_size=3, stride=1, padding=1, count_include_pad=False)


class BlockA(nn.Module):
    def __init__(self, cin, pool_features):
        super().__init__()
        self.branch1x1 = BasicConv2d(cin, 64, kernel_size=1)
        self.branch5x5_1 = BasicConv2d(cin, 48, kernel_size=1)
        self.branch5x5_2 = BasicConv2d(48, 64, kernel_size=5, padding=2)
        self.branch3x3dbl_1 = BasicConv2d(cin, 64, kernel_size=1)
        self.branch3x3dbl_2 = BasicConv2d(64, 96, kernel_size=3, padding=1)
        self.branch3x3dbl_3 = BasicConv2d(96, 96, kernel_size=3, padding=1)
        self.branch_pool = BasicConv2d(cin, pool_features, kernel_size=1)

    def forward(self, x):
        a = self.branch1x1(x)
        b = self.branch5x5_2(self.branch5x5_1(x))
        c = self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x)))
        d = self.branch_pool(avg_no_pad(x))
        return torch.cat([a, b, c, d], 1)


class BlockB(nn.Module):
    def __init__(self, cin):
        super().__init__()
        self.branch3x3 = BasicConv2d(cin, 384, kernel_size=3, stride=2)
        self.branch3x3dbl_1 = BasicConv2d(cin, 64, kernel_size=1)
        self.branch3x3dbl_2 = BasicConv2d(64, 96, kernel_size=3, padding=1)
        self.branch3x3dbl_3 = BasicConv2d(96, 96, kernel_size=3, stride=2)

    def forward(self, x):
        a = self.branch3x3(x)
        b = self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x)))
        c = F.max_pool2d(x, kernel_size=3, stride=2)
        return torch.cat([a, b, c], 1)


class BlockC(nn.Module):
    def __init__(self, cin, c7):
        super().__init__()
        self.branch1x1 = BasicConv2d(cin, 192, kernel_size=1)
        self.branch7x7_1 = BasicConv2d(cin, c7, kernel_size=1)
        self.branch7x7_2 = BasicConv2d(c7, c7, kernel_size=(1, 7), padding=(0, 3))
        self.branch7x7_3 = BasicConv2d(c7, 192, kernel_size=(7, 1), padding=(3, 0))
        self.branch7x7dbl_1 = BasicConv2d(cin, c7, kernel_size=1)
        self.branch7x7dbl_2 = BasicConv2d(c7, c7, kernel_size=(7, 1), padding=(3, 0))
        self.branch7x7dbl_3 = BasicConv2d(c7, c7, kernel_size=(1, 7), padding=(0, 3))
        self.branch7x7dbl_4 = BasicConv2d(c7, c7, kernel_size=(7, 1), padding=(3, 0))
        self.branch7x7dbl_5 = BasicConv2d(c7, 192, kernel_size=(1, 7), padding=(0, 3))
        self.branch_pool = BasicConv2d(cin, 192, kernel_size=1)

    def forward(self, x):
        a = self.branch1x1(x)
        b = self.branch7x7_3(self.branch7x7_2(self.branch7x7_1(x)))
        c = x
        for k in range(1, 6):
            c = getattr(self, f"branch7x7dbl_{k}")(c)
        d = self.branch_pool(avg_no_pad(x))
        return torch.cat([a, b, c, d], 1)


class BlockD(nn.Module):
    def __init__(self, cin):
        super().__init__()
        self.branch3x3_1 = BasicConv2d(cin, 192, kernel_size=1)
        self.branch3x3_2 = BasicConv2d(192, 320, kernel_size=3, stride=2)
        self.branch7x7x3_1 = BasicConv2d(cin, 192, kernel_size=1)
        self.branch7x7x3_2 = BasicConv2d(192, 192, kernel_size=(1, 7), padding=(0, 3))
        self.branch7x7x3_3 = BasicConv2d(192, 192, kernel_size=(7, 1), padding=(3, 0))
        self.branch7x7x3_4 = BasicConv2d(192, 192, kernel_size=3, stride=2)

    def forward(self, x):
        a = self.branch3x3_2(self.branch3x3_1(x))
        b = x
        for k in range(1, 5):
            b = getattr(self, f"branch7x7x3_{k}")(b)
        c = F.max_pool2d(x, kernel_size=3, stride=2)
        return torch.cat([a, b, c], 1)


class BlockE(nn.Module):
    def __init__(self, cin, max_pool):
        super().__init__()
        self.max_pool = max_pool  # FID patch: the last E block max-pools (E_2), the first averages without pads (E_1)
        self.branch1x1 = BasicConv2d(cin, 320, kernel_size=1)
        self.branch3x3_1 = BasicConv2d(cin, 384, kernel_size=1)
        self.branch3x3_2a = BasicConv2d(384, 384, kernel_size=(1, 3), padding=(0, 1))
        self.branch3x3_2b = BasicConv2d(384, 384, kernel_size=(3, 1), padding=(1, 0))
        self.branch3x3dbl_1 = BasicConv2d(cin, 448, kernel_size=1)
        self.branch3x3dbl_2 = BasicConv2d(448, 384, kernel_size=3, padding=1)
        self.branch3x3dbl_3a = BasicConv2d(384, 384, kernel_size=(1, 3), padding=(0, 1))
        self.branch3x3dbl_3b = BasicConv2d(384, 384, kernel_size=(3, 1), padding=(1, 0))
        self.branch_pool = BasicConv2d(cin, 192, kernel_size=1)

    def forward(self, x):
        a = self.branch1x1(x)
        b = self.branch3x3_1(x)
        b = torch.cat([self.branch3x3_2a(b), self.branch3x3_2b(b)], 1)
        c = self.branch3x3dbl_2(self.branch3x3dbl_1(x))
        c = torch.cat([self.branch3x3dbl_3a(c), self.branch3x3dbl_3b(c)], 1)
        p = F.max_pool2d(x, kernel_size=3, stride=1, padding=1) if self.max_pool else avg_no_pad(x)
        d = self.branch_pool(p)
        return torch.cat([a, b, c, d], 1)


class FidInception(nn.Module):
    def __init__(self):
        super().__init__()
        self.Conv2d_1a_3x3 = BasicConv2d(3, 32, kernel_size=3, stride=2)
        self.Conv2d_2a_3x3 = BasicConv2d(32, 32, kernel_size=3)
        self.Conv2d_2b_3x3 = BasicConv2d(32, 64, kernel_size=3, padding=1)
        self.Conv2d_3b_1x1 = BasicConv2d(64, 80, kernel_size=1)
        self.Conv2d_4a_3x3 = BasicConv2d(80, 192, kernel_size=3)
        self.Mixed_5b = BlockA(192, 32)
        self.Mixed_5c = BlockA(256, 64)
        self.Mixed_5d = BlockA(288, 64)
        self.Mixed_6a = BlockB(288)
        self.Mixed_6b = BlockC(768, 128)
        self.Mixed_6c = BlockC(768, 160)
        self.Mixed_6d = BlockC(768, 160)
        self.Mixed_6e = BlockC(768, 192)
        self.Mixed_7a = BlockD(768)
        self.Mixed_7b = BlockE(1280, max_pool=False)
        self.Mixed_7c = BlockE(2048, max_pool=True)
        self.fc = nn.Linear(2048, 1008)

    def forward(self, images_uint8_nchw, trace=None):
        x = images_uint8_nchw / 255.0
        x = F.interpolate(x, size=(299, 299), mode="bilinear", align_corners=False)
        x = 2 * x - 1
        return self.network(x, trace)

    def network(self, x, trace=None):
        x = self.Conv2d_2b_3x3(self.Conv2d_2a_3x3(self.Conv2d_1a_3x3(x)))
        x = F.max_pool2d(x, kernel_size=3, stride=2)
        x = self.Conv2d_4a_3x3(self.Conv2d_3b_1x1(x))
        x = F.max_pool2d(x, kernel_size=3, stride=2)
        for name in ["Mixed_5b", "Mixed_5c", "Mixed_5d", "Mixed_6a", "Mixed_6b", "Mixed_6c", "Mixed_6d", "Mixed_6e",
                     "Mixed_7a", "Mixed_7b", "Mixed_7c"]:
            x = getattr(self, name)(x)
            if trace is not None:
                trace.append((name, float(x.std()), float(x.abs().max())))
        pool3 = x.mean(dim=(2, 3))
        logits = self.fc(pool3)
        unbiased = pool3 @ self.fc.weight.T
        return pool3, logits, unbiased


def b64(a: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(a).tobytes()).decode("ascii")


def tf1_resize(img: np.ndarray, oh: int, ow: int) -> np.ndarray:
    """TF1 tf.image.resize_bilinear(align_corners=False): source = dst * in/out (no half-pixel shift), float64."""
    n, h, w, c = img.shape
    out = np.zeros((n, oh, ow, c))
    for y in range(oh):
        sy = y * (h / oh)
        y0 = int(np.floor(sy)); y1 = min(y0 + 1, h - 1); fy = sy - y0
        for x in range(ow):
            sx = x * (w / ow)
            x0 = int(np.floor(sx)); x1 = min(x0 + 1, w - 1); fx = sx - x0
            top = img[:, y0, x0] + (img[:, y0, x1] - img[:, y0, x0]) * fx
            bot = img[:, y1, x0] + (img[:, y1, x1] - img[:, y1, x0]) * fx
            out[:, y, x] = top + (bot - top) * fy
    return out


def main():
    torch.manual_seed(0)
    torch.set_num_threads(2)
    net = FidInception().eval()
    sd = net.state_dict()
    tensors = []
    with torch.no_grad():
        for name, t in sd.items():
            if name.endswith("num_batches_tracked"):
                continue  # not read by ganbox; the test's .pth leaves them out, as the FID weights may
            v = weight_values(name, tuple(t.shape))
            t.copy_(torch.from_numpy(v))
            tensors.append({"name": name, "shape": list(t.shape), "sum": float(v.astype(np.float64).sum())})

    rng = np.random.default_rng(5)
    # Two 48x48 RGB images: a smooth gradient plus noise, so both resize and content matter.
    yy, xx = np.mgrid[0:48, 0:48]
    imgs = []
    for k in range(2):
        base = np.stack([(xx * 5 + 40 * k), (yy * 4 + 20), ((xx + yy) * 2 + 90 * k)], -1)
        noise = rng.integers(0, 64, size=(48, 48, 3))
        imgs.append(((base + noise) % 256).astype(np.uint8))
    images = np.stack(imgs)  # [2, 48, 48, 3] NHWC uint8

    x = torch.from_numpy(images).permute(0, 3, 1, 2).float()
    trace = []
    t0 = time.time()
    with torch.no_grad():
        pool3, logits, unbiased = net(x, trace)
    secs = time.time() - t0
    net64 = FidInception().eval()
    net64.load_state_dict(sd, strict=False)
    net64 = net64.double()
    with torch.no_grad():
        p64, l64, u64 = net64(x.double())
    # The 'tf1' rule end to end: TF1 resize (numpy, float64) of the pixels, (x - 128)/128, the network.
    tf1_in = (tf1_resize(images.astype(np.float64), 299, 299) - 128) / 128
    with torch.no_grad():
        tf1_pool3, _, _ = net.network(torch.from_numpy(tf1_in.astype(np.float32)).permute(0, 3, 1, 2))
    for nm, std, mx in trace:
        print(f"{nm}: std {std:.3g} max {mx:.3g}")
    rel = lambda a, b: float((a.double() - b).abs().max() / b.abs().max())
    print(f"float32 vs float64: pool3 {rel(pool3, p64):.2e}, logits {rel(logits, l64):.2e}, unbiased {rel(unbiased, u64):.2e}")
    print(f"pool3 range [{float(pool3.min()):.3g}, {float(pool3.max()):.3g}], logits std {float(logits.std()):.3g}; forward {secs:.2f} s")

    # Resize fixtures: a 5x7x3 float image (values of 0..255 pixels) up to 11x13 and down to 3x4.
    small = rng.integers(0, 256, size=(1, 5, 7, 3)).astype(np.float32)
    st = torch.from_numpy(small).permute(0, 3, 1, 2)
    resize = {"input": small.ravel().tolist(), "shape": list(small.shape), "cases": []}
    for oh, ow in [(11, 13), (3, 4), (5, 7), (299, 299)]:
        bil = F.interpolate(st.double(), size=(oh, ow), mode="bilinear", align_corners=False).permute(0, 2, 3, 1).numpy()
        tf1 = tf1_resize(small.astype(np.float64), oh, ow)
        case = {"size": [oh, ow]}
        if oh * ow <= 200:
            case["bilinear"] = bil.ravel().tolist()
            case["tf1"] = tf1.ravel().tolist()
        else:  # big output: a few summary numbers only
            case["bilinear_sum"] = float(bil.sum()); case["tf1_sum"] = float(tf1.sum())
            case["bilinear_corner"] = bil[0, :3, :3].ravel().tolist(); case["tf1_corner"] = tf1[0, -3:, -3:].ravel().tolist()
        resize["cases"].append(case)

    OUT.mkdir(parents=True, exist_ok=True)
    fixture = {
        "generator": "test/reference/make_inception_fixtures.py",
        "versions": {"python": sys.version.split()[0], "torch": torch.__version__, "numpy": np.__version__},
        "tensors": tensors,
        "images": {"shape": list(images.shape), "uint8_b64": b64(images)},
        "outputs_float32_b64": {"pool3": b64(pool3.numpy().astype("<f4")), "logits": b64(logits.numpy().astype("<f4")),
                                "logits-unbiased": b64(unbiased.numpy().astype("<f4"))},
        "tf1_pool3_float32_b64": b64(tf1_pool3.numpy().astype("<f4")),
        "float32_vs_float64": {"pool3": rel(pool3, p64), "logits": rel(logits, l64), "logits-unbiased": rel(unbiased, u64)},
        "resize": resize,
    }
    (OUT / "inception_fid.json").write_text(json.dumps(fixture))
    print("wrote", OUT / "inception_fid.json", (OUT / "inception_fid.json").stat().st_size, "bytes")


if __name__ == "__main__":
    main()
