#!/usr/bin/env bash
# ibreid's training step and the same step in PyTorch (benchmarks/pytorch/step.py), interleaved on this CPU:
# ROUNDS rounds; in each, for the 1-branch and the 3-branch step, one ibreid process per ND4J build and one PyTorch
# process, alternating (the order flips every round), 2 threads each. Prints every process's median step time, then
# per step kind and build: the per-process medians, their median, img/s, GFLOP/s and the ratio
# PyTorch step time / ibreid step time (>= 1.0: ibreid at least as fast), overall and paired round by round.
# Everything is appended to benchmarks/results/pytorch-side-by-side.txt.
#
#   benchmarks/pytorch/side-by-side.sh [ROUNDS]          (default 3)
#   MODEL=resnet50 benchmarks/pytorch/side-by-side.sh [ROUNDS]
#
# MODEL=resnet50 (or resnet18/34/101) times ibreid's torchvision ResNet encoder instead of fast-resnet: the one-branch
# step at INPUT=3x256x128, BATCH=16 (last stride 1, BN-neck, mlp bottleneck, identity heads, Adam), and eval-mode
# extraction of v at INFER_BATCH=32 images a call, against the same network in PyTorch (step.py --model), with the
# peak RSS of every process (/usr/bin/time). Its defaults: KINDS=1 STEPS=3 WARMUP=2 TORCH_WARMUP=1
# TORCH_LAYOUTS="nhwc nchw" BUILDS="onednn-avx512 onednn-avx2" (on an AVX2-only CPU: BUILDS=onednn-avx2). Each
# process takes minutes; the summary compares every ibreid build with PyTorch's faster layout (of the same ISA cap).
#
# Environment (all optional):
#   BUILDS="auto"          ND4J builds to run ibreid with (IBREID_NATIVE values), e.g. "onednn-avx512 onednn-avx2";
#                          with onednn-avx2 PyTorch also runs capped at AVX2 (ATEN_CPU_CAPABILITY=avx2,
#                          DNNL_MAX_CPU_ISA=AVX2), and the AVX2 build is compared with that
#   KINDS="1 3"            step kinds: 1 = one branch, 3 = visible + infrared + shared (4 x batch branch-images)
#   BATCH=32 STEPS=20     per process (ibreid: --steps, one round; PyTorch the same)
#   WARMUP=auto           ibreid's warm-up: auto = until the JIT compiler is idle (BenchMain --warmup), or a count;
#                         a short fixed warm-up times the C2 compiler, which holds a core for the first ~100 steps
#   TORCH_WARMUP=20       PyTorch's warm-up steps (no JIT to wait for)
#   TORCH_LAYOUTS="nchw"   PyTorch memory formats to run: nchw and/or nhwc (channels-last)
#   THREADS="2"            thread counts to run both at (e.g. "1 2"); ratios pair equal thread counts. ibreid runs
#                          at its training setting for N threads: N/N/1 (libnd4j and OpenMP N, BLAS 1)
#   PYTHON                 a Python with torch (default: the first of python3, /usr/bin/python3 that imports it)
#   OUT                    results file (default benchmarks/results/pytorch-side-by-side.txt)
#   TORCH_LD_LIBRARY_PATH  prepended to LD_LIBRARY_PATH for the PyTorch processes only (e.g. a directory holding
#                          another libblas.so.3; Debian's torch calls the system's libblas.so.3 for its dense layers,
#                          which is the slow reference BLAS unless an optimised one is installed). For PyTorch at its
#                          best give it OpenBLAS at one thread, e.g. (nothing is installed):
#                            apt-get download libopenblas0-pthread && dpkg -x libopenblas0-pthread_*.deb /tmp/ob
#                            TORCH_LD_LIBRARY_PATH=/tmp/ob/usr/lib/x86_64-linux-gnu/openblas-pthread \
#                              OPENBLAS_NUM_THREADS=1 benchmarks/pytorch/side-by-side.sh 3
#                          (OPENBLAS_NUM_THREADS does not reach ND4J's OpenBLAS, which sets its own count)
# Run it on a quiet machine, with normal scheduling. Not under `chrt -r 10`: with real-time priority an OpenMP
# worker that spin-waits keeps its core from the thread with the work (a 32x512 by 512x512 product took 8.9 ms
# instead of 0.4 ms), which slows ibreid's two thread pools far more than PyTorch's one. It installs nothing;
# without torch it says how to get it (Debian: apt-get install python3-torch).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${OUT:-$root/benchmarks/results/pytorch-side-by-side.txt}"
rounds="${1:-3}"
model="${MODEL:-fast-resnet}"
if [ "$model" = fast-resnet ]; then
  builds="${BUILDS:-auto}"
  kinds="${KINDS:-1 3}"
  batch="${BATCH:-32}"
  steps="${STEPS:-20}"
  warmup="${WARMUP:-auto}"
  torch_warmup="${TORCH_WARMUP:-20}"
  layouts="${TORCH_LAYOUTS:-nchw}"
  input="${INPUT:-3x64x32}"
  infer_batch="${INFER_BATCH:-0}"
