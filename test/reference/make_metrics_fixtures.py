#!/usr/bin/python3
"""Reference values for ganbox's metrics (test/metrics/*.test.ts), computed the way the reference
implementations compute them. Run with Debian's /usr/bin/python3 (numpy, scipy, torch):

    /usr/bin/python3 test/reference/make_metrics_fixtures.py

Writes, next to this script:
  metrics_fixtures.json   expected values, the KID subset indices, and the library versions
  fid_stats_64.npz        np.savez(mu=..., sigma=...) of FID case 'small' set A (pytorch-fid's format)
  fid_stats_64_compressed.npz   the same with np.savez_compressed, plus n

Inputs are not stored: every feature matrix is generated from an integer hash (`hash_uniform`,
mirrored in hash-features.ts) whose values are dyadic rationals, and all sums below are exact in
float64 before the final float32 rounding, so Python and TypeScript build bit-identical float32
features. This keeps the fixtures a few hundred kilobytes, the 2048-d case included.

The metric code re-implements the few lines of each reference, which are not installed here:
  * pytorch-fid 0.3.0, src/pytorch_fid/fid_score.py: calculate_frechet_distance
    (Maximilian Seitzer; credits the stable version to Dougal J. Sutherland), and
    calculate_activation_statistics: mu = np.mean(act, axis=0), sigma = np.cov(act, rowvar=False).
  * torch-fidelity 0.3.0 (Anton Obukhov), torch_fidelity/metric_isc.py: isc_features_to_metric
    (torch, float64) and metric_kid.py: mmd2(..., 'unbiased'), polynomial_kernel, kid_features_to_metric.
  * PRDC (Naeem et al. 2020, clovaai/generative-evaluation-prdc, prdc/prdc.py): compute_prdc, with
    sklearn.metrics.pairwise_distances(metric='euclidean') written out as sklearn's
    euclidean_distances computes it (-2 x.y + |x|^2 + |y|^2, clipped at 0, zero diagonal, sqrt).
"""
import json
import os
import platform
import sys

import numpy as np
import scipy
import scipy.linalg
import torch

HERE = os.path.dirname(os.path.abspath(__file__))


# ---------------------------------------------------------------- inputs (mirrored in hash-features.ts)
def hash32(x):
    """lowbias32 (Chris Wellons' integer hash) on uint32 arrays, wrapping arithmetic."""
    x = np.asarray(x, dtype=np.uint32).copy()
    x ^= x >> np.uint32(16)
    x *= np.uint32(0x7FEB352D)
    x ^= x >> np.uint32(15)
    x *= np.uint32(0x846CA68B)
    x ^= x >> np.uint32(16)
    return x


def hash_uniform(seed, count):
    """count values in [-1, 1), multiples of 2^-15: (hash32(i*0x9E3779B1 + seed*0x85EBCA77) >> 16 - 32768) / 32768."""
    i = np.arange(count, dtype=np.uint32)
    key = i * np.uint32(0x9E3779B1) + np.uint32((seed * 0x85EBCA77) & 0xFFFFFFFF)
    return ((hash32(key) >> np.uint32(16)).astype(np.float64) - 32768.0) / 32768.0


