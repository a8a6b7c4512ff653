#!/usr/bin/python3
"""Time the LAPACK/BLAS peer (Debian's numpy/scipy on OpenBLAS) on the shapes Cartan's JMH benchmarks use.

Run with Debian's interpreter and one OpenBLAS thread, e.g.
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 \\
        /usr/bin/python3 bench/scripts/lapack_peer.py --op gemm --sizes 256,512,1024 --json out.json

Operations are registered in OPS (name -> function(size, dtype, repeats) -> dict); GEMM is there now, and the
SVD drivers (dgesdd, dgejsv, dgesvj) are meant to be added the same way with their own shapes. Prints a table on
stdout (and JSON with --json FILE, or to stdout with --json -).
"""
import argparse
import ctypes
import ctypes.util
import json
import os
import platform
import statistics
import sys
import time

import numpy as np
import scipy
import scipy.linalg.blas as blas


def openblas_config():
    """OpenBLAS's own description (version, core type, threads) if the loaded BLAS is OpenBLAS."""
    for name in ("libblas.so.3", ctypes.util.find_library("openblas") or "libopenblas.so.0"):
        try:
            lib = ctypes.CDLL(name)
            fn = lib.openblas_get_config
            fn.restype = ctypes.c_char_p
            cfg = fn().decode()
            threads = lib.openblas_get_num_threads()
            return f"{cfg}; threads={threads}"
        except (OSError, AttributeError):
            continue
    return "unknown (not OpenBLAS?)"


def time_call(fn, repeats):
    """Median and best wall time of fn() over `repeats` runs after one warm-up run."""
    fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times)


def op_gemm(n, dtype, repeats):
    """C = A B for square n x n Fortran-ordered matrices via ?gemm; 2 n^3 flops."""
    rng = np.random.default_rng(42)
    a = np.asfortranarray(rng.uniform(-1, 1, (n, n)).astype(dtype))
    b = np.asfortranarray(rng.uniform(-1, 1, (n, n)).astype(dtype))
    gemm = blas.dgemm if dtype == np.float64 else blas.sgemm
    c = gemm(1.0, a, b)
    # Check the answer once against numpy's own matmul in float64.
    ref = a.astype(np.float64) @ b.astype(np.float64)
    tol = (1e-13 if dtype == np.float64 else 1e-4) * n
    if not np.allclose(c, ref, rtol=0, atol=tol):
        raise SystemExit(f"gemm n={n} {dtype.__name__}: wrong answer")
    med, best = time_call(lambda: gemm(1.0, a, b), repeats)
    flops = 2.0 * n ** 3
    routine = "dgemm" if dtype == np.float64 else "sgemm"
    return {"op": "gemm", "routine": routine, "n": n, "dtype": np.dtype(dtype).name,
            "median_ms": med * 1e3, "best_ms": best * 1e3,
            "gflops_median": flops / med / 1e9, "gflops_best": flops / best / 1e9}


OPS = {"gemm": op_gemm}
DTYPES = {"f64": np.float64, "f32": np.float32}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--op", choices=sorted(OPS), default="gemm")
    p.add_argument("--sizes", default="256,512,1024", help="comma-separated n")
    p.add_argument("--dtypes", default="f64,f32", help="comma-separated: f64,f32")
    p.add_argument("--repeats", type=int, default=7)
    p.add_argument("--json", metavar="FILE", help="also write JSON here ('-' for stdout)")
    args = p.parse_args(argv)
    if os.environ.get("OPENBLAS_NUM_THREADS") != "1":
        print("warning: OPENBLAS_NUM_THREADS is not 1; timings are multi-threaded", file=sys.stderr)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    rows = []
    for dt in args.dtypes.split(","):
        for n in sizes:
            rows.append(OPS[args.op](n, DTYPES[dt], args.repeats))
    meta = {"python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__,
            "blas": openblas_config(), "machine": platform.processor() or platform.machine(),
            "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS")}
    print(f"# {meta['blas']}; numpy {meta['numpy']}, scipy {meta['scipy']}")
    print(f"{'routine':8} {'n':>6} {'median ms':>10} {'best ms':>10} {'GFLOP/s med':>12} {'GFLOP/s best':>13}")
    for r in rows:
        print(f"{r['routine']:8} {r['n']:6d} {r['median_ms']:10.2f} {r['best_ms']:10.2f} "
              f"{r['gflops_median']:12.1f} {r['gflops_best']:13.1f}")
    if args.json:
        doc = json.dumps({"meta": meta, "results": rows}, indent=2)
        if args.json == "-":
            print(doc)
        else:
            with open(args.json, "w") as f:
                f.write(doc + "\n")


if __name__ == "__main__":
    main()