else
  avx512="$(grep -qw avx512f /proc/cpuinfo && echo "onednn-avx512 " || true)"
  builds="${BUILDS:-${avx512}onednn-avx2}"
  kinds="${KINDS:-1}"
  batch="${BATCH:-16}"
  steps="${STEPS:-3}"
  warmup="${WARMUP:-2}"
  torch_warmup="${TORCH_WARMUP:-1}"
  layouts="${TORCH_LAYOUTS:-nhwc nchw}"
  input="${INPUT:-3x256x128}"
  infer_batch="${INFER_BATCH:-32}"
fi
threads_list="${THREADS:-2}"

py="${PYTHON:-}"
if [ -z "$py" ]; then
  for c in python3 /usr/bin/python3; do
    if command -v "$c" >/dev/null 2>&1 && "$c" -c "import torch" >/dev/null 2>&1; then
      py="$c"
      break
    fi
  done
fi
if [ -z "$py" ] || ! "$py" -c "import torch" >/dev/null 2>&1; then
  echo "side-by-side: no Python with torch found (tried ${PYTHON:-python3 and /usr/bin/python3})." >&2
  echo "  On Debian/Ubuntu: apt-get install python3-torch   (then PYTHON=/usr/bin/python3 if another python3 is first)" >&2
  exit 3
fi
# Build the bench jar now (bench.sh builds it when stale) and run a copy of it, so that no build runs inside the timed
# rounds (not even when the sources change meanwhile).
"$root/benchmarks/bench.sh" --version >/dev/null || exit 1

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cp "$root/benchmarks/target/ibreid-bench.jar" "$tmp/bench.jar"
export BENCH_JAR="$tmp/bench.jar"
timer=()
[ -x /usr/bin/time ] && timer=(/usr/bin/time -f "maxrss_kb=%M")
log="$tmp/log"
{
  echo "=== side-by-side $(date -u +%FT%TZ) model=$model input=$input rounds=$rounds builds='$builds' threads='$threads_list' kinds='$kinds' batch=$batch steps=$steps warmup=$warmup torch_warmup=$torch_warmup layouts='$layouts' infer_batch=$infer_batch"
  echo "# host: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cpus, avx512f: $(grep -qw avx512f /proc/cpuinfo && echo yes || echo no); sched: $(chrt -p $$ 2>/dev/null | head -1 | sed 's/.*: //')"
  echo "# uptime at start: $(uptime)"
} | tee -a "$log"

run_ibreid() { # build kind round threads
  local b="$1" k="$2" r="$3" t="$4" f="$tmp/ibreid-$1-$2-$3-$4"
  local env=()
  [ "$b" != auto ] && env=(IBREID_NATIVE="$b")
  local enc=(--encoder fast-resnet --width 32 --stages 1,1,1 --dim 512 --no-infer)
  [ "$model" != fast-resnet ] && enc=(--encoder "$model" --infer-batch "$infer_batch")
  env "${env[@]}" "${timer[@]}" "$root/benchmarks/bench.sh" --branches "$k" "${enc[@]}" --input "$input" \
    --batch "$batch" --threads "$t/$t/1" --steps "$steps" --warmup "$warmup" --rounds 1 > "$f" 2>&1
  local ms row infer rss
  row="$(grep -E "^\| $model" "$f" | head -1)"
  ms="$(echo "$row" | sed -E 's/^[^[]*\[([0-9.]+)\].*/\1/')"
  infer="$(echo "$row" | sed -nE 's/.*\| \[([0-9.]+)\] \|$/\1/p')"
  rss="$(grep -m1 '^maxrss_kb=' "$f" | sed -E 's/maxrss_kb=//')"
  local nb
  nb="$(grep -m1 '^# native build:' "$f" | sed -E 's/^# native build: ([^ ]+).*/\1/')"
  echo "ibreid round=$r branches=$k threads=$t build=${nb:-?} requested=$b step_ms_median=${ms:-FAILED}${infer:+ infer_img_per_s=$infer}${rss:+ maxrss_mib=$((rss / 1024))} load=$(cut -d' ' -f1 /proc/loadavg)" \
    | tee -a "$log"
  grep -E '^# (cpu|native build|threads|warm-up)|^SGEMM' "$f" | sed 's/^/    /' >> "$log"
  [ -z "$ms" ] && tail -n 5 "$f" | sed 's/^/    /' | tee -a "$log"
}

