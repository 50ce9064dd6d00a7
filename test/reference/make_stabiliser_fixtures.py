#!/usr/bin/python3
"""Reference singular values for test/stabilisers/maths.test.ts (spectral normalisation).

    /usr/bin/python3 test/reference/make_stabiliser_fixtures.py

The kernels are test/backend/helpers.ts's `rand(shape, seed)` (mulberry32, re-implemented below
bit for bit); each is reshaped to [prod(shape[:-1]), shape[-1]] as spectral norm does, and its
singular values come from numpy.linalg.svd (LAPACK gesdd) in float64. Writes
stabiliser_fixtures.json next to this script, with the numpy version.
"""
import json
import os

import numpy as np


def rand(shape, seed):
    n = int(np.prod(shape))
    out = np.empty(n, dtype=np.float32)
    s = seed & 0xFFFFFFFF
    imul = lambda a, b: (a * b) & 0xFFFFFFFF
    for i in range(n):
        s = (s + 0x6D2B79F5) & 0xFFFFFFFF
        t = s
        t = imul(t ^ (t >> 15), t | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & 0xFFFFFFFF
        out[i] = np.float32(((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296 * 2 - 1)
    return out.reshape(shape)


cases = []
for shape, seed in [([20, 7], 11), ([3, 3, 4, 5], 11), ([6, 1], 11), ([64, 32], 12)]:
    w = rand(shape, seed).astype(np.float64).reshape(-1, shape[-1])
    sv = np.linalg.svd(w, compute_uv=False)
    cases.append({"shape": shape, "seed": seed, "singular_values": sv.tolist()})

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "stabiliser_fixtures.json"), "w") as f:
    json.dump({"numpy": np.__version__, "spectral_norm": cases}, f, indent=1)
    f.write("\n")
