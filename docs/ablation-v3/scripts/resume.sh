#!/usr/bin/env bash
# Resumes the third ablation in /work/runs/abl3/out in the background (one command for every stage): finished runs
# (metrics.json present) are skipped, an interrupted run continues from its last epoch checkpoint (bit for bit), the
# pilot is trained first, and the run stops after the pilot with one line when a tuned config's beta is not the
# rule's (see docs/ablation-v3/README.md). Also (re)starts the 10-minute copy of finished results into
# /work/wt/abl3/docs/ablation-v3. Extra arguments go to `ibreid ablation` (e.g. --new-plan once after setting beta).
set -euo pipefail
root=/work/runs/abl3
if pgrep -f "ibreid.jar ablation --design v3 --out $root/out" > /dev/null; then
  echo "an ablation is already running in $root/out: $(pgrep -f "ibreid.jar ablation --design v3 --out $root/out")" >&2
  exit 1
fi
cd "$root"
nohup setsid bin/ibreid ablation --design v3 --out "$root/out" --quiet "$@" >> "$root/run.log" 2>&1 < /dev/null &
echo "started the ablation (log $root/run.log)"
if ! pgrep -f "sync-loop.sh" > /dev/null; then
  nohup setsid bin/sync-loop.sh > /dev/null 2>&1 < /dev/null &
  echo "started the copy loop (log $root/sync.log)"
fi
