#!/usr/bin/python3
"""torch-fidelity's Inception Score and KID, with its numpy RandomState draws, on inputs small
enough for the slices and subsets to matter: reference values for test/metrics/torch-fidelity.test.ts.
Run with Debian's /usr/bin/python3 (numpy; make_metrics_fixtures imports torch for its own cases):

    /usr/bin/python3 test/reference/make_torch_fidelity_fixtures.py

Writes torch_fidelity_fixtures.json next to this script. Inputs are not stored: logits and
features come from the integer-hash generators of make_metrics_fixtures.py, mirrored bit for bit
in hash-features.ts.

torch-fidelity is not installed here; its formulas are re-implemented in numpy from its source
(torch-fidelity 0.3.0, Anton Obukhov, torch_fidelity/metric_isc.py and metric_kid.py):
  * isc_features_to_metric(feature, splits=10, shuffle=True, rng_seed=2020): rows reordered by
    np.random.RandomState(rng_seed).permutation(N); in float64, p = softmax, log p = log_softmax;
    slice i = rows [i*N//splits, (i+1)*N//splits); score_i = exp(mean_x sum_y p (log p - log mean p));
    mean and np.std of the scores. (torch-fidelity computes softmax/log_softmax with torch in
    float64; numpy's max-shifted forms here agree to ~1e-16.)
  * kid_features_to_metric: rng = np.random.RandomState(rng_seed); per subset
    f1 = features_1[rng.choice(n1, kid_subset_size, replace=False)], then the same for features_2;
    polynomial_kernel (X Y^T gamma + coef0)^degree, gamma = 1/d, coef0 = 1, degree 3;
    mmd2(..., 'unbiased'); mean and np.std over subsets. torch-fidelity runs this on the features'
    float32 (numpy float32 matmul); the reference values are the same formula in float64, and the
    float32 run is stored beside them to show the size of that difference.
"""
import json
import os
import platform
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from make_metrics_fixtures import logits_matrix, lowrank_features  # noqa: E402  (the shared input generators)


def log_softmax(x):
    m = x.max(axis=1, keepdims=True)
    return x - (m + np.log(np.exp(x - m).sum(axis=1, keepdims=True)))


def isc_features_to_metric(feature, splits=10, shuffle=True, rng_seed=2020):
    N, C = feature.shape
    if shuffle:
        rng = np.random.RandomState(rng_seed)
        feature = feature[rng.permutation(N), :]
    feature = feature.astype(np.float64)
    log_p = log_softmax(feature)
    p = np.exp(log_p)
    scores = []
    for i in range(splits):
        p_chunk = p[(i * N // splits):((i + 1) * N // splits), :]
        log_p_chunk = log_p[(i * N // splits):((i + 1) * N // splits), :]
        q_chunk = p_chunk.mean(axis=0, keepdims=True)
        kl = p_chunk * (log_p_chunk - np.log(q_chunk))
        scores.append(float(np.exp(kl.sum(axis=1).mean())))
    return {"mean": float(np.mean(scores)), "std": float(np.std(scores)), "scores": scores}


def mmd2_unbiased(K_XX, K_XY, K_YY):
    m = K_XX.shape[0]
    Kt_XX_sum = (K_XX.sum(axis=1) - np.diagonal(K_XX)).sum()
    Kt_YY_sum = (K_YY.sum(axis=1) - np.diagonal(K_YY)).sum()
    K_XY_sum = K_XY.sum(axis=0).sum()
    return (Kt_XX_sum + Kt_YY_sum) / (m * (m - 1)) - 2 * K_XY_sum / (m * m)


def polynomial_kernel(X, Y, degree=3, gamma=None, coef0=1):
    if gamma is None:
        gamma = 1.0 / X.shape[1]
    return (np.matmul(X, Y.T) * gamma + coef0) ** degree


def kid_features_to_metric(f1, f2, subsets=100, subset_size=1000, rng_seed=2020):
    rng = np.random.RandomState(rng_seed)
    mmds = np.zeros(subsets)
    for i in range(subsets):
        a = f1[rng.choice(len(f1), subset_size, replace=False)]
        b = f2[rng.choice(len(f2), subset_size, replace=False)]
        mmds[i] = mmd2_unbiased(polynomial_kernel(a, a), polynomial_kernel(a, b), polynomial_kernel(b, b))
    return {"mean": float(np.mean(mmds)), "std": float(np.std(mmds)), "values": mmds.tolist()}


def main():
    out = {
        "generator": "test/reference/make_torch_fidelity_fixtures.py",
        "versions": {"python": platform.python_version(), "numpy": np.__version__},
        "inception_score": [],
    }
    # IS on 20, 100 and 5,000 rows of 1008 logits (Inception's classes), 10 splits.
    for n, seed in [(20, 51), (100, 52), (5000, 53)]:
        logits = logits_matrix(seed, n, 1008)
        case = {"n": n, "c": 1008, "logits_seed": seed, "splits": 10,
                "numpy": isc_features_to_metric(logits, 10, shuffle=True, rng_seed=2020),
                "input": isc_features_to_metric(logits, 10, shuffle=False)}
        print(f"is n={n}: numpy order {case['numpy']['mean']:.12g} ± {case['numpy']['std']:.6g}, "
              f"input order {case['input']['mean']:.12g} ± {case['input']['std']:.6g}")
        out["inception_score"].append(case)
    # Another seed and split count: the seed reaches the shuffle.
    logits = logits_matrix(52, 100, 1008)
    out["inception_score_seed7_splits4"] = {"n": 100, "c": 1008, "logits_seed": 52, "splits": 4, "rng_seed": 7,
                                            "numpy": isc_features_to_metric(logits, 4, shuffle=True, rng_seed=7)}

    # KID on 1,500 vs 1,500 64-d features, torch-fidelity's defaults: 100 subsets of 1,000.
    d = 64
    x = lowrank_features(61, 1500, d, shift=0.5)
    y = lowrank_features(62, 1500, d, shift=0.5625)
    kid = kid_features_to_metric(x.astype(np.float64), y.astype(np.float64))
    kid32 = kid_features_to_metric(x, y)  # torch-fidelity's own float32 arithmetic
    out["kid"] = {"seed_x": 61, "seed_y": 62, "n_x": 1500, "n_y": 1500, "d": d, "shift_x": 0.5, "shift_y": 0.5625,
                  "subsets": 100, "subset_size": 1000, "rng_seed": 2020, **kid,
                  "float32": {"mean": kid32["mean"], "std": kid32["std"]}}
    print(f"kid: {kid['mean']:.12g} ± {kid['std']:.6g} (float32: {kid32['mean']:.12g} ± {kid32['std']:.6g})")

    path = os.path.join(HERE, "torch_fidelity_fixtures.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print("wrote", path, file=sys.stderr)


if __name__ == "__main__":
    main()
