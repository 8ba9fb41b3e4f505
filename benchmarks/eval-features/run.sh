#!/usr/bin/env bash
# Benchmark: `ibreid eval-features --protocol sysu` (JVM with -Xmx1g, whole process) against a straightforward numpy
# implementation of the same protocol (numpy_eval.py), on 3,803 queries x 3,010 gallery images, 2048-d float32.
#
#   benchmarks/eval-features/run.sh [REPEATS] [single|trials]
#
# single (default): one evaluation of 3,803 queries against 3,010 gallery images, numpy_eval.py as the baseline.
# trials: the published 10-trial multi-shot protocol (`--trials 10 --shots 10`): each trial draws 3,010 gallery
#   images (ten per identity and camera) from 6,020 candidates; numpy_trials.py as the baseline.
# Prints the median wall times of REPEATS runs (default 5) and their ratio. Extra JVM options: BENCH_JAVA_OPTS
# (passed as IBREID_JAVA_OPTS, after the launcher's own eval-features options: -Xmx1g, C1 only, serial GC, ...).
#
# Data are generated once into benchmarks/eval-features/data (about 56 MB; delete it to regenerate). Both programs'
# metrics are compared: they must agree (same definitions, independent implementations). Timings are wall-clock,
# interleaved, after one untimed warm-up run of each (which also builds the jar if needed).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
repeats="${1:-5}"
mode="${2:-single}"
if [ "$mode" = trials ]; then
  data="$here/data-trials"
  [ -f "$data/gallery.csv" ] || python3 "$here/generate.py" "$data" --gallery 6020 --per-group 20
else
  data="$here/data"
  [ -f "$data/gallery.csv" ] || python3 "$here/generate.py" "$data"
fi
args=(--query "$data/query.npy" --query-meta "$data/query.csv" --gallery "$data/gallery.npy" --gallery-meta "$data/gallery.csv")
java_cmd=(env IBREID_JAVA_OPTS="${BENCH_JAVA_OPTS:-}" "$root/bin/ibreid" eval-features --protocol sysu "${args[@]}")
numpy_script="$here/numpy_eval.py"
if [ "$mode" = trials ]; then
  java_cmd+=(--trials 10 --shots 10 --mode all)
  numpy_script="$here/numpy_trials.py"
fi
numpy_cmd=(python3 "$numpy_script" "$data/query.npy" "$data/query.csv" "$data/gallery.npy" "$data/gallery.csv")

"${java_cmd[@]}" > "$data/ibreid.json"
"${numpy_cmd[@]}" > "$data/numpy.json"
python3 - "$data/ibreid.json" "$data/numpy.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for k in ("rank1", "rank5", "rank10", "rank20", "mAP", "mINP", "validQueries"):
    if k not in b:
        continue
    if abs(a[k] - b[k]) > 1e-3:
        sys.exit(f"metrics differ: {k} ibreid {a[k]} numpy {b[k]}")
print("metrics agree: R1 %.2f%%  mAP %.2f%%  mINP %.2f%%" % (a["rank1"], a["mAP"], a["mINP"]))
PY

# Both programs run in the caller's environment. OPENBLAS_CORETYPE matters to both (numpy's OpenBLAS reads it too):
# when it is unset, bin/ibreid sets it on AMD CPUs with AVX-512 (bin/lib/cpu-env.sh) and numpy's newer OpenBLAS
# detects the CPU itself. Run once as is and once with `env -u OPENBLAS_CORETYPE` to see both cases.
jt=(); nt=()
for ((i = 0; i < repeats; i++)); do
  s=$EPOCHREALTIME; "${java_cmd[@]}" > /dev/null; jt+=("$s:$EPOCHREALTIME")
  s=$EPOCHREALTIME; "${numpy_cmd[@]}" > /dev/null; nt+=("$s:$EPOCHREALTIME")
done
python3 - "${jt[*]}" "${nt[*]}" "${OPENBLAS_CORETYPE-(unset)}" "$(nproc)" "$(cat /proc/loadavg)" <<'PY'
import statistics, sys
def spans(arg):
    return [float(e) - float(s) for s, e in (x.split(":") for x in arg.split())]
j = spans(sys.argv[1])
n = spans(sys.argv[2])
print("ibreid eval-features          : " + " ".join("%.2f" % x for x in j) + "  s, median %.2f s" % statistics.median(j))
print("numpy                        : " + " ".join("%.2f" % x for x in n) + "  s, median %.2f s" % statistics.median(n))
print("ratio numpy / ibreid (median): %.2fx   [OPENBLAS_CORETYPE %s, %s cores, load average %s]"
      % (statistics.median(n) / statistics.median(j), sys.argv[3], sys.argv[4], " ".join(sys.argv[5].split()[:3])))
PY
