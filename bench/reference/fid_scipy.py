#!/usr/bin/python3
"""FID as pytorch-fid 0.3.0 computes it (src/pytorch_fid/fid_score.py, calculate_frechet_distance:
scipy.linalg.sqrtm of sigma1·sigma2, 1e-6 on the diagonals when the result is not finite, real
part), timed on statistics files written by bench/fid.ts. Prints one JSON line.

    /usr/bin/python3 bench/reference/fid_scipy.py A.npz B.npz REPS
"""
import json
import sys
import time

import numpy as np
import scipy
from scipy import linalg


def calculate_frechet_distance(mu1, sigma1, mu2, sigma2, eps=1e-6):
    diff = mu1 - mu2
    covmean, _ = linalg.sqrtm(sigma1.dot(sigma2), disp=False)
    if not np.isfinite(covmean).all():
        offset = np.eye(sigma1.shape[0]) * eps
        covmean = linalg.sqrtm((sigma1 + offset).dot(sigma2 + offset))
    if np.iscomplexobj(covmean):
        if not np.allclose(np.diagonal(covmean).imag, 0, atol=1e-3):
            raise ValueError("Imaginary component {}".format(np.max(np.abs(covmean.imag))))
        covmean = covmean.real
    return diff.dot(diff) + np.trace(sigma1) + np.trace(sigma2) - 2 * np.trace(covmean)


def main():
    a, b, reps = sys.argv[1], sys.argv[2], int(sys.argv[3])
    fa, fb = np.load(a), np.load(b)
    times, value = [], None
    for _ in range(reps):
        t0 = time.perf_counter()
        value = float(calculate_frechet_distance(fa["mu"], fa["sigma"], fb["mu"], fb["sigma"]))
        times.append(time.perf_counter() - t0)
    print(json.dumps({"value": value, "times": times, "numpy": np.__version__, "scipy": scipy.__version__}))


if __name__ == "__main__":
    main()
