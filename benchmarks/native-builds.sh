#!/usr/bin/env bash
# The training step with each of ND4J's native builds on this CPU, interleaved (one process per build and step kind,
# ROUNDS rounds): the demo's 3-branch step and the 1-branch step of fast-resnet (3x64x32, width 32, [1,1,1],
# D = 512, batch 32, with the losses). Builds the CPU cannot run are skipped (NativeRuntime refuses them).
#   benchmarks/native-builds.sh [ROUNDS]        (results appended to benchmarks/results/native-builds.txt)
# On a machine other jobs share, run it as `chrt -r 10 benchmarks/native-builds.sh`: real-time round-robin keeps
# the others to the kernel's 5 % real-time throttle.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/benchmarks/results/native-builds.txt"
for ((round = 1; round <= ${1:-2}; round++)); do
  for b in onednn-avx512 onednn-avx2 plain; do
    for br in 3 1; do
      echo "=== round $round build $b branches $br $(date -u +%FT%T) load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out"
      IBREID_NATIVE=$b "$root/benchmarks/bench.sh" --branches "$br" --objective --encoder fast-resnet --width 32 \
        --stages 1,1,1 --dim 512 --batch 32 --steps 4 --rounds 2 --no-infer 2>&1 \
        | grep -E "^\||SGEMM|^# (cpu|native)|^bench:" >> "$out"
    done
  done
done
grep -E "^===|^\| fast|mean|^bench:" "$out" | tail -n 40
