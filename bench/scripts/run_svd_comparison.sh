#!/usr/bin/env bash
# One command, one run: the fast SVD against its peers. Per shape, JMH FastSvdBench (Cartan on 1 and 2 threads,
# ojAlgo, EJML, Commons Math; values only and thin vectors, float64 and float32), then OpenBLAS's dgesdd, sgesdd
# and dgesvd through bench/scripts/lapack_svd_fast_peer.py on 1 and 2 threads; at the end one table of medians and
# ratios (Cartan / LAPACK, fastest JVM peer / Cartan).
#
#   bench/scripts/run_svd_comparison.sh [shapes] [extra JMH args...]
#   e.g. bench/scripts/run_svd_comparison.sh 512x512,1024x1024 -f 1 -wi 1 -i 3
#
# Defaults: the shapes of issue #4 (256^2 ... 4096^2, 3072x768, 4096x1024, 768x50257), JMH "-f 1 -wi 3 -i 3 -w 2
# -r 2" up to 2^22 elements and "-f 1 -wi 1 -i 3 -w 2 -r 2" above (one call there is seconds long, so a warm-up
# iteration is a call or two; below, one 2 s warm-up iteration left the JIT unsettled: float32 values at 1024^2
# measured 168 ms against 106 ms after three, docs/benchmarks.md). Extra JMH args replace these for every shape.
# The JVM peers run up to SVD_PEER_LIMIT elements (default 2^22 = 2048^2; beyond, their SVDs take minutes
# per call), Commons Math up to 512^2. Results go to bench/target/svd-run-<timestamp>/; about an hour on two
# Zen 3 cores with the default shapes. Needs bench/target/benchmarks.jar (mvn -B -q -pl bench -am package
# -DskipTests) and Debian's python3-numpy and python3-scipy for the OpenBLAS figures.
set -euo pipefail
cd "$(dirname "$0")/../.."
SHAPES="${1:-256x256,512x512,1024x1024,2048x2048,4096x4096,3072x768,4096x1024,768x50257}"
shift || true
USER_JMH_ARGS=("$@")
PEER_LIMIT="${SVD_PEER_LIMIT:-4194304}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JAR=bench/target/benchmarks.jar
[ -f "$JAR" ] || { echo "missing $JAR: mvn -B -q -pl bench -am package -DskipTests" >&2; exit 2; }
OUT="bench/target/svd-run-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
{
  echo "date: $(date -u +%FT%TZ)"
  echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cpus, load: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "java: $("$JAVA" -version 2>&1 | head -2 | tr '\n' ' ')"
  echo "command: $0 $SHAPES ${USER_JMH_ARGS[*]:-(default JMH args)} (SVD_PEER_LIMIT=$PEER_LIMIT)"
} | tee "$OUT/meta.txt" >&2

