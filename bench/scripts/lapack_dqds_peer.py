#!/usr/bin/python3
"""Time LAPACK's dqds (dlasq1, OpenBLAS via Debian's numpy) on the Golub-Kahan bidiagonal of an n x n Gaussian
matrix, and write that bidiagonal for kernels' DqdsProfile, which times Cartan's Dqds on the same numbers.

  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 /usr/bin/python3 \\
      bench/scripts/lapack_dqds_peer.py DIR 1024 2048
The bidiagonal is drawn directly (Dumitriu and Edelman: d_i ~ chi_{n-i}, e_i ~ chi_{n-i-1}, seed 7) and written
to DIR/bidiag{n}.txt (d then e, one number per line, 17 digits). Prints per n the minimum thread CPU time of
7 calls and dlasq2's counters from WORK: its steps (ITER) and element-steps per n^2 (NDIV / n^2).
"""
import ctypes
import ctypes.util
import os
import sys
import time

import numpy as np


def openblas():
    for name in ("openblas", "openblas64"):
        path = ctypes.util.find_library(name)
        if path:
            return ctypes.CDLL(path)
    return ctypes.CDLL("/usr/lib/x86_64-linux-gnu/libopenblas.so")


def main(argv):
    if len(argv) < 2:
        sys.exit("usage: lapack_dqds_peer.py DIR N...")
    out = argv[0]
    os.makedirs(out, exist_ok=True)
    lib = openblas()
    lib.dlasq1_.restype = None
    dp = ctypes.POINTER(ctypes.c_double)
    rng = np.random.default_rng(7)
    for n in (int(a) for a in argv[1:]):
        d0 = np.sqrt(rng.chisquare(np.arange(n, 0, -1)))
        e0 = np.sqrt(rng.chisquare(np.arange(n - 1, 0, -1)))
        np.savetxt(os.path.join(out, f"bidiag{n}.txt"), np.concatenate([d0, e0]), fmt="%.17g")
        best = float("inf")
        for _ in range(7):
            d = d0.copy()
            e = np.zeros(n)
            e[: n - 1] = e0
            work = np.zeros(4 * n)
            nn = ctypes.c_int(n)
            info = ctypes.c_int(0)
            t0 = time.thread_time()
            lib.dlasq1_(ctypes.byref(nn), d.ctypes.data_as(dp), e.ctypes.data_as(dp), work.ctypes.data_as(dp),
                        ctypes.byref(info))
            best = min(best, time.thread_time() - t0)
            if info.value != 0:
                sys.exit(f"dlasq1 n={n}: info {info.value}")
        print(f"dlasq1 n={n}: min {best * 1e3:.2f} ms, steps {int(work[2 * n + 2])}, "
              f"element-steps / n^2 {work[2 * n + 3]:.3f}")


if __name__ == "__main__":
    main(sys.argv[1:])
