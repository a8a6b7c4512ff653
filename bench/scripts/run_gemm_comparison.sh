#!/usr/bin/env bash
# One command, one run: JMH GemmBench (Cartan, EJML, ojAlgo) + FmaPeakBench, then OpenBLAS dgemm/sgemm through
# bench/scripts/lapack_peer.py, then one table with GFLOP/s = 2 n^3 / t and the fraction of the measured FMA peak.
#
#   bench/scripts/run_gemm_comparison.sh [sizes] [extra JMH args...]
#   e.g. JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 bench/scripts/run_gemm_comparison.sh 1024 -f 1 -wi 3 -i 5
#
# Defaults: sizes 1024, JMH "-f 1 -wi 3 -i 5". Results go to bench/target/gemm-run-<timestamp>/.
# Needs bench/target/benchmarks.jar (mvn -B -q -pl bench -am package -DskipTests) and Debian's python3-numpy and
# python3-scipy for the OpenBLAS figures.
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZES="${1:-1024}"
shift || true
JMH_ARGS=("$@")
if [ ${#JMH_ARGS[@]} -eq 0 ]; then JMH_ARGS=(-f 1 -wi 3 -i 5); fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JAR=bench/target/benchmarks.jar
[ -f "$JAR" ] || { echo "missing $JAR: mvn -B -q -pl bench -am package -DskipTests" >&2; exit 2; }
OUT="bench/target/gemm-run-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
{
  echo "date: $(date -u +%FT%TZ)"
  echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cpus, load: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "java: $("$JAVA" -version 2>&1 | head -2 | tr '\n' ' ')"
  echo "command: $0 $SIZES ${JMH_ARGS[*]}"
} | tee "$OUT/meta.txt" >&2

# Other processes may hold JMH's lock on a shared machine; this run does not rely on it.
"$JAVA" -Djmh.ignoreLock=true -jar "$JAR" 'dev.cartan.bench.FmaPeakBench' "${JMH_ARGS[@]}" \
    -rf json -rff "$OUT/fma.json" >"$OUT/fma.log" 2>&1
"$JAVA" -Djmh.ignoreLock=true -jar "$JAR" 'dev.cartan.bench.GemmBench' -p size="$SIZES" "${JMH_ARGS[@]}" \
    -rf json -rff "$OUT/gemm.json" >"$OUT/gemm.log" 2>&1
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 \
    /usr/bin/python3 bench/scripts/lapack_peer.py --op gemm --sizes "$SIZES" --json "$OUT/openblas.json" \
    >"$OUT/openblas.log" 2>&1

/usr/bin/python3 - "$OUT" <<'PY' | tee "$OUT/table.md"
import json, sys
out = sys.argv[1]
fma = {r["benchmark"].rsplit(".", 1)[1]: r["primaryMetric"] for r in json.load(open(f"{out}/fma.json"))}
# The peak is a hardware limit that other jobs can only lower: take the best measured iteration.
peak = {p: max(x for fork in fma[p]["rawData"] for x in fork) for p in ("f64", "f32")}
print(f"FMA peak (FmaPeakBench, best iteration, GFLOP/s): f64 {peak['f64']:.1f} (mean {fma['f64']['score']:.1f}), "
      f"f32 {peak['f32']:.1f} (mean {fma['f32']['score']:.1f})\n")
print("| n | precision | library | ms/op (JMH mean +- 99.9% CI; median) | GFLOP/s (median) | % of FMA peak |")
print("|---:|---|---|---:|---:|---:|")
rows = []
for r in json.load(open(f"{out}/gemm.json")):
    name = r["benchmark"].rsplit(".", 1)[1]
    n = int(r["params"]["size"])
    prec = name[-3:].lower()
    lib = {"cartan": "Cartan", "ejml": "EJML", "ojalgo": "ojAlgo"}[name[:-3]]
    ms = r["primaryMetric"]["score"]
    err = float(r["primaryMetric"]["scoreError"])
    raw = sorted(x for fork in r["primaryMetric"]["rawData"] for x in fork)
    med = raw[len(raw) // 2]
    g = 2.0 * n ** 3 / (med * 1e-3) / 1e9
    rows.append((n, prec, lib, f"{ms:.2f} +- {err:.2f}; {med:.2f}", g))
for r in json.load(open(f"{out}/openblas.json"))["results"]:
    prec = "f64" if r["dtype"] == "float64" else "f32"
    rows.append((r["n"], prec, f"OpenBLAS {r['routine']}", f"-; {r['median_ms']:.2f}", r["gflops_median"]))
order = {"Cartan": 0, "EJML": 1, "ojAlgo": 2}
rows.sort(key=lambda x: (x[0], x[1] != "f64", order.get(x[2], 3)))
for n, prec, lib, t, g in rows:
    print(f"| {n} | {prec} | {lib} | {t} | {g:.1f} | {100 * g / peak[prec]:.0f}% |")
PY
echo "raw results: $OUT" >&2