for shape in ${SHAPES//,/ }; do
  m="${shape%x*}"
  n="${shape#*x}"
  elements=$((m * n))
  if [ ${#USER_JMH_ARGS[@]} -gt 0 ]; then
    JMH_ARGS=("${USER_JMH_ARGS[@]}")
  elif [ "$elements" -le 4194304 ]; then
    JMH_ARGS=(-f 1 -wi 3 -i 3 -w 2 -r 2)
  else
    JMH_ARGS=(-f 1 -wi 1 -i 3 -w 2 -r 2)
  fi
  one='cartanValues|cartanVectors|cartanValuesF32|cartanVectorsF32'
  if [ "$elements" -le "$PEER_LIMIT" ]; then
    one="$one|ojalgoValues|ojalgoVectors|ejmlValues|ejmlVectors|ejmlValuesF32|ejmlVectorsF32"
  fi
  if [ "$elements" -le 262144 ]; then one="$one|commonsVectors"; fi
  echo "$(date -u +%T) $shape: JMH, 1 thread ($one)" >&2
  # Other processes may hold JMH's lock on a shared machine; this run does not rely on it.
  "$JAVA" -Djmh.ignoreLock=true -jar "$JAR" "FastSvdBench\\.($one)\$" -p shape="$shape" -p threads=1 \
      "${JMH_ARGS[@]}" -rf json -rff "$OUT/jmh-$shape-t1.json" >"$OUT/jmh-$shape-t1.log" 2>&1
  echo "$(date -u +%T) $shape: JMH, Cartan on 2 threads" >&2
  "$JAVA" -Djmh.ignoreLock=true -jar "$JAR" 'FastSvdBench\.cartan(Values|Vectors|ValuesF32|VectorsF32)$' \
      -p shape="$shape" -p threads=2 "${JMH_ARGS[@]}" -rf json -rff "$OUT/jmh-$shape-t2.json" \
      >"$OUT/jmh-$shape-t2.log" 2>&1
  for t in 1 2; do
    echo "$(date -u +%T) $shape: OpenBLAS, $t thread(s)" >&2
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=$t /usr/bin/python3 \
        bench/scripts/lapack_svd_fast_peer.py --json "$OUT/lapack-$shape-t$t.json" "$shape" \
        >"$OUT/lapack-$shape-t$t.log" 2>&1
  done
done

/usr/bin/python3 - "$OUT" "$SHAPES" <<'PY' | tee "$OUT/table.md"
import glob, json, os, sys
out, shapes = sys.argv[1], sys.argv[2].split(",")
def load(path):
    try:
        return json.load(open(path))
    except ValueError:  # a part still running or interrupted: its rows stay empty
        print(f"skipped {path}: not complete JSON", file=sys.stderr)
        return None
jmh = {}  # (shape, benchmark, threads) -> median ms/op
for path in glob.glob(f"{out}/jmh-*.json"):
    for r in load(path) or []:
        raw = sorted(x for fork in r["primaryMetric"]["rawData"] for x in fork)
        key = (r["params"]["shape"], r["benchmark"].rsplit(".", 1)[1], int(r["params"]["threads"]))
        jmh[key] = raw[len(raw) // 2]
lapack = {}  # (shape, driver, threads) -> median ms
for path in glob.glob(f"{out}/lapack-*.json"):
    doc = load(path) or {"results": []}
    for r in doc["results"]:
        lapack[(r["shape"], r["driver"], int(doc["openblas_threads"]))] = r["median_ms"]
ops = [  # label, Cartan benchmark, LAPACK driver, JVM peers
    ("f64 values", "cartanValues", "dgesdd values", [("ojAlgo", "ojalgoValues"), ("EJML", "ejmlValues")]),
    ("f64 thin vectors", "cartanVectors", "dgesdd vectors",
     [("ojAlgo", "ojalgoVectors"), ("EJML", "ejmlVectors"), ("Commons", "commonsVectors")]),
    ("f32 values", "cartanValuesF32", "sgesdd values", [("EJML", "ejmlValuesF32")]),
    ("f32 thin vectors", "cartanVectorsF32", "sgesdd vectors", [("EJML", "ejmlVectorsF32")]),
]
def ms(x):
    return "" if x is None else f"{x:.1f}" if x < 1000 else f"{x:.0f}"
def ratio(a, b):
    return "" if a is None or b is None else f"**{a / b:.2f}**"
print("Medians in ms (JMH: median of the measured iterations; LAPACK: median of its calls). Ratios below 1 favour "
      "Cartan in the Cartan / LAPACK columns, above 1 in the peer / Cartan column.\n")
print("| shape | op | Cartan 1 / 2 threads | LAPACK 1 / 2 threads | **Cartan / LAPACK** 1 / 2 | dgesvd 1 thread "
      "| JVM peers (1 thread) | **fastest peer / Cartan** |")
print("|---|---|---:|---:|---:|---:|---|---:|")
for s in shapes:
    for label, bench, driver, peers in ops:
        c1, c2 = jmh.get((s, bench, 1)), jmh.get((s, bench, 2))
        l1, l2 = lapack.get((s, driver, 1)), lapack.get((s, driver, 2))
        gesvd = lapack.get((s, "dgesvd vectors", 1)) if driver == "dgesdd vectors" else None
        got = [(name, jmh.get((s, b, 1))) for name, b in peers if jmh.get((s, b, 1)) is not None]
        peer_text = ", ".join(f"{name} {ms(t)}" for name, t in got)
        fastest = min((t for _, t in got), default=None)
        if c1 is None and l1 is None:
            continue
        print(f"| {s} | {label} | {ms(c1)} / {ms(c2)} | {ms(l1)} / {ms(l2)} | {ratio(c1, l1)} / {ratio(c2, l2)} "
              f"| {ms(gesvd)} | {peer_text} | {ratio(fastest, c1)} |")
PY
echo "raw results: $OUT" >&2
