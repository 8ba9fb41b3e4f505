#!/usr/bin/env bash
# The gallery index against FAISS on the same vectors and machine (docs/deployment.md, "Measured").
#   benchmarks/index/run.sh FEATURES.npy[,MORE.npy] SIZES OUT_DIR [M] [EF_CONSTRUCTION] [EF_SEARCH_LIST]
# FEATURES: real features of a trained run (bin/ibreid extract --split test|holdout|train); SIZES e.g. 100000,1000000.
# For each size: vectors.py extends the real features to that many (rotated copies about the mean, held-out
# queries, exact ground truth), then IndexBench (ibreid-index, Lucene HNSW) and faiss_bench.py (FAISS HNSW and flat)
# measure recall@10, queries/s at 1 and 2 threads, build time, size on disk and peak RSS; results.jsonl collects the
# lines. Needs /usr/bin/python3 with numpy and faiss (Debian: python3-faiss), and the modules compiled
# (mvn -o -q compile -pl benchmarks -am).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
features="$1"; sizes="$2"; out="$3"; m="${4:-16}"; efc="${5:-100}"; efs="${6:-10,20,40,80,160,320}"
mkdir -p "$out"
lucene="$(find ~/.m2/repository/org/apache/lucene/lucene-core/9.12.3 -name 'lucene-core-9.12.3.jar' | head -1)"
cp="$root/benchmarks/target/classes:$root/ibreid-index/target/classes:$root/ib-core/target/classes:$lucene"
# IBREID_BENCH_ROUNDS_ONLY=1: skip the builds (reuse the indexes of an earlier run) and only run the rounds below.
[ -n "${IBREID_BENCH_ROUNDS_ONLY:-}" ] || for n in ${sizes//,/ }; do
  v="$out/vectors-$n"
  [ -f "$v/gt.npy" ] || /usr/bin/python3 "$here/vectors.py" "$features" "$n" "$v"
  rm -rf "$out/lucene-$n"
  java -Xmx${IBREID_BENCH_HEAP:-6g} -cp "$cp" io.ibreid.bench.IndexBench "$v" "$out/lucene-$n" "$m" "$efc" "$efs" \
    | tee -a "$out/results.jsonl"
  /usr/bin/python3 "$here/faiss_bench.py" "$v" "$out/faiss-$n.index" "$m" "$efc" "$efs" | tee -a "$out/results.jsonl"
done
# Searches again, alternating the engines, ROUNDS times (IBREID_BENCH_ROUNDS, default 0), into rounds.jsonl: on a
# shared machine, take each configuration's best round.
for n in ${sizes//,/ }; do
  for r in $(seq 1 "${IBREID_BENCH_ROUNDS:-0}"); do
    java -Xmx${IBREID_BENCH_HEAP:-6g} -cp "$cp" io.ibreid.bench.IndexBench "$out/vectors-$n" "$out/lucene-$n" "$m" \
      "$efc" "$efs" search-only | tee -a "$out/rounds.jsonl"
    /usr/bin/python3 "$here/faiss_bench.py" "$out/vectors-$n" "$out/faiss-$n.index" "$m" "$efc" "$efs" --search-only \
      | tee -a "$out/rounds.jsonl"
  done
done