def lowrank_features(seed, n, d, rank=16, shift=0.5, noise=0.25, relu=True):
    """float32 [n, d] = max(Z U^T / 4 + noise * E + shift, 0): a low-rank signal with decaying
    scales 2^-floor(r/4) plus full-rank noise, ReLU'd like Inception's pool3 features. Every
    term is a dyadic rational with few bits, so float64 holds all sums exactly."""
    z = hash_uniform(seed * 3 + 0, n * rank).reshape(n, rank) * (2.0 ** -(np.arange(rank) // 4))
    u = hash_uniform(seed * 3 + 1, d * rank).reshape(d, rank)
    e = hash_uniform(seed * 3 + 2, n * d).reshape(n, d)
    x = np.zeros((n, d))
    for r in range(rank):  # rank-1 terms added one by one: exact, and the same order as TS
        x += np.outer(z[:, r], u[:, r])
    x = x / 4 + noise * e + shift
    if relu:
        x = np.maximum(x, 0)
    return x.astype(np.float32)


def logits_matrix(seed, n, c):
    """float32 [n, c] logits: 6 * uniform + a per-class offset 2 * uniform (so p(y) is not flat)."""
    base = hash_uniform(seed, n * c).reshape(n, c) * 6.0
    offset = hash_uniform(seed + 7, c) * 2.0
    return (base + offset).astype(np.float32)


# ---------------------------------------------------------------- pytorch-fid
def calculate_activation_statistics(act):
    # Compat: pytorch-fid passes float32 activations, so its np.mean accumulates in float32 (mu good to
    # ~1e-7 relative); np.cov converts to float64 either way. ganbox and this script use float64 for both.
    act = act.astype(np.float64)
    return np.mean(act, axis=0), np.cov(act, rowvar=False)


def calculate_frechet_distance(mu1, sigma1, mu2, sigma2, eps=1e-6):
    mu1 = np.atleast_1d(mu1)
    mu2 = np.atleast_1d(mu2)
    sigma1 = np.atleast_2d(sigma1)
    sigma2 = np.atleast_2d(sigma2)
    diff = mu1 - mu2
    covmean, _ = scipy.linalg.sqrtm(sigma1.dot(sigma2), disp=False)
    took_eps_branch = False
    if not np.isfinite(covmean).all():
        took_eps_branch = True
        offset = np.eye(sigma1.shape[0]) * eps
        covmean = scipy.linalg.sqrtm((sigma1 + offset).dot(sigma2 + offset))
    imag = 0.0
    if np.iscomplexobj(covmean):
        if not np.allclose(np.diagonal(covmean).imag, 0, atol=1e-3):
            m = np.max(np.abs(covmean.imag))
            raise ValueError("Imaginary component {}".format(m))
        imag = float(np.max(np.abs(covmean.imag)))
        covmean = covmean.real
    tr_covmean = np.trace(covmean)
    value = diff.dot(diff) + np.trace(sigma1) + np.trace(sigma2) - 2 * tr_covmean
    return float(value), float(tr_covmean), took_eps_branch, imag


# ---------------------------------------------------------------- torch-fidelity
def isc_features_to_metric(feature, splits=10, shuffle=False, rng_seed=2020):
    feature = torch.from_numpy(feature)
    N, C = feature.shape
    if shuffle:
        rng = np.random.RandomState(rng_seed)
        feature = feature[rng.permutation(N), :]
    feature = feature.double()
    p = feature.softmax(dim=1)
    log_p = feature.log_softmax(dim=1)
    scores = []
    for i in range(splits):
        p_chunk = p[(i * N) // splits: ((i + 1) * N) // splits, :]
        log_p_chunk = log_p[(i * N) // splits: ((i + 1) * N) // splits, :]
        q_chunk = p_chunk.mean(dim=0, keepdim=True)
        log_q_chunk = torch.log(q_chunk)
        kl = p_chunk * (log_p_chunk - log_q_chunk)
        kl = kl.sum(dim=1).mean().exp().item()
        scores.append(kl)
    return {"mean": float(np.mean(scores)), "std": float(np.std(scores))}


def mmd2(K_XX, K_XY, K_YY, unit_diagonal=False, mmd_est="unbiased"):
    m = K_XX.shape[0]
    diag_X = np.diagonal(K_XX)
    diag_Y = np.diagonal(K_YY)
    Kt_XX_sums = K_XX.sum(axis=1) - diag_X
    Kt_YY_sums = K_YY.sum(axis=1) - diag_Y
    K_XY_sums_0 = K_XY.sum(axis=0)
    Kt_XX_sum = Kt_XX_sums.sum()
    Kt_YY_sum = Kt_YY_sums.sum()
    K_XY_sum = K_XY_sums_0.sum()
    value = (Kt_XX_sum + Kt_YY_sum) / (m * (m - 1))
    value -= 2 * K_XY_sum / (m * m)
    return value


def polynomial_kernel(X, Y, degree=3, gamma=None, coef0=1):
    if gamma is None:
        gamma = 1.0 / X.shape[1]
    return (X @ Y.T * gamma + coef0) ** degree


def polynomial_mmd(f1, f2, degree=3, gamma=None, coef0=1):
    return mmd2(polynomial_kernel(f1, f1, degree, gamma, coef0), polynomial_kernel(f1, f2, degree, gamma, coef0),
                polynomial_kernel(f2, f2, degree, gamma, coef0))


def kid_features_to_metric(f1, f2, subsets, subset_size, rng_seed=2020):
    """torch-fidelity's loop, returning the subset indices it drew so that TS can use the same ones."""
    rng = np.random.RandomState(rng_seed)
    mmds, draws = [], []
    for _ in range(subsets):
        i1 = rng.choice(len(f1), subset_size, replace=False)
        i2 = rng.choice(len(f2), subset_size, replace=False)
        draws.append([i1.tolist(), i2.tolist()])
        mmds.append(polynomial_mmd(f1[i1], f2[i2]))
    mmds = np.array(mmds)
    return {"mean": float(np.mean(mmds)), "std": float(np.std(mmds)), "values": mmds.tolist()}, draws


# ---------------------------------------------------------------- PRDC
def euclidean_distances(x, y, same):
    x = x.astype(np.float64)
    y = y.astype(np.float64)
    d = -2 * (x @ y.T)
    d += np.einsum("ij,ij->i", x, x)[:, None]
    d += np.einsum("ij,ij->i", y, y)[None, :]
    np.maximum(d, 0, out=d)
    if same:
        np.fill_diagonal(d, 0)
    return np.sqrt(d)


def get_kth_value(unsorted, k, axis=-1):
    indices = np.argpartition(unsorted, k, axis=axis)[..., :k]
    k_smallests = np.take_along_axis(unsorted, indices, axis=axis)
    return k_smallests.max(axis=axis)


def compute_prdc(real_features, fake_features, nearest_k):
    real_nn = get_kth_value(euclidean_distances(real_features, real_features, True), k=nearest_k + 1, axis=-1)
    fake_nn = get_kth_value(euclidean_distances(fake_features, fake_features, True), k=nearest_k + 1, axis=-1)
    d_rf = euclidean_distances(real_features, fake_features, False)
    precision = (d_rf < np.expand_dims(real_nn, axis=1)).any(axis=0).mean()
    recall = (d_rf < np.expand_dims(fake_nn, axis=0)).any(axis=1).mean()
    density = (1.0 / float(nearest_k)) * (d_rf < np.expand_dims(real_nn, axis=1)).sum(axis=0).mean()
    coverage = (d_rf.min(axis=1) < real_nn).mean()
    return dict(precision=float(precision), recall=float(recall), density=float(density), coverage=float(coverage))


# ---------------------------------------------------------------- cases
def fid_case(name, d, n1, n2, seed1, seed2, shift1, shift2):
    a = lowrank_features(seed1, n1, d, shift=shift1)
    b = lowrank_features(seed2, n2, d, shift=shift2)
    mu1, s1 = calculate_activation_statistics(a)
    mu2, s2 = calculate_activation_statistics(b)
    value, tr, eps_branch, imag = calculate_frechet_distance(mu1, s1, mu2, s2)
    # The exact Tr((S1 S2)^1/2) from the centred features: the nuclear norm of C2 C1^T / sqrt((n1-1)(n2-1)).
    c1 = a.astype(np.float64) - mu1
    c2 = b.astype(np.float64) - mu2
    exact_tr = float(np.linalg.svd(c2 @ c1.T, compute_uv=False).sum() / np.sqrt((n1 - 1) * (n2 - 1)))
    exact = float((mu1 - mu2) @ (mu1 - mu2) + np.trace(s1) + np.trace(s2) - 2 * exact_tr)
    print(f"fid {name}: {value!r} (exact {exact!r}, rel {abs(value - exact) / exact:.2e}), eps branch {eps_branch}, max imag {imag:.1e}")
    return {
        "name": name, "d": d, "n1": n1, "n2": n2, "seed1": seed1, "seed2": seed2, "shift1": shift1, "shift2": shift2,
        "fid": value, "tr_covmean": tr, "trace1": float(np.trace(s1)), "trace2": float(np.trace(s2)),
        "mean_term": float((mu1 - mu2) @ (mu1 - mu2)), "eps_branch": eps_branch, "max_imag": imag,
        "exact_fid": exact, "exact_tr_covmean": exact_tr,
        "mu1_head": mu1[:8].tolist(), "sigma1_head": s1[0, :8].tolist(), "sigma1_sum": float(s1.sum()),
    }, (mu1, s1, n1)


def main():
    out = {
        "generator": "test/reference/make_metrics_fixtures.py",
        "versions": {"python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__,
                     "torch": torch.__version__},
        "fid": [],
    }
    small, stats = fid_case("small", 64, 500, 700, 11, 12, 0.5, 0.625)
    out["fid"].append(small)
    out["fid"].append(fid_case("small-singular", 64, 40, 50, 13, 14, 0.5, 0.5)[0])
    out["fid"].append(fid_case("inception-2048-n1000", 2048, 1000, 1000, 1, 2, 0.5, 0.625)[0])
    out["fid"].append(fid_case("inception-2048-full-rank", 2048, 2500, 2200, 3, 4, 0.5, 0.5625)[0])
    mu, sigma, n = stats
    np.savez(os.path.join(HERE, "fid_stats_64.npz"), mu=mu, sigma=sigma)
    np.savez_compressed(os.path.join(HERE, "fid_stats_64_compressed.npz"), mu=mu, sigma=sigma, n=np.int64(n))

    logits = logits_matrix(21, 500, 1008)
    out["inception_score"] = {"seed": 21, "n": 500, "c": 1008, "splits": 10, **isc_features_to_metric(logits, 10)}
    rng_perm = np.random.RandomState(2020).permutation(500)
    out["inception_score_shuffled"] = {"order": rng_perm.tolist(), **isc_features_to_metric(logits, 10, shuffle=True)}
    print("is", out["inception_score"]["mean"], out["inception_score"]["std"])

    x = lowrank_features(31, 300, 64, shift=0.5)
    y = lowrank_features(32, 250, 64, shift=0.5625)
    kid, draws = kid_features_to_metric(x.astype(np.float64), y.astype(np.float64), subsets=10, subset_size=100)
    kid32, _ = kid_features_to_metric(x, y, subsets=10, subset_size=100)  # torch-fidelity's own float32 arithmetic
    out["kid"] = {"seed_x": 31, "seed_y": 32, "n_x": 300, "n_y": 250, "d": 64, "shift_x": 0.5, "shift_y": 0.5625,
                  "subsets": draws, **kid, "float32": {"mean": kid32["mean"], "std": kid32["std"]}}
    print("kid", kid["mean"], kid["std"], "float32:", kid32["mean"])

    real = lowrank_features(41, 400, 32, shift=0.5)
    fake = lowrank_features(42, 350, 32, shift=0.5625)
    out["prdc"] = {"seed_real": 41, "seed_fake": 42, "n_real": 400, "n_fake": 350, "d": 32, "shift_real": 0.5,
                   "shift_fake": 0.5625, "k3": compute_prdc(real, fake, 3), "k5": compute_prdc(real, fake, 5)}
    print("prdc", out["prdc"]["k3"], out["prdc"]["k5"])
    # A hash check for the TS mirror of the generator.
    out["hash_check"] = {"uniform_seed5_first8": hash_uniform(5, 8).tolist(),
                         "features_seed1_bits_sum": int(lowrank_features(1, 1000, 2048, shift=0.5).view(np.uint32).astype(np.uint64).sum()),
                         "logits_seed21_bits_sum": int(logits.view(np.uint32).astype(np.uint64).sum())}
    with open(os.path.join(HERE, "metrics_fixtures.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print("wrote", os.path.join(HERE, "metrics_fixtures.json"), file=sys.stderr)


if __name__ == "__main__":
    main()
