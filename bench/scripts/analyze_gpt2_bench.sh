#!/bin/sh
# Times `cartan analyze` on a synthetic GPT-2-small-shaped checkpoint beside a numpy loop of
# np.linalg.svd(compute_uv=False) over the same matrices (Debian python3-numpy, OpenBLAS on 2 threads), in the
# same run, and reports Cartan's peak RSS (GNU time). Issue #8, Benchmarks.
#
#   bench/scripts/analyze_gpt2_bench.sh [WORKDIR] [--blocks N] [--no-embedding]
#
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
echo "numpy loop (2 threads):" >&2
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=2 OMP_NUM_THREADS=2 /usr/bin/python3 "$root/bench/scripts/gpt2_synthetic.py" --numpy "$ckpt"
echo "cartan analyze (--svd fast, all cores):" >&2
start=$(date +%s.%N)
/usr/bin/time -f '{"cartan_peak_rss_kb": %M, "cartan_wall_s": %e}' \
  "$root/cartan" analyze "$ckpt" --svd fast --quiet --format csv --out "$work/analysis.csv"
end=$(date +%s.%N)
echo "{\"cartan_seconds\": $(echo "$end - $start" | bc)}"