# PyTorch at this CPU's own instruction set ("native"), and also capped at AVX2 when ibreid's AVX2 build is timed:
# an AVX2-only machine runs PyTorch's AVX2 kernels too (ATen's dispatch, its oneDNN and OpenBLAS all capped).
torch_isas="native"
case " $builds " in *" onednn-avx2 "*) torch_isas="native avx2" ;; esac

run_torch() { # layout kind round threads isa
  local l="$1" k="$2" r="$3" t="$4" isa="$5" f="$tmp/torch-$1-$2-$3-$4-$5"
  local extra=() cap=()
  [ "$l" = nhwc ] && extra=(--channels-last)
  [ "$isa" = avx2 ] && cap=(ATEN_CPU_CAPABILITY=avx2 DNNL_MAX_CPU_ISA=AVX2 ONEDNN_MAX_CPU_ISA=AVX2 OPENBLAS_CORETYPE=Haswell)
  [ "$model" != fast-resnet ] && extra+=(--model "$model" --infer "$infer_batch")
  env "${cap[@]}" LD_LIBRARY_PATH="${TORCH_LD_LIBRARY_PATH:+$TORCH_LD_LIBRARY_PATH:}${LD_LIBRARY_PATH:-}" "${timer[@]}" \
    "$py" "$root/benchmarks/pytorch/step.py" --branches "$k" --batch "$batch" --threads "$t" --steps "$steps" \
    --warmup "$torch_warmup" --input "$input" "${extra[@]}" > "$f" 2>&1
  local line infer rss
  line="$(grep -m1 '^pytorch-step:' "$f")"
  [ "$isa" != native ] && line="${line/layout=$l/layout=$l-$isa}"
  infer="$(grep -m1 '^pytorch-infer:' "$f" | sed -nE 's/.*img_per_s=([0-9.]+).*/\1/p')"
  rss="$(grep -m1 '^maxrss_kb=' "$f" | sed -E 's/maxrss_kb=//')"
  [ -n "$line" ] && line="$line${infer:+ infer_img_per_s=$infer}${rss:+ maxrss_mib=$((rss / 1024))}"
  echo "pytorch round=$r ${line#pytorch-step: } load=$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$log"
  grep -m1 '^# pytorch' "$f" | sed 's/^/    /' >> "$log"
  [ -z "$line" ] && tail -n 5 "$f" | sed 's/^/    /' | tee -a "$log"
}

for ((round = 1; round <= rounds; round++)); do
  for k in $kinds; do
    for t in $threads_list; do
      if ((round % 2 == 1)); then
        for b in $builds; do run_ibreid "$b" "$k" "$round" "$t"; done
        for l in $layouts; do for i in $torch_isas; do run_torch "$l" "$k" "$round" "$t" "$i"; done; done
      else
        for l in $layouts; do for i in $torch_isas; do run_torch "$l" "$k" "$round" "$t" "$i"; done; done
        for b in $builds; do run_ibreid "$b" "$k" "$round" "$t"; done
      fi
    done
  done
done
echo "# uptime at end: $(uptime)" | tee -a "$log"

# Summary: per step kind, each ibreid build and PyTorch layout: per-process medians, their median, and the ratios.
"$py" - "$log" "$batch" "$model" <<'EOF' | tee -a "$log"
import re, statistics, sys
log, batch, model = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rows = []
gflop = {}
for line in open(log):
    m = re.match(r"(ibreid|pytorch) (.*)", line)
    if not m:
        continue
    kv = dict(x.split("=", 1) for x in m.group(2).split() if "=" in x)
    try:
        ms = float(kv["step_ms_median"])
    except (KeyError, ValueError):
        continue
    impl = ("ibreid " + kv["build"] if m.group(1) == "ibreid" else "pytorch " + kv["layout"]) + " t" + kv.get("threads", "2")
    k = int(kv["branches"])
    if "gflop_per_step" in kv:
        gflop[k] = float(kv["gflop_per_step"])
    num = lambda key: float(kv[key]) if key in kv else None
    rows.append(dict(k=k, impl=impl, round=int(kv["round"]), ms=ms, infer=num("infer_img_per_s"),
                     rss=num("maxrss_mib")))

def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None

def fmt(v, f="%.0f"):
    return "-" if v is None else f % v

