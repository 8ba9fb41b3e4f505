#!/usr/bin/env bash
# The measurements behind benchmarks/README.md: each run appends its full output to benchmarks/results/NAME.txt.
# Takes about 30-60 minutes on 2 shared cores. Usage: benchmarks/experiments.sh [NAME...] (default: all).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/results"
mkdir -p "$out"
b="$here/bench.sh"
run() {
  local name="$1"; shift
  { echo "## $(date -u +%FT%TZ) uptime: $(uptime)"; echo "## command: $*"; "$@" 2>&1 | grep -vE "DEBUG|INFO"; \
    echo "## exit $? uptime after: $(uptime)"; echo; } >> "$out/$name.txt"
}
all=(encoders-onednn encoders-default threads batch demo-shapes workspace demo-3-branches sgemm-coretype)
for e in "${@:-${all[@]}}"; do
  case "$e" in
    encoders-onednn) run "$e" "$b" --encoder small-resnet,fast-resnet,fast-resnet:weightsFormat=YXIO,fast-resnet:dataFormat=NCHW:weightsFormat=OIYX --steps 5 --rounds 3 ;;
    encoders-default) run "$e" "$b" --encoder small-resnet,fast-resnet,fast-resnet:weightsFormat=YXIO,fast-resnet:dataFormat=NCHW:weightsFormat=OIYX --steps 5 --rounds 3 ;;
    threads) for t in 1 2 1 2; do run "$e" "$b" --threads "$t" --encoder fast-resnet:weightsFormat=YXIO --steps 8 --rounds 2 --no-infer; done
             for t in 1 2; do OMP_NUM_THREADS=$t run "$e" "$b" --encoder fast-resnet:weightsFormat=YXIO --steps 8 --rounds 2 --no-infer; done ;;
    batch) for n in 16 32 64 128; do run "$e" "$b" --batch "$n" --encoder fast-resnet:weightsFormat=YXIO --steps 5 --rounds 2 --no-infer; done ;;
    demo-shapes) run "$e" "$b" --batch 64 --encoder fast-resnet:weightsFormat=YXIO:width=16,fast-resnet:weightsFormat=YXIO:width=32,fast-resnet:weightsFormat=YXIO:width=32:stages=2/2/2,fast-resnet:weightsFormat=YXIO:width=64 --steps 4 --rounds 2
                 run "$e" "$b" --batch 64 --input 3x128x64 --encoder fast-resnet:weightsFormat=YXIO:width=16,fast-resnet:weightsFormat=YXIO:width=32 --steps 4 --rounds 2 ;;
    demo-3-branches) run "$e" "$b" --branches 3 --batch 32 --encoder small-resnet,fast-resnet --steps 4 --rounds 2
                     run "$e" "$b" --branches 3 --batch 16 --encoder fast-resnet,fast-resnet:width=16 --steps 4 --rounds 2
                     run "$e" "$b" --branches 3 --batch 32 --input 3x128x64 --encoder fast-resnet:width=16,fast-resnet:width=32 --steps 3 --rounds 2
                     run "$e" "$b" --branches 3 --batch 32 --encoder fast-resnet --steps 3 --rounds 2 --no-infer ;;
    sgemm-coretype) for ct in SKYLAKEX ZEN; do OPENBLAS_CORETYPE=$ct run "$e" java -cp "$here/target/ibreid-bench.jar" io.ibreid.bench.ConvProbe 32 32 32 16 32 3 1 5; done
                    run "$e" java -cp "$here/target/ibreid-bench.jar" io.ibreid.bench.ConvProbe 32 32 32 16 32 3 1 5 ;;
    workspace) for w in ENABLED NONE; do run "$e" "$b" --workspace "$w" --encoder small-resnet,fast-resnet:weightsFormat=YXIO --steps 4 --rounds 2 --no-infer; done ;;
    *) echo "unknown experiment $e; known: ${all[*]}" >&2; exit 2 ;;
  esac
done
