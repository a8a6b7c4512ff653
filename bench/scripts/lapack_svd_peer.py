#!/usr/bin/python3
"""Times LAPACK's SVDs (OpenBLAS via SciPy) on the Gaussian shapes of AccurateSvdBench, one core.

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/scripts/lapack_svd_peer.py --op svd --shapes 512,1024

--op svd times dgejsv (preconditioned Jacobi, JOBA='F'), dgesvj (plain one-sided Jacobi) and dgesdd
(bidiagonal divide and conquer), values only and with thin U and V, float64 and (sgejsv, sgesdd) float32.
Prints one line per (routine, shape, vectors): median and minimum wall time and minimum thread CPU time over
--reps runs in milliseconds, so the ratio to the JMH figures (wall) or to `AccurateSvdBench`'s CPU-time mode of the
same shapes can be read off. --routines dgejsv restricts the run to the named routines. Same seeds are not needed: the cost of these
routines on Gaussian input depends on the shape, not on the entries.
"""
import argparse
import os
import time

if "OPENBLAS_NUM_THREADS" not in os.environ:
    os.environ["OPENBLAS_NUM_THREADS"] = "1"

import ctypes

import numpy as np
from scipy.linalg import cython_lapack, lapack


def _fortran(name):
    """The LAPACK routine `name` from SciPy's cython_lapack table (SciPy 1.10 has no Python dgesvj wrapper)."""
    cap = cython_lapack.__pyx_capi__[name]
    get = ctypes.pythonapi.PyCapsule_GetPointer
    get.restype = ctypes.c_void_p
    get.argtypes = [ctypes.py_object, ctypes.c_char_p]
    ctypes.pythonapi.PyCapsule_GetName.restype = ctypes.c_char_p
    ctypes.pythonapi.PyCapsule_GetName.argtypes = [ctypes.py_object]
    return ctypes.CFUNCTYPE(None)(get(cap, ctypes.pythonapi.PyCapsule_GetName(cap)))


_DGESVJ = None


def dgesvj(a, vectors):
    """DGESVJ(JOBA='G', JOBU='U', JOBV='V' or 'N') on a copy of the tall matrix a, via its Fortran ABI."""
    global _DGESVJ
    if _DGESVJ is None:
        f = _fortran("dgesvj")
        p = ctypes.POINTER
        ci, cd, cc = ctypes.c_int, ctypes.c_double, ctypes.c_char
        proto = ctypes.CFUNCTYPE(None, p(cc), p(cc), p(cc), p(ci), p(ci), p(cd), p(ci), p(cd), p(ci), p(cd),
                                 p(ci), p(cd), p(ci), p(ci))
        _DGESVJ = proto(ctypes.cast(f, ctypes.c_void_p).value)
    m, n = a.shape
    work_a = np.array(a, dtype=np.float64, order="F")
    sva = np.zeros(n)
    v = np.zeros((n, n), order="F") if vectors else np.zeros((1, 1), order="F")
    lwork = max(6, m + n)
    work = np.zeros(lwork)
    info = ctypes.c_int(0)
    P = lambda x: x.ctypes.data_as(ctypes.POINTER(ctypes.c_double))
    c = lambda ch: ctypes.byref(ctypes.c_char(ch))
    i = lambda x: ctypes.byref(ctypes.c_int(x))
    _DGESVJ(c(b"G"), c(b"U"), c(b"V" if vectors else b"N"), i(m), i(n), P(work_a), i(m), P(sva), i(n),
            P(v), i(max(1, v.shape[0])), P(work), i(lwork), ctypes.byref(info))
    if info.value < 0:
        raise RuntimeError("dgesvj argument %d illegal" % -info.value)
    return sva


def shapes(text):
    out = []
    for s in text.split(","):
        mn = s.lower().split("x")
        out.append((int(mn[0]), int(mn[1]) if len(mn) > 1 else int(mn[0])))
    return out


def timed(fn, reps):
    """Median and minimum wall ms, and minimum CPU ms of this thread (OpenBLAS runs on it with one thread; CPU
    time is what to compare on a machine shared with other jobs)."""
    fn()  # warm-up (workspace queries, page faults)
    ts = []
    cs = []
    for _ in range(reps):
        c0 = time.thread_time()
        t0 = time.perf_counter()
        fn()
        ts.append((time.perf_counter() - t0) * 1e3)
        cs.append((time.thread_time() - c0) * 1e3)
    ts.sort()
    return ts[len(ts) // 2], ts[0], min(cs)


def runs(a, vectors, dtype):
    f = a.astype(dtype, order="F")
    tall = f if f.shape[0] >= f.shape[1] else np.asfortranarray(f.T)
    pre = "d" if dtype == np.float64 else "s"
    gejsv = getattr(lapack, pre + "gejsv")
    gesdd = getattr(lapack, pre + "gesdd")
    jobu = 1 if vectors else 3  # 1 = 'U' (thin U), 3 = 'N'
    jobv = 1 if vectors else 3
    out = {
        pre + "gejsv": lambda: gejsv(tall, joba=1, jobu=jobu, jobv=jobv),
        pre + "gesdd": lambda: gesdd(f, compute_uv=int(vectors), full_matrices=0),
    }
    if pre == "d":
        out["dgesvj"] = lambda: dgesvj(tall, vectors)
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--op", default="svd", choices=["svd"])
    p.add_argument("--shapes", default="256,512,1024")
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--f32", action="store_true", help="also time sgejsv and sgesdd")
    p.add_argument("--routines", default="", help="comma-separated subset, e.g. dgejsv (default: all)")
    args = p.parse_args()
    rng = np.random.default_rng(42)
    only = set(r for r in args.routines.split(",") if r)
    print("routine shape vectors median_ms min_ms min_cpu_ms  (OPENBLAS_NUM_THREADS=%s)" % os.environ["OPENBLAS_NUM_THREADS"])
    for m, n in shapes(args.shapes):
        a = rng.standard_normal((m, n))
        for vectors in (False, True):
            dtypes = [np.float64] + ([np.float32] if args.f32 else [])
            for dt in dtypes:
                for name, fn in runs(a, vectors, dt).items():
                    if only and name not in only:
                        continue
                    med, mn, cpu = timed(fn, args.reps)
                    print("%s %dx%d %s %.1f %.1f %.1f" % (name, m, n, vectors, med, mn, cpu), flush=True)


if __name__ == "__main__":
    main()
