#!/bin/sh
# The extra time of `cartan analyze`'s residual proxy chain section (issue #8): on a synthetic GPT-2-shaped
# checkpoint (gpt2_synthetic.py), runs `cartan analyze --svd fast` with the chain (default) and with --no-chain,
# alternating, REPS times each, and prints one JSON line per run: wall and CPU (user + sys) seconds of the
# process (GNU time), the analysis' own runtime.wallSeconds and the chain section's chains[].seconds. Then one
# `cartan chain --residual` on the same attn.c_proj weights (it adds the near-identity expansion 8.13).
#
#   flock /tmp/jmh.lock bench/scripts/analyze_chain_bench.sh [WORKDIR] [REPS] [--blocks N] [--no-embedding]
#
# CHAIN_COMMAND=0 skips the `cartan chain` run (minutes under load).
# Needs: cli/target/cartan.jar (mvn -B -q package -DskipTests), /usr/bin/python3 with numpy, /usr/bin/time.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
work=${1:-/tmp/cartan-chain-bench}
reps=${2:-3}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- --blocks 4 --no-embedding
mkdir -p "$work"
ckpt=$work/gpt2-synthetic.safetensors
if [ ! -f "$ckpt" ]; then
  /usr/bin/python3 "$root/bench/scripts/gpt2_synthetic.py" "$ckpt" "$@"
fi
echo "checkpoint: $ckpt ($(du -h "$ckpt" | cut -f1)), load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
i=0
while [ "$i" -lt "$reps" ]; do
  for mode in chain no-chain; do
    opt=--chain
    [ "$mode" = no-chain ] && opt=--no-chain
    /usr/bin/time -o "$work/time.txt" -f '%e %U %S' \
      "$root/cartan" analyze "$ckpt" --svd fast --quiet "$opt" --out "$work/analysis-$mode.json"
    /usr/bin/python3 - "$mode" "$work/time.txt" "$work/analysis-$mode.json" <<'EOF'
import json, sys
mode, times, out = sys.argv[1:]
wall, user, sys_ = (float(x) for x in open(times).read().split()[-3:])
a = json.load(open(out))
print(json.dumps({"mode": mode, "wall_s": wall, "cpu_s": round(user + sys_, 2),
                  "analysis_wall_s": round(a["runtime"]["wallSeconds"], 3),
                  "chain_s": [round(c["seconds"], 3) for c in a["chains"]],
                  "chain_cpu_s": [round(c.get("cpuSeconds", -1), 3) for c in a["chains"]],
                  "steps": [len(c["tensors"]) for c in a["chains"]]}))
EOF
  done
  i=$((i + 1))
done
[ "${CHAIN_COMMAND:-1}" = 0 ] && exit 0
echo "cartan chain --residual (with the near-identity expansion):" >&2
/usr/bin/time -f '{"chain_command_wall_s": %e, "chain_command_cpu_user_s": %U}' \
  "$root/cartan" chain "$ckpt" --residual --pattern 'attn\.c_proj\.weight$' --format text > "$work/chain.txt"
