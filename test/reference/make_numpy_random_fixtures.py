#!/usr/bin/python3
"""Sequences numpy's legacy generator (numpy.random.RandomState) draws, for
test/metrics/numpy-random-state.test.ts. Run with Debian's /usr/bin/python3 (numpy):

    /usr/bin/python3 test/reference/make_numpy_random_fixtures.py

Writes numpy_random_fixtures.json next to this script. Everything in it is numpy's own output:
nothing here re-implements the generator. Long sequences are stored as the SHA-256 of their
uint32 little-endian bytes plus their first and last 16 entries, so the file stays small while
the test still checks every element.
"""
import hashlib
import json
import os
import platform
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
FULL_UP_TO = 100  # sequences up to this length are stored whole


def seq(a):
    a = np.asarray(a)
    assert a.ndim == 1 and a.min(initial=0) >= 0 and a.max(initial=0) < 2**32
    out = {"n": int(a.size), "sha256": hashlib.sha256(a.astype("<u4").tobytes()).hexdigest()}
    if a.size <= FULL_UP_TO:
        out["values"] = a.tolist()
    else:
        out["head"] = a[:16].tolist()
        out["tail"] = a[-16:].tolist()
    return out


def state_of(rs):
    name, key, pos, _, _ = rs.get_state()
    assert name == "MT19937"
    return {"key_head": key[:8].tolist(), "key_623": int(key[623]), "key_sha256": hashlib.sha256(key.astype("<u4").tobytes()).hexdigest(), "pos": int(pos)}


def first_draws(rs):
    """Raw words (randint over the full uint32 range returns next_uint32 unchanged), then doubles."""
    words = rs.randint(0, 2**32, size=8, dtype=np.uint32)
    doubles = rs.random_sample(4)
    return {"uint32": words.tolist(), "random_sample": [float(d) for d in doubles]}


SEEDS = [0, 1, 42, 2020, 123456789, 2**32 - 1]
ARRAY_SEEDS = [[0], [2020], [1, 2, 3], [2**32 - 1, 0, 7, 99], list(range(1000, 1700))]  # the last: longer than 624 words
NS = [1, 2, 3, 10, 20, 100, 1000, 1500, 5000, 65536, 65537, 100003, 250000]


def main():
    out = {
        "generator": "test/reference/make_numpy_random_fixtures.py",
        "versions": {"python": platform.python_version(), "numpy": np.__version__},
        "integer_seeds": [],
        "array_seeds": [],
    }
    for seed in SEEDS:
        entry = {"seed": seed, "state": state_of(np.random.RandomState(seed)), **first_draws(np.random.RandomState(seed))}
        # Each permutation from a fresh RandomState(seed), as torch-fidelity's IS shuffle.
        entry["permutations"] = [seq(np.random.RandomState(seed).permutation(n)) for n in NS]
        out["integer_seeds"].append(entry)
    for key in ARRAY_SEEDS:
        rs = np.random.RandomState(key)
        out["array_seeds"].append({"seed": key, "state": state_of(rs), **first_draws(np.random.RandomState(key)),
                                   "permutation_1000": seq(np.random.RandomState(key).permutation(1000))})

    # One stream, many calls: choice must advance the state exactly as numpy's (a full permutation
    # per call), and shuffle of an array and of a list must draw alike.
    rs = np.random.RandomState(2020)
    calls = []
    for _ in range(3):
        calls.append({"call": "choice", "n": 1500, "size": 1000, "result": seq(rs.choice(1500, 1000, replace=False))})
    calls.append({"call": "choice", "n": 70001, "size": 5, "result": seq(rs.choice(70001, 5, replace=False))})
    calls.append({"call": "choice", "n": 20, "size": 20, "result": seq(rs.choice(20, 20, replace=False))})
    calls.append({"call": "choice", "n": 7, "size": 0, "result": seq(rs.choice(7, 0, replace=False))})
    calls.append({"call": "permutation", "n": 7, "result": seq(rs.permutation(7))})
    items = list(range(100, 111))
    rs.shuffle(items)  # the generic (untyped) path
    calls.append({"call": "shuffle_list", "input": list(range(100, 111)), "result": seq(items)})
    arr = np.arange(500, 537, dtype=np.int32)
    rs.shuffle(arr)  # the typed fast path, 4-byte items
    calls.append({"call": "shuffle_array", "input": list(range(500, 537)), "result": seq(arr)})
    calls.append({"call": "random_sample", "n": 3, "result": [float(v) for v in rs.random_sample(3)]})
    out["stream_2020"] = calls

    # torch-fidelity's KID draws with its defaults on 1,500 vs 1,500 samples: 100 subsets of 1,000.
    rs = np.random.RandomState(2020)
    draws = []
    for _ in range(100):
        draws.append(rs.choice(1500, 1000, replace=False))
        draws.append(rs.choice(1500, 1000, replace=False))
    out["kid_draws_2020"] = {"subsets": 100, "n1": 1500, "n2": 1500, "subset_size": 1000, "all": seq(np.concatenate(draws))}

    path = os.path.join(HERE, "numpy_random_fixtures.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print("wrote", path, f"({os.path.getsize(path)} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
