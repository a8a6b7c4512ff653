#!/usr/bin/python3
"""Synthetic GPT-2-small-shaped checkpoint for timing `cartan analyze` (issue #8, Benchmarks).

Writes a safetensors file (F32) with GPT-2's names and shapes: per block h.N, attn.c_attn 768x2304 (Conv1D,
in x out: fused qkv), attn.c_proj 768x768, mlp.c_fc 768x3072, mlp.c_proj 3072x768; plus wte 50257x768. The
entries are Gaussian with a power-law column scaling so spectra are not flat.

    /usr/bin/python3 gpt2_synthetic.py OUT.safetensors [--blocks 12] [--no-embedding] [--seed 0]

Then `numpy_loop` times np.linalg.svd(compute_uv=False) over the same matrices cartan analyzes (c_attn split in
its three 768x768 column blocks, as cartan does), in float64 (dgesdd), or with --float32 in the file's float32
(NumPy then calls sgesdd), the peer of `cartan analyze --precision f32`:

    OPENBLAS_NUM_THREADS=2 /usr/bin/python3 gpt2_synthetic.py --numpy [--float32] OUT.safetensors
"""
import json
import struct
import sys
import time

import numpy as np


def tensors(blocks, embedding, seed):
    rng = np.random.default_rng(seed)

    def mat(m, n):
        scale = (1.0 + np.arange(n)) ** -0.35
        return (rng.standard_normal((m, n)) * scale).astype(np.float32)

    out = []
    if embedding:
        out.append(("wte.weight", mat(50257, 768)))
    for b in range(blocks):
        p = f"h.{b}."
        out.append((p + "attn.c_attn.weight", mat(768, 2304)))
        out.append((p + "attn.c_proj.weight", mat(768, 768)))
        out.append((p + "mlp.c_fc.weight", mat(768, 3072)))
        out.append((p + "mlp.c_proj.weight", mat(3072, 768)))
    return out


def write(path, ts):
    header, off = {}, 0
    for name, a in ts:
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [off, off + a.nbytes]}
        off += a.nbytes
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for _, a in ts:
            f.write(np.ascontiguousarray(a, dtype="<f4").tobytes())


def read(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        base = 8 + n
    data = np.memmap(path, dtype=np.uint8, mode="r")
    for name, t in header.items():
        if name == "__metadata__":
            continue
        a, b = t["data_offsets"]
        yield name, np.frombuffer(data[base + a:base + b], dtype="<f4").reshape(t["shape"])


def numpy_loop(path, dtype=np.float64):
    t0 = time.perf_counter()
    count = 0
    for name, a in read(path):
        a = a.astype(dtype)
        parts = [a[:, i * 768:(i + 1) * 768] for i in range(3)] if name.endswith("c_attn.weight") else [a]
        for p in parts:
            np.linalg.svd(p, compute_uv=False)
            count += 1
    dt = time.perf_counter() - t0
    print(json.dumps({"numpy": np.__version__, "dtype": np.dtype(dtype).name, "matrices": count, "seconds": dt}))


def main(argv):
    if "--numpy" in argv:
        numpy_loop([a for a in argv if not a.startswith("--")][0],
                   np.float32 if "--float32" in argv else np.float64)
        return
    blocks = int(argv[argv.index("--blocks") + 1]) if "--blocks" in argv else 12
    seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv else 0
    skip = {argv.index(o) + 1 for o in ("--blocks", "--seed") if o in argv}
    out = [a for i, a in enumerate(argv) if not a.startswith("--") and i not in skip][0]
    write(out, tensors(blocks, "--no-embedding" not in argv, seed))


if __name__ == "__main__":
    main(sys.argv[1:])