with_infer = any(r["infer"] is not None for r in rows)
print()
print("| step | implementation | step ms (per-process medians, by round) | median ms | img/s | GFLOP/s | PyTorch / ibreid "
      "step time (median; per round)%s | peak RSS MiB (median) |" % (" | extraction img/s (median) | ibreid / PyTorch "
                                                                     "extraction (median; per round)" if with_infer else ""))
print("|---|---|---|---|---|---|---|%s---|" % ("---|---|" if with_infer else ""))
verdicts = []
for k in sorted({r["k"] for r in rows}):
    impls = sorted({r["impl"] for r in rows if r["k"] == k}, key=lambda s: (not s.startswith("pytorch"), s))
    mine = lambda i: [r for r in rows if r["k"] == k and r["impl"] == i]
    med_ms = {i: med([r["ms"] for r in mine(i)]) for i in impls}
    for i in impls:
        t = i.rsplit(" t", 1)[1]
        # ibreid's AVX2 build against PyTorch capped at AVX2 when that ran; the rest against PyTorch uncapped; of
        # PyTorch's layouts, the faster one (its best)
        capped = [j for j in impls if j.startswith("pytorch") and j.endswith("-avx2 t" + t)]
        native = [j for j in impls if j.startswith("pytorch") and j.endswith(" t" + t) and "-avx2" not in j]
        pool = capped if ("onednn-avx2" in i and capped) else native
        torch_impl = min(pool, key=lambda j: med_ms[j]) if pool else None
        per = mine(i)
        images = batch * (4 if k == 3 else 1)
        gf = gflop.get(k)
        ratio = infer_ratio = ""
        if i.startswith("ibreid") and torch_impl:
            byr = {r["round"]: r for r in mine(torch_impl)}
            paired = ["%.2f" % (byr[r["round"]]["ms"] / r["ms"]) for r in per if r["round"] in byr]
            step_ratio = med_ms[torch_impl] / med_ms[i]
            ratio = "%.2f (%s) vs %s" % (step_ratio, ", ".join(paired), torch_impl)
            ti, mi = med([r["infer"] for r in mine(torch_impl)]), med([r["infer"] for r in per])
            if ti and mi:
                pi = ["%.2f" % (r["infer"] / byr[r["round"]]["infer"]) for r in per
                      if r["round"] in byr and r["infer"] and byr[r["round"]]["infer"]]
                infer_ratio = "%.2f (%s)" % (mi / ti, ", ".join(pi))
            tr, mr = med([r["rss"] for r in mine(torch_impl)]), med([r["rss"] for r in per])
            verdicts.append("%s vs %s: step %.2fx%s%s" % (i, torch_impl, step_ratio,
                ("; extraction %.2fx" % (mi / ti)) if ti and mi else "",
                ("; peak RSS %+.0f MiB (goal <= +1024)" % (mr - tr)) if tr and mr else ""))
        print("| %d branch%s | %s | %s | %.0f | %.2f | %s | %s%s | %s |" % (k, "" if k == 1 else "es", i,
              ", ".join("%.0f" % r["ms"] for r in per), med_ms[i], images / med_ms[i] * 1e3,
              fmt(gf / med_ms[i] * 1e3 if gf else None, "%.1f"), ratio,
              (" | %s | %s" % (fmt(med([r["infer"] for r in per]), "%.2f"), infer_ratio)) if with_infer else "",
              fmt(med([r["rss"] for r in per]))))
for v in verdicts:
    print("verdict: " + v)
blas = sorted({m.group(1) for m in (re.search(r"BLAS: ([^;]*);", l) for l in open(log) if l.startswith("    # pytorch"))
                if m})
for b in blas:
    kind = "reference BLAS (netlib)" if "/blas/libblas" in b else ("OpenBLAS" if "openblas" in b.lower() else "other")
    print("PyTorch's BLAS: %s (%s)" % (b, kind))
    if kind.startswith("reference"):
        print("  note: with the reference BLAS PyTorch's dense layers run at ~1 GFLOP/s; PyTorch's best on a CPU "
              "uses an optimised BLAS at 1 thread, e.g. TORCH_LD_LIBRARY_PATH=<dir of OpenBLAS's libblas.so.3> "
              "OPENBLAS_NUM_THREADS=1 (benchmarks/README.md, part 3)")
print("(step ratio = PyTorch step time / ibreid step time, against PyTorch's faster layout at the same thread count "
      "(tN), and for ibreid's onednn-avx2 build against PyTorch capped at AVX2 (-avx2) when it ran; >= 1.0 means "
      "ibreid is at least as fast; extraction ratio = ibreid img/s / PyTorch img/s; GFLOP/s from PyTorch's count)")
EOF
cat "$log" >> "$out"
echo "(appended to ${out#$root/})"
