#!/usr/bin/env bash
# Runs the ibreid benchmark (io.ibreid.bench.BenchMain), building its jar first when it is missing or stale.
#   benchmarks/bench.sh [--onednn] [benchmark options...]     (benchmarks/bench.sh --help lists the options)
# --onednn puts ND4J's linux-x86_64-onednn-avx512 build in front of the default one (AVX-512 CPUs only; fetched
# into the local Maven repository, MAVEN_REPO or ~/.m2/repository, on first use). JVM options: BENCH_JAVA_OPTS (default -Xmx4g).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/benchmarks/target/ibreid-bench.jar"
stale=""
if [ -f "$jar" ]; then
  stale="$(find "$root" -path "$root/.git" -prune -o \( -name '*.java' -o -name 'pom.xml' \) -newer "$jar" -print \
    -quit 2>/dev/null || true)"
fi
if [ ! -f "$jar" ] || [ -n "$stale" ]; then
  echo "bench: building $jar ..." >&2
  (cd "$root" && mvn -q -B -DskipTests -Pjar -pl benchmarks -am package) >&2
fi
cp="$jar"
props=()
if [ "${1:-}" = "--onednn" ]; then
  shift
  if ! grep -qw avx512f /proc/cpuinfo; then
    echo "bench: --onednn needs a CPU with AVX-512 (no avx512f flag in /proc/cpuinfo)" >&2
    exit 2
  fi
  repo="${MAVEN_REPO:-$HOME/.m2/repository}"
  one="$repo/org/nd4j/nd4j-native/1.0.0-M2.1/nd4j-native-1.0.0-M2.1-linux-x86_64-onednn-avx512.jar"
  if [ ! -f "$one" ]; then
    mvn -q -B dependency:get -Dartifact=org.nd4j:nd4j-native:1.0.0-M2.1:jar:linux-x86_64-onednn-avx512 >&2
  fi
  cp="$one:$jar"
  props=(-Dorg.bytedeco.javacpp.platform.extension=-onednn-avx512)
fi
# shellcheck disable=SC2086
exec java ${BENCH_JAVA_OPTS:--Xmx4g} "${props[@]}" -cp "$cp" io.ibreid.bench.BenchMain "$@"
