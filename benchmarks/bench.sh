#!/usr/bin/env bash
# Runs the ibreid benchmark (io.ibreid.bench.BenchMain), building its jar first when it is missing or stale.
#   benchmarks/bench.sh [benchmark options...]     (benchmarks/bench.sh --help lists the options)
# The jar holds both oneDNN builds and the plain one; ib-core's NativeRuntime loads the one this CPU runs best, and
# IBREID_NATIVE=onednn-avx512|onednn-avx2|plain forces one (refused when the CPU lacks its flags). JVM options:
# BENCH_JAVA_OPTS (default -Xmx4g). BENCH_JAR runs that jar as it is (no staleness check, no build): a side-by-side
# run copies the jar once so that editing the sources meanwhile does not rebuild it between its processes.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${BENCH_JAR:-$root/benchmarks/target/ibreid-bench.jar}"
stale=""
if [ -n "${BENCH_JAR:-}" ]; then
  [ -f "$jar" ] || { echo "bench: BENCH_JAR=$jar does not exist" >&2; exit 2; }
elif [ -f "$jar" ]; then
  stale="$(find "$root" -path "$root/.git" -prune -o \( -name '*.java' -o -name 'pom.xml' \) -newer "$jar" -print \
    -quit 2>/dev/null || true)"
fi
if [ -z "${BENCH_JAR:-}" ] && { [ ! -f "$jar" ] || [ -n "$stale" ]; }; then
  echo "bench: building $jar ..." >&2
  (cd "$root" && mvn -q -B -DskipTests -Dmaven.source.skip -Dmaven.javadoc.skip -Pjar -pl benchmarks -am package) >&2
fi
if [ "${1:-}" = "--onednn" ]; then
  echo "bench: --onednn is gone: the native build is chosen from the CPU (IBREID_NATIVE=onednn-avx512|onednn-avx2|plain forces one)" >&2
  exit 2
fi
# the same OpenBLAS kernel choice as bin/ibreid
# shellcheck source=../bin/lib/cpu-env.sh
source "$root/bin/lib/cpu-env.sh"
# shellcheck disable=SC2086
exec java ${BENCH_JAVA_OPTS:--Xmx4g} -cp "$jar" io.ibreid.bench.BenchMain "$@"
