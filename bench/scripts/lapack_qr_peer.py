#!/usr/bin/python3
"""Time LAPACK's QR (dgeqrf; dgeqrf + dorgqr) and SVD (dgesdd) on tall shapes, one OpenBLAS thread, beside
dev.cartan.bench.QrCompare.

  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 /usr/bin/python3 \
      bench/scripts/lapack_qr_peer.py 4096x1024 3072x768
Prints one line per (shape, routine): the minimum process CPU time and the median wall time in ms of `reps` calls
after one untimed warm-up call. scipy.linalg.qr(mode='r') is dgeqrf plus copying out R; mode='economic' adds
dorgqr for the thin Q.
"""
import sys
import time

import numpy as np
import scipy.linalg as sla


def timed(fn, reps):
    fn()
    cpu, wall = [], []
    for _ in range(reps):
        c, t = time.process_time(), time.perf_counter()
        fn()
        cpu.append((time.process_time() - c) * 1e3)
        wall.append((time.perf_counter() - t) * 1e3)
    wall.sort()
    return min(cpu), wall[len(wall) // 2]


def main(argv):
    shapes = [s for s in argv if "x" in s] or ["4096x1024", "3072x768"]
    reps = int(next((s for s in argv if s.isdigit()), "3"))
    rng = np.random.default_rng(42)
    print(f"numpy {np.__version__}, scipy {__import__('scipy').__version__}")
    for s in shapes:
        m, n = (int(x) for x in s.split("x"))
        a = np.asfortranarray(rng.standard_normal((m, n)))
        runs = [
            ("dgeqrf (qr mode=r)", lambda: sla.qr(a, mode="r", check_finite=False)),
            ("dgeqrf + dorgqr", lambda: sla.qr(a, mode="economic", check_finite=False)),
            ("dgesdd values", lambda: sla.svd(a, compute_uv=False, lapack_driver="gesdd", check_finite=False)),
            ("dgesdd vectors", lambda: sla.svd(a, full_matrices=False, lapack_driver="gesdd", check_finite=False)),
        ]
        for name, fn in runs:
            cpu, wall = timed(fn, reps)
            print(f"{s:>11} {name:<20} min_cpu {cpu:9.1f} ms  median_wall {wall:9.1f} ms")
        sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
