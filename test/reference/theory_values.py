"""Reference values for test/theory/quadrature.test.ts, by scipy's adaptive quadrature (QUADPACK).

Run: /usr/bin/python3 test/reference/theory_values.py  (prints JSON; copied into the test).
"""
import json
import numpy as np
import scipy
from scipy import integrate, stats


def jsd(p, q, lo, hi):
    def f(x):
        a, b = p.pdf(x), q.pdf(x)
        m = 0.5 * (a + b)
        t = 0.0
        if a > 0: t += 0.5 * a * np.log(a / m)
        if b > 0: t += 0.5 * b * np.log(b / m)
        return t
    return integrate.quad(f, lo, hi, limit=500, epsabs=1e-13, epsrel=1e-12)[0]


def w1(p, q, lo, hi, points=None):
    return integrate.quad(lambda x: abs(p.cdf(x) - q.cdf(x)), lo, hi, limit=500, points=points, epsabs=1e-13, epsrel=1e-12)[0]


out = {
    "versions": {"numpy": np.__version__, "scipy": scipy.__version__},
    # saddle-point's main case: p_data = N(0, 1), p_g = N(1.5, 1)
    "jsd_n0_1__n1.5_1": jsd(stats.norm(0, 1), stats.norm(1.5, 1), -12, 14),
    # wasserstein's pair: P = N(0, 1), Q = N(1.5, 0.4²)
    "w1_n0_1__n1.5_0.4": w1(stats.norm(0, 1), stats.norm(1.5, 0.4), -12, 12),
    # scipy's own 1-D W1 from large samples, as a second, independent route (Monte Carlo, ±~0.003)
    "w1_n0_1__n1.5_0.4_scipy_samples": float(stats.wasserstein_distance(
        stats.norm(0, 1).rvs(400000, random_state=1), stats.norm(1.5, 0.4).rvs(400000, random_state=2))),
}
print(json.dumps(out, indent=2))
