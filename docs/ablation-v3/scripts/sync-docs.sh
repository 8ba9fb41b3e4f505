#!/usr/bin/env bash
# Copies the third ablation's finished results from the run folder into the worktree's docs/ablation-v3 (to commit):
# the plan, the report, pilot.json/sequential.json and, per FINISHED run (metrics.json present), its small files,
# metrics.json last. Checkpoints, train.log and metrics.jsonl stay in the run folder. Idempotent; copies only what
# changed; never copies a run folder moved aside (*.superseded-N). Usage: sync-docs.sh [RUN_DIR [DOCS_DIR]]
set -euo pipefail
src="${1:-/work/runs/abl3/out}"
dst="${2:-/work/wt/abl3/docs/ablation-v3}"
put() { # put FROM TO: atomic copy when different
  local from="$1" to="$2"
  if [ -f "$from" ] && ! cmp -s "$from" "$to" 2>/dev/null; then
    mkdir -p "$(dirname "$to")"
    cp "$from" "$to.tmp.$$" && mv -f "$to.tmp.$$" "$to"
  fi
}
for f in plan.json pilot.json sequential.json ablation.md ablation.json probe.json ablation.png zdim.png; do
  put "$src/$f" "$dst/$f"
done
if [ -d "$src/curves" ]; then
  for f in "$src"/curves/*; do put "$f" "$dst/curves/${f##*/}"; done
fi
n=0
while IFS= read -r m; do
  d="${m%/metrics.json}"
  rel="${d#$src/}"
  case "$rel" in *.superseded-*) continue ;; esac
  for f in ablation-probe.json terms.json imported.json reproduction.json metrics.reproduced.json metrics.json; do
    put "$d/$f" "$dst/$rel/$f"
  done
  n=$((n + 1))
done < <(find "$src/runs" -name metrics.json -not -path '*.superseded-*' | sort)
echo "$(date -u +%FT%TZ) synced $n finished runs from $src to $dst"
