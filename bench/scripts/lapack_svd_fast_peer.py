#!/usr/bin/python3
"""Time LAPACK's SVD drivers (OpenBLAS via Debian's numpy/scipy) on the shapes of FastSvdBench, one thread.

Run with the system interpreter and one OpenBLAS thread, as the Java benchmark runs on one core:
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 /usr/bin/python3 \
      bench/scripts/lapack_svd_fast_peer.py 512x512 1024x1024
Prints one line per (shape, driver): the median and minimum of `reps` timed calls in milliseconds, after one
untimed warm-up call (none above 2^22 elements, where one call takes seconds and LAPACK has nothing to warm up).
Same matrices as FastSvdBench in distribution (Gaussian), not bit for bit.
Drivers: dgesdd values and thin vectors, sgesdd values and thin vectors, dgesvd thin vectors (only up to
GESVD_LIMIT elements: with vectors it is 5-20x slower than dgesdd, about 12 minutes per call at 4096^2).
Options: --vectors times only dgesdd with thin vectors; --values-only only the values drivers; --reps N sets the
repetitions (default 5; 3 above 1024^2; 2 above 2^22 elements); --json FILE also writes the results as JSON
(with OPENBLAS_NUM_THREADS), for bench/scripts/run_svd_comparison.sh.
Every line also gives the thread CPU time (min and median; time.thread_time: other processes' load does not
count), the figure to compare on a shared machine.
"""
import json
import os
import sys
import time

import numpy as np
import scipy.linalg as sla


GESVD_LIMIT = 2_621_440  # 2.5 * 2^20 elements: up to 1024^2 and 3072 x 768


def timed(fn, reps, warm):
    if warm:
        fn()
    ts = []
    cs = []
    for _ in range(reps):
        c = time.thread_time()
        t = time.perf_counter()
        fn()
        ts.append((time.perf_counter() - t) * 1e3)
        cs.append((time.thread_time() - c) * 1e3)
    ts.sort()
    cs.sort()
    return ts[len(ts) // 2], ts[0], cs[len(cs) // 2], cs[0]


def main(argv):
    vectors_only = "--vectors" in argv
    reps_arg = None
    if "--reps" in argv:
        reps_arg = int(argv[argv.index("--reps") + 1])
        argv = argv[:argv.index("--reps")] + argv[argv.index("--reps") + 2:]
    json_path = None
    if "--json" in argv:
        json_path = argv[argv.index("--json") + 1]
        argv = argv[:argv.index("--json")] + argv[argv.index("--json") + 2:]
    values_only = "--values-only" in argv
    argv = [a for a in argv if a not in ("--vectors", "--values-only")]
    shapes = argv or ["512x512", "1024x1024"]
    rng = np.random.default_rng(42)
    print(f"numpy {np.__version__}, scipy {sla.__name__} {__import__('scipy').__version__}")
    results = []
    for s in shapes:
        m, n = (int(x) for x in s.split("x"))
        a = np.asfortranarray(rng.standard_normal((m, n)))
        af = a.astype(np.float32)
        large = m * n > 1 << 22
        reps = reps_arg or (5 if m * n <= 1024 * 1024 else 2 if large else 3)
        runs = [
            ("dgesdd values", lambda: sla.svd(a, compute_uv=False, lapack_driver="gesdd", check_finite=False)),
            ("dgesdd vectors", lambda: sla.svd(a, full_matrices=False, lapack_driver="gesdd", check_finite=False)),
            ("sgesdd values", lambda: sla.svd(af, compute_uv=False, lapack_driver="gesdd", check_finite=False)),
            ("sgesdd vectors", lambda: sla.svd(af, full_matrices=False, lapack_driver="gesdd", check_finite=False)),
            ("dgesvd vectors", lambda: sla.svd(a, full_matrices=False, lapack_driver="gesvd", check_finite=False)),
        ]
        if m * n > GESVD_LIMIT:
            runs = [r for r in runs if r[0] != "dgesvd vectors"]
        if vectors_only:
            runs = [r for r in runs if r[0] == "dgesdd vectors"]
        if values_only:
            runs = [r for r in runs if "values" in r[0]]
        for name, fn in runs:
            med, best, cmed, cbest = timed(fn, reps, not large)
            print(f"{s:>11} {name:<15} median {med:9.1f} ms  min {best:9.1f} ms"
                  f"  cpu median {cmed:9.1f} ms  min {cbest:9.1f} ms")
            results.append({"shape": s, "driver": name, "reps": reps, "median_ms": med, "min_ms": best,
                            "cpu_median_ms": cmed, "cpu_min_ms": cbest})
            sys.stdout.flush()
            if json_path:
                with open(json_path, "w") as f:
                    json.dump({"numpy": np.__version__, "openblas_threads": os.environ.get("OPENBLAS_NUM_THREADS"),
                               "results": results}, f, indent=1)


if __name__ == "__main__":
    main(sys.argv[1:])
