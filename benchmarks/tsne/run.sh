#!/usr/bin/env bash
# Times exact and Barnes-Hut t-SNE (ibreid-analysis's io.ibreid.eval.embedding.TsneBenchmark) and prints the Barnes-Hut
# gradient error. Usage: benchmarks/tsne/run.sh [SIZES...]   (default: e1000 b1000 e2000 b2000 b5000 e5000)
# Sizes: e = exact, b = Barnes-Hut (theta 0.5). Extra Maven options (e.g. -o for offline): BENCH_MVN_OPTS.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
mvn -q -B ${BENCH_MVN_OPTS:-} -pl ibreid-analysis -am test-compile dependency:build-classpath -Dmdep.outputFile="$cp_file" >&2
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(e1000 b1000 e2000 b2000 b5000 e5000)
java -Xmx3g -cp "ibreid-analysis/target/test-classes:ibreid-analysis/target/classes:$(cat "$cp_file")" \
  io.ibreid.eval.embedding.TsneBenchmark "${sizes[@]}" 2>/dev/null | grep -v '^[0-9][0-9]:'
