#!/usr/bin/python3
"""Makes the PyTorch checkpoint fixtures for test/io/torch-pth.test.ts (run with Debian's
/usr/bin/python3, which has torch): small state_dicts saved in the zip format
(_use_new_zipfile_serialization=True) and the legacy format (False), their expected tensors as
JSON (dtype, shape and the contiguous little-endian bytes in hex, so the test is bit for bit), and
malicious files whose pickles call os.system / builtins.eval, which must be refused.

The malicious payloads are only ever pickled here, never unpickled by anything but
torch.load(weights_only=True), which refuses them (checked below, with the marker file).

Outputs: test/fixtures/pth/*.pth, expected.json, versions.json.
"""
import collections
import io
import json
import os
import pickle
import struct
import sys
from pathlib import Path

import numpy as np
import torch

OUT = Path(__file__).resolve().parent.parent / "fixtures" / "pth"
MARKER = "/tmp/ganbox-pwned-pth-fixture"


def expected(sd):
    out = {}
    for k, t in sd.items():
        t = t.detach().contiguous()
        raw = (t.view(torch.int16) if t.dtype == torch.bfloat16 else t).numpy().tobytes()
        out[k] = {"dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape), "hex": raw.hex()}
    return out


def save(obj, name, zip_format):
    path = OUT / name
    torch.save(obj, path, _use_new_zipfile_serialization=zip_format)
    return path


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    big = torch.randn(4, 6)
    steps = torch.arange(20, dtype=torch.float64) / 3
    sd = collections.OrderedDict()
    sd["w32"] = torch.randn(3, 4)
    sd["w64"] = torch.randn(5, dtype=torch.float64)
    sd["i64"] = torch.arange(-3, 4, dtype=torch.int64) * (2**40) + 7
    sd["i32"] = torch.tensor([-(2**31), 0, 2**31 - 1], dtype=torch.int32)
    sd["u8"] = torch.arange(0, 250, 25, dtype=torch.uint8)
    sd["bool"] = torch.tensor([True, False, True])
    sd["f16"] = torch.randn(2, 3).half()
    sd["bf16"] = torch.randn(3).bfloat16()
    sd["scalar"] = torch.tensor(2.5)
    sd["empty"] = torch.zeros(0, 3)
    sd["conv"] = torch.randn(2, 3, 3, 3)
    sd["big"] = big
    sd["transposed"] = big.t()  # non-contiguous view of big's storage
    sd["slice"] = big[1:3, 2:5]  # storage offset 8, strides (6, 1)
    sd["steps"] = steps[3::4]  # offset 3, stride 4, float64
    sd["permuted"] = sd["conv"].permute(2, 0, 3, 1)
    sd["param"] = torch.nn.Parameter(torch.randn(2, 2))
    sd["expanded"] = torch.arange(3.0).expand(4, 3)  # stride (0, 1): one row stored, four read
    assert not sd["transposed"].is_contiguous() and sd["slice"].storage_offset() == 8
    assert sd["steps"].storage_offset() == 3 and sd["steps"].stride() == (4,)

    bn = torch.nn.BatchNorm2d(3)
    bn.train()
    bn(torch.randn(4, 3, 2, 2))
    bn(torch.randn(4, 3, 2, 2))
    bn_sd = bn.state_dict()  # an OrderedDict with _metadata; num_batches_tracked is an int64 scalar
    wrapped = {"state_dict": bn_sd, "epoch": 7, "note": "bn"}

    files = {}
    for fmt, zip_format in (("zip", True), ("legacy", False)):
        files[f"tensors_{fmt}.pth"] = save(sd, f"tensors_{fmt}.pth", zip_format)
        files[f"batchnorm_{fmt}.pth"] = save(wrapped, f"batchnorm_{fmt}.pth", zip_format)
    # Sanity: each loads in PyTorch's own restricted unpickler, as the same tensors.
    for name, path in files.items():
        back = torch.load(path, weights_only=True)
        ref = wrapped["state_dict"] if name.startswith("batchnorm") else sd
        got = back["state_dict"] if name.startswith("batchnorm") else back
        for k in ref:
            assert torch.equal(got[k], ref[k]), (name, k)

    # A stride-0 view claiming 2^40 elements from a one-element storage: valid to PyTorch, but
    # copying it out would need 4 TiB, so the reader must refuse it without allocating.
    save({"x": torch.ones(1).expand(2**20, 2**20)}, "huge_expand_zip.pth", True)

    exp = {"tensors": expected(sd), "batchnorm": expected(bn_sd)}
    (OUT / "expected.json").write_text(json.dumps(exp, indent=1) + "\n")

    # Malicious files: a weights dict with an object whose __reduce__ runs a command.
    class System:
        def __reduce__(self):
            return (os.system, (f"touch {MARKER}-system",))

    class Eval:
        def __reduce__(self):
            return (eval, (f"__import__('os').system('touch {MARKER}-eval')",))

    evil = []
    for fmt, zip_format in (("zip", True), ("legacy", False)):
        for tag, obj in (("system", System()), ("eval", Eval())):
            name = f"evil_{tag}_{fmt}.pth"
            save({"weight": torch.ones(2), "payload": obj}, name, zip_format)
            evil.append(name)
    # And a hand-written protocol-2 pickle naming os.system directly (GLOBAL 'os\nsystem'),
    # in a legacy container.
    cmd = f"touch {MARKER}-raw".encode()
    raw = b"\x80\x02cos\nsystem\nq\x00X" + struct.pack("<I", len(cmd)) + cmd + b"\x85R."
    buf = io.BytesIO()
    for header in (0x1950A86A20F9469CFC6C, 1001, {"protocol_version": 1001, "little_endian": True,
                                                     "type_sizes": {"short": 2, "int": 4, "long": 4}}):
        pickle.dump(header, buf, protocol=2)
    buf.write(raw)
    pickle.dump([], buf, protocol=2)
    (OUT / "evil_os_raw_legacy.pth").write_bytes(buf.getvalue())
    evil.append("evil_os_raw_legacy.pth")

    refused = {}
    for name in evil:
        try:
            torch.load(OUT / name, weights_only=True)
            refused[name] = "LOADED"
        except Exception as e:  # torch refuses with pickle.UnpicklingError
            msg = " ".join(str(e).split())
            refused[name] = msg[msg.find("Unsupported"):][:120] if "Unsupported" in msg else msg[-120:]
        assert refused[name] != "LOADED", name
    leaked = [p for p in ("-system", "-eval", "-raw") if os.path.exists(MARKER + p)]
    assert not leaked, leaked

    versions = {
        "python": sys.version.split()[0],
        "torch": torch.__version__,
        "numpy": np.__version__,
        "generator": "test/reference/make_pth_fixtures.py",
        "torch_weights_only_refuses": refused,
        "files": {p.name: p.stat().st_size for p in sorted(OUT.glob("*.pth"))},
    }
    (OUT / "versions.json").write_text(json.dumps(versions, indent=1) + "\n")
    print(json.dumps(versions, indent=1))


if __name__ == "__main__":
    main()
