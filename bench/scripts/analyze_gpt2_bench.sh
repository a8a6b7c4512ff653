#!/bin/sh
# Times `cartan analyze` on a synthetic GPT-2-small-shaped checkpoint beside a numpy loop of
# np.linalg.svd(compute_uv=False) over the same matrices (Debian python3-numpy, OpenBLAS on 2 threads), in the
# same run, and reports Cartan's peak RSS (GNU time). Issue #8, Benchmarks.
#
#   bench/scripts/analyze_gpt2_bench.sh [WORKDIR] [--blocks N] [--no-embedding]
#
# Each precision in $PRECISIONS (default "f64 f32") is one pair: the numpy loop in that precision (float64:
# dgesdd; float32: sgesdd on the file's float32 weights), then `cartan analyze --svd fast --precision P`.
# Needs: cli/target/cartan.jar (mvn -B -q package -DskipTests), /usr/bin/python3 with numpy, /usr/bin/time.
# Extra JVM options through CARTAN_JAVA_OPTS (e.g. -Xmx4g).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
work=${1:-/tmp/cartan-gpt2-bench}
[ $# -gt 0 ] && shift
mkdir -p "$work"
ckpt=$work/gpt2-synthetic.safetensors
if [ ! -f "$ckpt" ]; then
  /usr/bin/python3 "$root/bench/scripts/gpt2_synthetic.py" "$ckpt" "$@"
fi
echo "checkpoint: $ckpt ($(du -h "$ckpt" | cut -f1))" >&2
for p in ${PRECISIONS:-f64 f32}; do
  case $p in
    f64) flag= ;;
    f32) flag=--float32 ;;
    *) echo "PRECISIONS: unknown precision '$p' (f64 or f32)" >&2; exit 2 ;;
  esac
  echo "numpy loop ($p, 2 threads):" >&2
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=2 OMP_NUM_THREADS=2 \
    /usr/bin/python3 "$root/bench/scripts/gpt2_synthetic.py" --numpy $flag "$ckpt"
  echo "cartan analyze (--svd fast --precision $p, all cores):" >&2
  start=$(date +%s.%N)
  /usr/bin/time -f "{\"precision\": \"$p\", \"cartan_peak_rss_kb\": %M, \"cartan_wall_s\": %e}" \
    "$root/cartan" analyze "$ckpt" --svd fast --precision "$p" --quiet --format csv --out "$work/analysis-$p.csv"
  end=$(date +%s.%N)
  echo "{\"precision\": \"$p\", \"cartan_seconds\": $(echo "$end - $start" | bc)}"
done
